//! Parses and checks the content files, collecting every problem with its file and entry.

use std::collections::HashSet;

use serde::de::DeserializeOwned;

use super::model::{Challenge, Mode, ReflectionPrompt, Situation, Stage, Tip, Topic};

pub const TIP_BODY_MAX: usize = 600;
const TITLE_MAX: usize = 100;
const QUESTION_MAX: usize = 300;
const FOCUS_MAX: usize = 600;
/// The seed articles an idea can draw on, or `beyond` for ideas past them.
const SOURCES: [&str; 5] = ["000", "001", "002", "003", "beyond"];

/// Problems found in one load, each already phrased as "file: entry: problem".
#[derive(Debug, Default)]
pub struct Problems(pub Vec<String>);

impl Problems {
    fn add(&mut self, file: &str, entry: &str, problem: impl std::fmt::Display) {
        self.0.push(format!("{file}: {entry}: {problem}"));
    }
}

/// Reads the array of tables called `key` (`[[tip]]`, …) from one file.
/// Entries that do not parse are reported and left out.
pub fn parse_entries<T: DeserializeOwned>(
    file: &str,
    text: &str,
    key: &str,
    problems: &mut Problems,
) -> Vec<(String, T)> {
    let table: toml::Table = match toml::from_str(text) {
        Ok(table) => table,
        Err(err) => {
            let place = match err.span() {
                Some(span) => format!("line {}", line_of(text, span.start)),
                None => "file".to_string(),
            };
            problems.add(file, &place, format!("not valid TOML: {}", err.message()));
            return Vec::new();
        }
    };
    for other in table.keys().filter(|k| k.as_str() != key) {
        problems.add(
            file,
            other,
            format!("unknown section (expected only [[{key}]] entries)"),
        );
    }
    let Some(value) = table.get(key) else {
        problems.add(file, "file", format!("no [[{key}]] entries"));
        return Vec::new();
    };
    let Some(array) = value.as_array() else {
        problems.add(file, key, format!("must be written as [[{key}]] tables"));
        return Vec::new();
    };
    if array.is_empty() {
        problems.add(file, "file", format!("no [[{key}]] entries"));
    }
    let mut entries = Vec::with_capacity(array.len());
    for (index, item) in array.iter().enumerate() {
        let id = item.get("id").and_then(|id| id.as_str());
        let label = match id {
            Some(id) => format!("{key} '{id}'"),
            None => format!("{key} #{}", index + 1),
        };
        match item.clone().try_into::<T>() {
            Ok(parsed) => entries.push((label, parsed)),
            Err(err) => problems.add(file, &label, err.message()),
        }
    }
    entries
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn check_id(
    file: &str,
    label: &str,
    id: &str,
    seen: &mut HashSet<String>,
    problems: &mut Problems,
) {
    let well_formed = !id.is_empty()
        && id.len() <= 40
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !well_formed {
        problems.add(
            file,
            label,
            "id must be 1-40 characters of a-z, 0-9 and '-'",
        );
    }
    if !seen.insert(id.to_string()) {
        problems.add(file, label, "duplicate id");
    }
}

fn check_text(
    file: &str,
    label: &str,
    field: &str,
    text: &str,
    max: usize,
    problems: &mut Problems,
) {
    let length = text.trim().chars().count();
    if length == 0 {
        problems.add(file, label, format!("{field} is empty"));
    } else if length > max {
        problems.add(
            file,
            label,
            format!("{field} is {length} characters (at most {max})"),
        );
    }
}

fn check_known(
    file: &str,
    label: &str,
    kind: &str,
    values: &[String],
    known: &HashSet<&str>,
    problems: &mut Problems,
) {
    if values.is_empty() {
        problems.add(file, label, format!("needs at least one {kind}"));
    }
    for value in values.iter().filter(|v| !known.contains(v.as_str())) {
        problems.add(file, label, format!("unknown {kind} '{value}'"));
    }
}

pub fn check_topics(file: &str, topics: &[(String, Topic)], problems: &mut Problems) {
    let mut ids = HashSet::new();
    let mut words = HashSet::new();
    for (label, topic) in topics {
        check_id(file, label, &topic.id, &mut ids, problems);
        check_text(
            file,
            label,
            "description",
            &topic.description,
            200,
            problems,
        );
        for alias in &topic.aliases {
            if !words.insert(alias.to_lowercase()) || ids.contains(&alias.to_lowercase()) {
                problems.add(file, label, format!("alias '{alias}' is used twice"));
            }
        }
    }
}

pub fn check_stages(file: &str, stages: &[(String, Stage)], problems: &mut Problems) {
    let mut ids = HashSet::new();
    for (label, stage) in stages {
        check_id(file, label, &stage.id, &mut ids, problems);
        check_text(file, label, "name", &stage.name, TITLE_MAX, problems);
        check_text(
            file,
            label,
            "management_focus",
            &stage.management_focus,
            FOCUS_MAX,
            problems,
        );
        check_text(
            file,
            label,
            "leadership_focus",
            &stage.leadership_focus,
            FOCUS_MAX,
            problems,
        );
        if stage.target_management > 100 {
            problems.add(
                file,
                label,
                "target_management must be a percentage from 0 to 100",
            );
        }
        if stage.next_actions.len() < 3 {
            problems.add(file, label, "needs at least 3 next_actions");
        }
        for action in &stage.next_actions {
            check_text(file, label, "a next action", action, QUESTION_MAX, problems);
        }
    }
}

pub fn check_tips(
    file: &str,
    tips: &[(String, Tip)],
    topics: &HashSet<&str>,
    stages: &HashSet<&str>,
    problems: &mut Problems,
) {
    let mut ids = HashSet::new();
    for (label, tip) in tips {
        check_id(file, label, &tip.id, &mut ids, problems);
        check_text(file, label, "title", &tip.title, TITLE_MAX, problems);
        check_text(file, label, "body", &tip.body, TIP_BODY_MAX, problems);
        check_known(file, label, "topic", &tip.topics, topics, problems);
        check_known(file, label, "stage", &tip.stages, stages, problems);
        check_seed(file, label, &tip.seed, problems);
    }
}

fn check_seed(file: &str, label: &str, seed: &str, problems: &mut Problems) {
    if !SOURCES.contains(&seed) {
        problems.add(
            file,
            label,
            format!("unknown seed '{seed}' (one of {})", SOURCES.join(", ")),
        );
    }
}

/// The shortest corpus worth learning from: enough situations of each hat.
const SITUATIONS_PER_MODE_MIN: usize = 20;
const SITUATION_MAX: usize = 200;

pub fn check_situations(
    file: &str,
    situations: &[(String, Situation)],
    stages: &HashSet<&str>,
    problems: &mut Problems,
) {
    let mut seen = HashSet::new();
    for (label, situation) in situations {
        check_text(
            file,
            label,
            "text",
            &situation.text,
            SITUATION_MAX,
            problems,
        );
        if !seen.insert(situation.text.trim().to_lowercase()) {
            problems.add(file, label, "the same text appears twice");
        }
        if !stages.contains(situation.stage.as_str()) {
            problems.add(file, label, format!("unknown stage '{}'", situation.stage));
        }
    }
    for mode in Mode::ALL {
        let count = situations.iter().filter(|(_, s)| s.mode == mode).count();
        if count < SITUATIONS_PER_MODE_MIN {
            problems.add(
                file,
                "file",
                format!("only {count} {mode} situations; the diagnosis needs at least {SITUATIONS_PER_MODE_MIN} of each hat"),
            );
        }
    }
}

pub fn check_prompts(
    file: &str,
    prompts: &[(String, ReflectionPrompt)],
    topics: &HashSet<&str>,
    stages: &HashSet<&str>,
    problems: &mut Problems,
) {
    let mut ids = HashSet::new();
    for (label, prompt) in prompts {
        check_id(file, label, &prompt.id, &mut ids, problems);
        check_text(
            file,
            label,
            "question",
            &prompt.question,
            QUESTION_MAX,
            problems,
        );
        check_text(
            file,
            label,
            "follow_up",
            &prompt.follow_up,
            QUESTION_MAX,
            problems,
        );
        check_known(file, label, "topic", &prompt.topics, topics, problems);
        check_known(file, label, "stage", &prompt.stages, stages, problems);
        check_seed(file, label, &prompt.seed, problems);
    }
    for (label, prompt) in prompts {
        if let Some(earlier) = &prompt.follows_up
            && (earlier == &prompt.id || !ids.contains(earlier))
        {
            problems.add(
                file,
                label,
                format!("follows_up names '{earlier}', which is not another prompt in this file"),
            );
        }
    }
}

pub fn check_challenges(
    file: &str,
    challenges: &[(String, Challenge)],
    topics: &HashSet<&str>,
    stages: &HashSet<&str>,
    problems: &mut Problems,
) {
    let mut ids = HashSet::new();
    for (label, challenge) in challenges {
        check_id(file, label, &challenge.id, &mut ids, problems);
        check_text(file, label, "title", &challenge.title, TITLE_MAX, problems);
        check_text(file, label, "goal", &challenge.goal, FOCUS_MAX, problems);
        check_text(
            file,
            label,
            "check_in",
            &challenge.check_in,
            QUESTION_MAX,
            problems,
        );
        check_text(
            file,
            label,
            "done_when",
            &challenge.done_when,
            QUESTION_MAX,
            problems,
        );
        check_known(file, label, "topic", &challenge.topics, topics, problems);
        check_known(file, label, "stage", &challenge.stages, stages, problems);
        check_seed(file, label, &challenge.seed, problems);
        if !(1..=90).contains(&challenge.days) {
            problems.add(file, label, "days must be from 1 to 90");
        }
    }
}
