//! Tips: the best match for a topic or free words, fitted to the member's stage; or, with
//! nothing asked, one they have not seen recently, leaning toward the weaker side of their balance.

use std::collections::{HashMap, HashSet};

use crate::content::{Library, Mode, Tip};
use crate::error::{Error, Result};

use super::balance::weaker_mode;
use super::words::{clean_typed_text, keywords, mix, words};
use super::{Action, ButtonStyle, MemberRef, Mentor, Reply, messages};

/// How much each kind of match counts.
const TOPIC_POINTS: u32 = 10;
const TITLE_POINTS: u32 = 3;
const BODY_POINTS: u32 = 1;
/// Extra for a tip whose first, main topic is the one asked for.
const MAIN_TOPIC_POINTS: u32 = 2;

/// Each tip's title and body words, in the library's order: read once at start-up rather than
/// for every tip on every `/tip`.
#[derive(Debug)]
pub(super) struct TipWords(Vec<(HashSet<String>, HashSet<String>)>);

impl TipWords {
    pub(super) fn new(library: &Library) -> TipWords {
        let each = |tip: &Tip| {
            let title = words(&tip.title).into_iter().collect();
            let body = words(&tip.body).into_iter().collect();
            (title, body)
        };
        TipWords(library.tips.iter().map(each).collect())
    }
}

/// How well a tip matches the words asked for; 0 means not at all.
fn relevance(
    tip: &Tip,
    (title, body): &(HashSet<String>, HashSet<String>),
    topics: &[&str],
    query_words: &[String],
) -> u32 {
    let topic_points = topics
        .iter()
        .filter(|topic| tip.topics.iter().any(|t| t == *topic))
        .count() as u32
        * TOPIC_POINTS
        + if topics
            .iter()
            .any(|topic| tip.topics.first().is_some_and(|main| main == topic))
        {
            MAIN_TOPIC_POINTS
        } else {
            0
        };
    let word_points: u32 = query_words
        .iter()
        .map(|word| {
            if title.contains(word) {
                TITLE_POINTS
            } else if body.contains(word) {
                BODY_POINTS
            } else {
                0
            }
        })
        .sum();
    topic_points + word_points
}

impl Mentor {
    pub(super) async fn tip(&self, who: &MemberRef, query: Option<&str>) -> Result<Reply> {
        let member = self.ensure_member(who).await?;
        let stage = self.stage_of(Some(&member));
        let query = query.map(clean_typed_text).filter(|q| !q.is_empty());
        // With nothing asked, the pick also leans on the last twelve weeks: both reads at once.
        let twelve_weeks = async {
            match &query {
                None => self.recent_counts(member.id, 12).await.map(Some),
                Some(_) => Ok(None),
            }
        };
        let (views, twelve_weeks) = tokio::join!(self.store.tip_views(member.id), twelve_weeks);
        let seen: HashMap<String, i64> = views?.into_iter().collect();
        let last_seen = |tip: &Tip| seen.get(&tip.id).copied().unwrap_or(0);
        let fits_stage = |tip: &Tip| tip.stages.contains(&stage.id);

        let (tip, why) = match query {
            Some(query) => {
                let length = query.chars().count();
                if length > messages::QUERY_MAX_CHARS {
                    return Err(Error::user(messages::too_long(
                        "topic",
                        length,
                        messages::QUERY_MAX_CHARS,
                    )));
                }
                let topics = self.topics_in(&query);
                let query_words = keywords(&query);
                let best = self
                    .library
                    .tips
                    .iter()
                    .zip(&self.tip_words.0)
                    .map(|(tip, words)| (relevance(tip, words, &topics, &query_words), tip))
                    .filter(|(score, _)| *score > 0)
                    .max_by_key(|(score, tip)| {
                        (*score, fits_stage(tip), std::cmp::Reverse(last_seen(tip)))
                    })
                    .map(|(_, tip)| tip);
                let Some(tip) = best else {
                    return Err(Error::user(messages::no_tip_matches(&query, &self.library)));
                };
                let why = if fits_stage(tip) {
                    format!(
                        "Matches '{}' and fits your stage ({}).",
                        super::words::shorten(&query, 60),
                        stage.name
                    )
                } else {
                    format!(
                        "The closest match for '{}'.",
                        super::words::shorten(&query, 60)
                    )
                };
                (tip, why)
            }
            None => {
                let lean = twelve_weeks?.and_then(|counts| weaker_mode(counts, stage));
                let tip = self
                    .library
                    .tips
                    .iter()
                    .filter(|tip| fits_stage(tip))
                    .min_by_key(|tip| {
                        (
                            last_seen(tip),
                            Some(tip.mode) != lean,
                            mix(member.id, &tip.id),
                        )
                    })
                    .or_else(|| self.library.tips.first())
                    .ok_or_else(|| anyhow::anyhow!("the library has no tips"))?;
                let why = match lean {
                    Some(mode) if tip.mode == mode => format!(
                        "Picked for your stage ({}), leaning toward {mode}, the lighter side of your last 12 weeks.",
                        stage.name
                    ),
                    _ => format!(
                        "Picked for your stage ({}), one you have not seen lately.",
                        stage.name
                    ),
                };
                (tip, why)
            }
        };
        self.store
            .record_tip_view(member.id, &tip.id, self.now().timestamp())
            .await?;
        Ok(tip_reply(&self.library, tip, &why))
    }

    /// The topics named in a query by id or alias: the whole phrase, then two-word phrases
    /// ("press release"), then single words not already part of a matched phrase.
    fn topics_in(&self, query: &str) -> Vec<&str> {
        let tokens: Vec<String> = query
            .split_whitespace()
            .map(|word| {
                word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != ':')
                    .to_lowercase()
            })
            .filter(|word| !word.is_empty())
            .collect();
        let mut found: Vec<&str> = Vec::new();
        let mut add = |word: &str| match self.library.topic(word) {
            Some(topic) => {
                if !found.contains(&topic.id.as_str()) {
                    found.push(&topic.id);
                }
                true
            }
            None => false,
        };
        add(&tokens.join("-"));
        let mut used = vec![false; tokens.len()];
        for i in 1..tokens.len() {
            if add(&format!("{}-{}", tokens[i - 1], tokens[i])) {
                used[i - 1] = true;
                used[i] = true;
            }
        }
        for (token, used) in tokens.iter().zip(used) {
            if !used {
                add(token);
            }
        }
        found
    }
}

/// A tip is personal: shown privately, with a button to share it with the channel.
fn tip_reply(library: &crate::content::Library, tip: &Tip, why: &str) -> Reply {
    let hat = match tip.mode {
        Mode::Management => "Management: executing the known",
        Mode::Leadership => "Leadership: exploring the unknown",
    };
    let place = library
        .tips
        .iter()
        .position(|t| t.id == tip.id)
        .unwrap_or(0);
    Reply::new(&tip.title, &tip.body)
        .private()
        .field("Hat", hat)
        .field("Topics", tip.topics.join(", "))
        .field("Why this tip", why)
        .button(
            Action::ShareTip(place as i64),
            messages::SHARE_TIP_LABEL,
            ButtonStyle::Secondary,
        )
}

impl Mentor {
    /// The tip at `place` in the library as a post for the whole channel, saying who shared it.
    pub(super) fn shared_tip(&self, who: &MemberRef, place: i64) -> Result<Reply> {
        let tip = usize::try_from(place)
            .ok()
            .and_then(|place| self.library.tips.get(place))
            .ok_or_else(|| Error::user(messages::STALE_BUTTON))?;
        let name = super::words::shorten(&super::words::clean_typed_text(&who.name), 60);
        Ok(Reply::new(&tip.title, &tip.body)
            .field(messages::SHARED_BY, super::words::defuse_mentions(&name)))
    }
}
