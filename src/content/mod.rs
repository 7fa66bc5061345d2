//! The content library: loaded once from `prompts/` (the shipped copy is embedded in the binary),
//! validated, then shared read-only.

pub mod coach;
pub mod model;
mod validate;

use std::collections::HashSet;
use std::path::Path;

pub use coach::CoachText;
pub use model::{Challenge, Dimension, Mode, ReflectionPrompt, Situation, Stage, Tip, Topic};
use validate::Problems;
pub use validate::TIP_BODY_MAX;

/// The files of a content folder, in the order they are read.
pub const FILES: [&str; 5] = [
    "topics.toml",
    "stages.toml",
    "tips.toml",
    "reflections.toml",
    "challenges.toml",
];

const SHIPPED: [&str; 5] = [
    include_str!("../../prompts/topics.toml"),
    include_str!("../../prompts/stages.toml"),
    include_str!("../../prompts/tips.toml"),
    include_str!("../../prompts/reflections.toml"),
    include_str!("../../prompts/challenges.toml"),
];

/// The labelled situations the "which hat?" diagnosis learns from. Optional in a folder of
/// one's own: without it, the shipped situations are used.
pub const SITUATIONS_FILE: &str = "situations.toml";
const SHIPPED_SITUATIONS: &str = include_str!("../../prompts/situations.toml");

/// What the coach tells the team's own model. Optional in a folder of one's own: without it,
/// the shipped instructions are used.
pub const COACH_FILE: &str = "coach.toml";
const SHIPPED_COACH: &str = include_str!("../../prompts/coach.toml");

/// Every problem found while loading content, each naming its file, entry and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("the content in {origin} has {} problem(s):\n  {}", .problems.len(), .problems.join("\n  "))]
pub struct ContentError {
    pub origin: String,
    pub problems: Vec<String>,
}

/// All tips, stages, prompts and challenges, checked and ready to read.
#[derive(Debug)]
pub struct Library {
    pub topics: Vec<Topic>,
    pub stages: Vec<Stage>,
    pub tips: Vec<Tip>,
    pub prompts: Vec<ReflectionPrompt>,
    pub challenges: Vec<Challenge>,
    pub situations: Vec<Situation>,
    pub coach: CoachText,
}

impl Library {
    /// The content compiled into the binary from `prompts/`.
    pub fn shipped() -> Result<Library, ContentError> {
        Library::from_texts(
            "the shipped prompts/ folder",
            "prompts/",
            SHIPPED,
            SHIPPED_SITUATIONS,
            SHIPPED_COACH,
        )
    }

    /// The content of `dir`, which must hold every file of [`FILES`].
    pub fn from_dir(dir: &Path) -> Result<Library, ContentError> {
        let mut texts: [String; 5] = Default::default();
        let mut problems = Vec::new();
        for (text, name) in texts.iter_mut().zip(FILES) {
            match std::fs::read_to_string(dir.join(name)) {
                Ok(read) => *text = read,
                Err(err) => {
                    problems.push(format!("{}: cannot read: {err}", dir.join(name).display()))
                }
            }
        }
        let origin = dir.display().to_string();
        if !problems.is_empty() {
            return Err(ContentError { origin, problems });
        }
        let prefix = format!("{}/", dir.display());
        let situations = match std::fs::read_to_string(dir.join(SITUATIONS_FILE)) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                SHIPPED_SITUATIONS.to_string()
            }
            Err(err) => {
                let problem = format!(
                    "{}: cannot read: {err}",
                    dir.join(SITUATIONS_FILE).display()
                );
                return Err(ContentError {
                    origin,
                    problems: vec![problem],
                });
            }
        };
        let coach = match optional_file(dir, COACH_FILE, SHIPPED_COACH) {
            Ok(text) => text,
            Err(problem) => {
                return Err(ContentError {
                    origin,
                    problems: vec![problem],
                });
            }
        };
        Library::from_texts(
            &origin,
            &prefix,
            texts.each_ref().map(String::as_str),
            &situations,
            &coach,
        )
    }

    /// The folder's content when one is given, else the shipped content.
    pub fn load(dir: Option<&Path>) -> Result<Library, ContentError> {
        match dir {
            Some(dir) => Library::from_dir(dir),
            None => Library::shipped(),
        }
    }

    fn from_texts(
        origin: &str,
        prefix: &str,
        texts: [&str; 5],
        situations: &str,
        coach: &str,
    ) -> Result<Library, ContentError> {
        let [topics, stages, tips, prompts, challenges] = texts;
        let name = |file: &str| format!("{prefix}{file}");
        let mut problems = Problems::default();

        let topics =
            validate::parse_entries::<Topic>(&name(FILES[0]), topics, "topic", &mut problems);
        validate::check_topics(&name(FILES[0]), &topics, &mut problems);
        let stages =
            validate::parse_entries::<Stage>(&name(FILES[1]), stages, "stage", &mut problems);
        validate::check_stages(&name(FILES[1]), &stages, &mut problems);

        let topic_ids: HashSet<&str> = topics.iter().map(|(_, t)| t.id.as_str()).collect();
        let stage_ids: HashSet<&str> = stages.iter().map(|(_, s)| s.id.as_str()).collect();

        let tips = validate::parse_entries::<Tip>(&name(FILES[2]), tips, "tip", &mut problems);
        validate::check_tips(
            &name(FILES[2]),
            &tips,
            &topic_ids,
            &stage_ids,
            &mut problems,
        );
        let prompts = validate::parse_entries::<ReflectionPrompt>(
            &name(FILES[3]),
            prompts,
            "prompt",
            &mut problems,
        );
        validate::check_prompts(
            &name(FILES[3]),
            &prompts,
            &topic_ids,
            &stage_ids,
            &mut problems,
        );
        let challenges = validate::parse_entries::<Challenge>(
            &name(FILES[4]),
            challenges,
            "challenge",
            &mut problems,
        );
        validate::check_challenges(
            &name(FILES[4]),
            &challenges,
            &topic_ids,
            &stage_ids,
            &mut problems,
        );
        let situations = validate::parse_entries::<Situation>(
            &name(SITUATIONS_FILE),
            situations,
            "situation",
            &mut problems,
        );
        validate::check_situations(
            &name(SITUATIONS_FILE),
            &situations,
            &stage_ids,
            &mut problems,
        );

        let coach = coach::parse(&name(COACH_FILE), coach, &mut problems);

        let Some(coach) = coach.filter(|_| problems.0.is_empty()) else {
            return Err(ContentError {
                origin: origin.to_string(),
                problems: problems.0,
            });
        };
        Ok(Library {
            topics: topics.into_iter().map(|(_, t)| t).collect(),
            stages: stages.into_iter().map(|(_, s)| s).collect(),
            tips: tips.into_iter().map(|(_, t)| t).collect(),
            prompts: prompts.into_iter().map(|(_, p)| p).collect(),
            challenges: challenges.into_iter().map(|(_, c)| c).collect(),
            situations: situations.into_iter().map(|(_, s)| s).collect(),
            coach,
        })
    }

    /// One line with how much content there is, for `mentorbot check` and start-up logs.
    pub fn summary(&self) -> String {
        format!(
            "{} tips, {} career stages, {} reflection prompts, {} team challenges, {} topics, {} labelled situations",
            self.tips.len(),
            self.stages.len(),
            self.prompts.len(),
            self.challenges.len(),
            self.topics.len(),
            self.situations.len()
        )
    }

    /// A stage by id, alias or name, ignoring case ("senior", "PM II", "director").
    pub fn stage(&self, query: &str) -> Option<&Stage> {
        let query = query.trim().to_lowercase();
        self.stages.iter().find(|stage| {
            stage.id == query
                || stage.name.to_lowercase() == query
                || stage
                    .aliases
                    .iter()
                    .any(|alias| alias.to_lowercase() == query)
        })
    }

    /// The stage assumed for members who have not chosen one: the earliest.
    pub fn first_stage(&self) -> &Stage {
        &self.stages[0]
    }

    /// A topic by id or alias, ignoring case.
    pub fn topic(&self, word: &str) -> Option<&Topic> {
        let word = word.trim().to_lowercase();
        self.topics.iter().find(|topic| {
            topic.id == word
                || topic
                    .aliases
                    .iter()
                    .any(|alias| alias.to_lowercase() == word)
        })
    }

    pub fn prompt(&self, id: &str) -> Option<&ReflectionPrompt> {
        self.prompts.iter().find(|prompt| prompt.id == id)
    }

    pub fn tip(&self, id: &str) -> Option<&Tip> {
        self.tips.iter().find(|tip| tip.id == id)
    }
}

/// A file a folder of one's own may leave out, in which case the shipped text is used.
fn optional_file(dir: &Path, name: &str, shipped: &str) -> Result<String, String> {
    match std::fs::read_to_string(dir.join(name)) {
        Ok(text) => Ok(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(shipped.to_string()),
        Err(err) => Err(format!("{}: cannot read: {err}", dir.join(name).display())),
    }
}
