//! The "which hat?" model: naive Bayes over stemmed words and word pairs, trained at start-up
//! from the labelled situations (and the tips and prompts, which carry a hat too). It is
//! deterministic, needs no download, and explains itself: each word's weight is known.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

use crate::content::{Dimension, Library, Mode};

use super::spelling::one_edit_apart;

/// Words that say nothing about either hat.
const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "but",
    "to",
    "of",
    "in",
    "on",
    "for",
    "with",
    "my",
    "i",
    "me",
    "im",
    "i'm",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "it",
    "its",
    "at",
    "as",
    "this",
    "that",
    "these",
    "those",
    "we",
    "our",
    "us",
    "you",
    "your",
    "they",
    "their",
    "them",
    "he",
    "she",
    "his",
    "her",
    "so",
    "if",
    "by",
    "from",
    "into",
    "about",
    "just",
    "still",
    "again",
    "all",
    "some",
    "any",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "get",
    "got",
    "am",
    "s",
    "t",
    "up",
    "out",
    "what",
    "how",
    "when",
    "which",
    "who",
    // When something happens says nothing about which hat it needs.
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "tomorrow",
    "yesterday",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "lunch",
    "breakfast",
];
/// Laplace smoothing: how much an unseen word counts for each hat.
const SMOOTHING: f64 = 0.5;
/// Situations are the model's main teacher; tips and prompts add vocabulary at lower weight.
const SITUATION_WEIGHT: f64 = 1.0;
const LIBRARY_WEIGHT: f64 = 0.5;
/// The shortest word read as a typo of a known one, and the most unknown words looked up in
/// one text.
const SPELLING_MIN: usize = 5;
const SPELLING_LOOKUPS: usize = 40;
/// Log-odds closer to zero than this are "can't tell".
pub const UNDECIDED_WITHIN: f64 = 0.2;

/// One piece of labelled text to learn from.
#[derive(Clone, Debug)]
pub struct Example<'a> {
    pub text: &'a str,
    pub mode: Mode,
    pub dimension: Option<Dimension>,
    pub weight: f64,
}

/// What one feature (a stem, or a pair of stems) says.
#[derive(Clone, Debug)]
struct Feature {
    /// ln P(feature | leadership) − ln P(feature | management).
    lean: f64,
    /// The row of the table it most often appears in.
    dimension: Dimension,
}

/// A feature found in a situation, with the words the person typed for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Weighed {
    pub words: String,
    /// Positive leans to leadership, negative to management.
    pub lean: f64,
    pub dimension: Dimension,
}

/// The model's reading of a situation.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// Positive for leadership, negative for management; near zero is undecided.
    pub log_odds: f64,
    /// Every known feature found, strongest first.
    pub weighed: Vec<Weighed>,
}

impl Reading {
    pub fn hat(&self) -> Option<Mode> {
        match self.log_odds {
            odds if odds >= UNDECIDED_WITHIN => Some(Mode::Leadership),
            odds if odds <= -UNDECIDED_WITHIN => Some(Mode::Management),
            _ => None,
        }
    }
}

pub struct Model {
    features: HashMap<String, Feature>,
    /// The single-word features of five letters or more by length in characters, for reading
    /// a misspelt word as the known word it is one edit away from.
    words_by_length: HashMap<usize, Vec<String>>,
    stemmer: Stemmer,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("features", &self.features.len())
            .finish()
    }
}

impl Model {
    /// Trains on the library's situations, tips and reflection prompts.
    pub fn from_library(library: &Library) -> Model {
        Model::train(&examples(library))
    }

    /// Trains on `examples`: counts each feature once per example, per hat.
    pub fn train(examples: &[Example<'_>]) -> Model {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut counts: HashMap<String, ([f64; 2], [f64; 5])> = HashMap::new();
        let mut totals = [0.0_f64; 2];
        for example in examples {
            let side = side(example.mode);
            let mut features: Vec<String> = features(&stemmer, example.text)
                .into_iter()
                .map(|(feature, _)| feature)
                .collect();
            features.sort();
            features.dedup();
            for feature in features {
                let entry = counts.entry(feature).or_default();
                entry.0[side] += example.weight;
                totals[side] += example.weight;
                if let Some(dimension) = example.dimension {
                    entry.1[dimension as usize] += 1.0;
                }
            }
        }
        let vocabulary = counts.len() as f64;
        let features: HashMap<String, Feature> = counts
            .into_iter()
            .map(|(feature, (by_side, by_dimension))| {
                let probability = |side: usize| {
                    (by_side[side] + SMOOTHING) / (totals[side] + SMOOTHING * vocabulary)
                };
                let lean = probability(1).ln() - probability(0).ln();
                let dimension = Dimension::ALL
                    .into_iter()
                    .max_by(|a, b| {
                        by_dimension[*a as usize]
                            .total_cmp(&by_dimension[*b as usize])
                            .then(b.cmp(a))
                    })
                    .filter(|d| by_dimension[*d as usize] > 0.0)
                    .unwrap_or(Dimension::Activities);
                (feature, Feature { lean, dimension })
            })
            .collect();
        let mut words_by_length: HashMap<usize, Vec<String>> = HashMap::new();
        for word in features.keys().filter(|feature| !feature.contains(' ')) {
            let length = word.chars().count();
            if length >= SPELLING_MIN {
                words_by_length
                    .entry(length)
                    .or_default()
                    .push(word.clone());
            }
        }
        for words in words_by_length.values_mut() {
            words.sort();
        }
        Model {
            features,
            words_by_length,
            stemmer,
        }
    }

    /// The known word `stem` is a typo of: one insertion, deletion, substitution or swap of
    /// neighbours away, for words of five letters or more ("recieve", "enginers"). Of several,
    /// the one that leans most, so a correction never hides behind a weaker reading.
    fn known_spelling(&self, stem: &str) -> Option<&str> {
        let length = stem.chars().count();
        if length < SPELLING_MIN || self.features.contains_key(stem) {
            return None;
        }
        (length - 1..=length + 1)
            .filter_map(|near| self.words_by_length.get(&near))
            .flatten()
            .filter(|word| one_edit_apart(stem, word))
            .max_by(|a, b| {
                let lean = |w: &str| self.features.get(w).map_or(0.0, |f| f.lean.abs());
                lean(a).total_cmp(&lean(b)).then(b.cmp(a))
            })
            .map(String::as_str)
    }

    /// Reads a situation: the balance of evidence and the words that made it.
    pub fn read(&self, situation: &str) -> Reading {
        // No prior: the corpus is balanced on purpose, so a situation with no known words
        // leans nowhere.
        let mut log_odds = 0.0;
        let mut weighed: Vec<Weighed> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // A long reflection is read whole, but only its first unknown words are looked up
        // as possible typos, so the cost stays bounded.
        let mut lookups = 0;
        let tokens: Vec<(String, String)> = tokens(&self.stemmer, situation)
            .into_iter()
            .map(|(stem, word)| {
                let unknown = !self.features.contains_key(&stem);
                lookups += usize::from(unknown);
                match (lookups <= SPELLING_LOOKUPS).then(|| self.known_spelling(&stem)) {
                    Some(Some(known)) => (known.to_string(), word),
                    _ => (stem, word),
                }
            })
            .collect();
        let mut consider = |feature: &str, words: &dyn Fn() -> String| {
            let Some(known) = self.features.get(feature) else {
                return;
            };
            if !seen.insert(feature.to_string()) {
                return;
            }
            log_odds += known.lean;
            weighed.push(Weighed {
                words: words(),
                lean: known.lean,
                dimension: known.dimension,
            });
        };
        // The features `features_of` lists, in its order, with strings made only for the known
        // ones: most words of a long reflection are not in the model.
        for (stem, word) in &tokens {
            consider(stem, &|| word.clone());
        }
        let mut pair = String::new();
        for two in tokens.windows(2) {
            pair.clear();
            pair.push_str(&two[0].0);
            pair.push(' ');
            pair.push_str(&two[1].0);
            consider(&pair, &|| format!("{} {}", two[0].1, two[1].1));
        }
        weighed.sort_by(|a, b| {
            b.lean
                .abs()
                .total_cmp(&a.lean.abs())
                .then(a.words.cmp(&b.words))
        });
        Reading { log_odds, weighed }
    }
}

fn side(mode: Mode) -> usize {
    match mode {
        Mode::Management => 0,
        Mode::Leadership => 1,
    }
}

/// The library's labelled text: situations, then tips and prompts at lower weight.
pub fn examples(library: &Library) -> Vec<Example<'_>> {
    let situations = library.situations.iter().map(|s| Example {
        text: &s.text,
        mode: s.mode,
        dimension: Some(s.dimension),
        weight: SITUATION_WEIGHT,
    });
    let tips = library.tips.iter().map(|t| Example {
        text: &t.body,
        mode: t.mode,
        dimension: None,
        weight: LIBRARY_WEIGHT,
    });
    let prompts = library.prompts.iter().map(|p| Example {
        text: &p.question,
        mode: p.mode,
        dimension: None,
        weight: LIBRARY_WEIGHT,
    });
    situations.chain(tips).chain(prompts).collect()
}

/// Stems and pairs of neighbouring stems, each with the words as typed ("sprint planning").
fn features(stemmer: &Stemmer, text: &str) -> Vec<(String, String)> {
    features_of(&tokens(stemmer, text))
}

/// The words that carry meaning, each with its stem.
fn tokens(stemmer: &Stemmer, text: &str) -> Vec<(String, String)> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|word| word.trim_matches('\''))
        .filter(|word| !word.is_empty() && !STOPWORDS.contains(word))
        .map(|word| (stemmer.stem(word).into_owned(), word.to_string()))
        .collect()
}

fn features_of(tokens: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = tokens.to_vec();
    for pair in tokens.windows(2) {
        out.push((
            format!("{} {}", pair[0].0, pair[1].0),
            format!("{} {}", pair[0].1, pair[1].1),
        ));
    }
    out
}
