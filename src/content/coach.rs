//! `coach.toml`: what mentorbot tells the team's own model for each task, and the pre-mortem
//! questions asked when no model is configured. Checked at start-up like the rest.

use serde::Deserialize;

use super::validate::Problems;

/// The coach's instructions and the pre-mortem's questions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoachText {
    pub coach: Instructions,
    pub premortem: Premortem,
}

/// The system message and one instruction per task.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instructions {
    pub system: String,
    pub follow_up: String,
    pub premortem: String,
    pub review: String,
    pub hat: String,
}

/// The pre-mortem: the closing question, and the questions that guide it without a model.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Premortem {
    pub ask: String,
    pub questions: Vec<String>,
}

const INSTRUCTION_MAX: usize = 1_500;
/// The closing question is a form's placeholder, which Discord and Slack cut at 100 and 150.
const ASK_MAX: usize = 100;
const QUESTION_MAX: usize = 300;

/// Parses and checks `coach.toml`; `None` with the problems recorded when it is unusable.
pub fn parse(file: &str, text: &str, problems: &mut Problems) -> Option<CoachText> {
    let parsed: CoachText = match toml::from_str(text) {
        Ok(parsed) => parsed,
        Err(error) => {
            problems.0.push(format!("{file}: {}", error.message()));
            return None;
        }
    };
    let before = problems.0.len();
    let instructions = [
        ("coach.system", &parsed.coach.system),
        ("coach.follow_up", &parsed.coach.follow_up),
        ("coach.premortem", &parsed.coach.premortem),
        ("coach.review", &parsed.coach.review),
        ("coach.hat", &parsed.coach.hat),
    ];
    for (name, text) in instructions {
        check(file, name, text, INSTRUCTION_MAX, problems);
    }
    check(
        file,
        "premortem.ask",
        &parsed.premortem.ask,
        ASK_MAX,
        problems,
    );
    if !(3..=8).contains(&parsed.premortem.questions.len()) {
        problems.0.push(format!(
            "{file}: premortem.questions: {} questions (3 to 8)",
            parsed.premortem.questions.len()
        ));
    }
    for (index, question) in parsed.premortem.questions.iter().enumerate() {
        let name = format!("premortem.questions[{}]", index + 1);
        check(file, &name, question, QUESTION_MAX, problems);
    }
    (problems.0.len() == before).then_some(parsed)
}

fn check(file: &str, name: &str, text: &str, max: usize, problems: &mut Problems) {
    let length = text.trim().chars().count();
    if length == 0 {
        problems.0.push(format!("{file}: {name}: is empty"));
    } else if length > max {
        problems.0.push(format!(
            "{file}: {name}: {length} characters (at most {max})"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_is_valid_and_bad_files_say_why() {
        let mut problems = Problems::default();
        let shipped = include_str!("../../prompts/coach.toml");
        assert!(
            parse("coach.toml", shipped, &mut problems).is_some(),
            "{problems:?}"
        );

        let empty_hat = shipped.replacen("hat = \"\"\"", "hat = \"\"\" \"\"\"\nunused = \"\"\"", 1);
        let mut problems = Problems::default();
        assert!(parse("coach.toml", &empty_hat, &mut problems).is_none());
        assert!(
            problems.0.iter().any(|p| p.contains("unused")),
            "{problems:?}"
        );

        let mut problems = Problems::default();
        let missing = "[coach]\nsystem = \"x\"\n[premortem]\nask = \"y\"\nquestions = []\n";
        assert!(parse("coach.toml", missing, &mut problems).is_none());
        assert!(problems.0[0].contains("follow_up"), "{problems:?}");
    }
}
