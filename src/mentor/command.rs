//! The command grammar shared by text front ends: `parse` decides, `Mentor::handle` acts.

use crate::content::Mode;
use crate::error::{Error, Result};

use super::challenge::ChallengeCommand;
use super::export::ExportFormat;
use super::messages;
use super::nudge::NudgeCommand;
use super::team::TeamCommand;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Tip {
        query: Option<String>,
    },
    Hat {
        situation: String,
    },
    Stage,
    StageSet {
        stage: String,
    },
    Reflect {
        text: Option<String>,
        mode: Option<Mode>,
    },
    /// An answer to the question asked about an earlier entry (the coach's follow-up or a
    /// pre-mortem's), from its form: saved as a note, never as this week's answer.
    Answer {
        entry: i64,
        text: String,
    },
    Log {
        page: i64,
    },
    Export {
        format: ExportFormat,
    },
    Balance,
    Forget {
        step: ForgetStep,
    },
    Nudge(NudgeCommand),
    Team(TeamCommand),
    /// Team challenges; the front end fills in the place (workspace, channel, leadership).
    Challenge(ChallengeCommand),
    /// Mentoring pairs; the front end fills in the place.
    Mentoring(super::mentoring::MentoringCommand),
    /// The coach on the team's own model: status, on, off.
    Coach(super::coach::CoachCommand),
    Premortem {
        project: String,
    },
    Review {
        weeks: Option<i64>,
    },
    /// A one-time link to the web view; the front end lists the teams the member leads.
    Web {
        teams: Vec<String>,
    },
    Help,
}

impl Command {
    /// Whether the command reads who belongs to a team (team views, challenges, mentoring
    /// pairs, the web view's teams) or removes the member: a front end notes the member's team
    /// before such a command, and may note it alongside any other. (A streak also counts the
    /// team's holidays: a member's very first command in a team may show it without them.)
    pub fn involves_teams(&self) -> bool {
        matches!(
            self,
            Command::Team(_)
                | Command::Challenge(_)
                | Command::Mentoring(_)
                | Command::Web { .. }
                | Command::Forget { .. }
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForgetStep {
    Ask,
    Confirm,
    Cancel,
}

/// Reads one typed command such as `/tip storytelling` or `stage set senior`.
pub fn parse(line: &str) -> Result<Command> {
    let line = line.trim();
    let line = line.strip_prefix('/').unwrap_or(line);
    let (name, rest) = match line.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, rest.trim()),
        None => (line, ""),
    };
    let rest_or_none = || (!rest.is_empty()).then(|| rest.to_string());
    match name.to_lowercase().as_str() {
        "tip" => Ok(Command::Tip {
            query: rest_or_none(),
        }),
        "hat" => Ok(Command::Hat {
            situation: rest.to_string(),
        }),
        "stage" => parse_stage(rest),
        "reflect" => Ok(parse_reflect(rest)),
        "log" => parse_log(rest),
        "export" => Ok(Command::Export {
            format: ExportFormat::parse(rest)?,
        }),
        "balance" => Ok(Command::Balance),
        "forget" => parse_forget(rest),
        "nudge" => parse_nudge(rest),
        "team" => Err(Error::user(messages::TEAM_NEEDS_CHANNEL)),
        "mentoring" => Ok(Command::Mentoring(super::mentoring::MentoringCommand {
            place: Default::default(),
            action: super::mentoring::parse(rest)?,
        })),
        "challenge" | "challenges" => Ok(Command::Challenge(ChallengeCommand {
            place: Default::default(),
            action: super::challenge::parse(rest)?,
        })),
        "coach" => Ok(Command::Coach(super::coach::parse(rest)?)),
        "premortem" | "pre-mortem" => Ok(Command::Premortem {
            project: rest.to_string(),
        }),
        "review" => parse_review(rest),
        "answer" => parse_answer(rest),
        "web" => Ok(Command::Web { teams: Vec::new() }),
        "help" | "?" => Ok(Command::Help),
        "" => Err(Error::user(messages::EMPTY_COMMAND)),
        _ => Err(Error::user(messages::unknown_command(name))),
    }
}

fn parse_stage(rest: &str) -> Result<Command> {
    let (sub, value) = match rest.split_once(char::is_whitespace) {
        Some((sub, value)) => (sub, value.trim()),
        None => (rest, ""),
    };
    match sub.to_lowercase().as_str() {
        "" | "show" => Ok(Command::Stage),
        "set" if value.is_empty() => Err(Error::user(messages::STAGE_SET_NEEDS_VALUE)),
        "set" => Ok(Command::StageSet {
            stage: value.to_string(),
        }),
        _ => Err(Error::user(messages::STAGE_USAGE)),
    }
}

/// `/reflect [management:|leadership:] text` — a leading mode word states the mode.
fn parse_reflect(rest: &str) -> Command {
    if let Some((first, after)) = rest.split_once(':')
        && let Some(mode) = Mode::parse(first).filter(|_| !first.contains(char::is_whitespace))
    {
        let text = after.trim();
        return Command::Reflect {
            text: (!text.is_empty()).then(|| text.to_string()),
            mode: Some(mode),
        };
    }
    Command::Reflect {
        text: (!rest.is_empty()).then(|| rest.to_string()),
        mode: None,
    }
}

fn parse_log(rest: &str) -> Result<Command> {
    if rest.is_empty() {
        return Ok(Command::Log { page: 1 });
    }
    match rest.parse::<i64>() {
        Ok(page) if page >= 1 => Ok(Command::Log { page }),
        _ => Err(Error::user(messages::LOG_PAGE_USAGE)),
    }
}

/// `/nudge`, `/nudge set monday 09:30 Europe/Berlin`, `/nudge pause 2`,
/// `/nudge pause until 2026-12-24`, `/nudge resume`, `/nudge off`, `/nudge reminder off`.
fn parse_nudge(rest: &str) -> Result<Command> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let nudge = match words.as_slice() {
        [] | ["show"] => NudgeCommand::Show,
        ["set", day, time] => NudgeCommand::Set {
            day: day.to_string(),
            time: time.to_string(),
            zone: None,
        },
        ["set", day, time, zone] => NudgeCommand::Set {
            day: day.to_string(),
            time: time.to_string(),
            zone: Some(zone.to_string()),
        },
        ["pause", "until", date] => NudgeCommand::PauseUntil(date.to_string()),
        ["pause", "until"] => return Err(Error::user(messages::PAUSE_UNTIL_NEEDS_DATE)),
        ["pause", weeks] | ["pause", weeks, "weeks" | "week"] => NudgeCommand::PauseWeeks(
            weeks
                .parse()
                .map_err(|_| Error::user(messages::PAUSE_WEEKS_RANGE))?,
        ),
        ["resume"] => NudgeCommand::Resume,
        ["off"] => NudgeCommand::Off,
        ["reminder", "on"] => NudgeCommand::Reminder(true),
        ["reminder", "off"] => NudgeCommand::Reminder(false),
        _ => return Err(Error::user(messages::NUDGE_USAGE)),
    };
    Ok(Command::Nudge(nudge))
}

/// `/answer 12 <text>`: the answer to the question asked about entry 12.
fn parse_answer(rest: &str) -> Result<Command> {
    let (entry, text) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    match entry.parse::<i64>() {
        Ok(entry) if entry >= 1 => Ok(Command::Answer {
            entry,
            text: text.trim().to_string(),
        }),
        _ => Err(Error::user(messages::ANSWER_USAGE)),
    }
}

fn parse_review(rest: &str) -> Result<Command> {
    let rest = rest
        .trim()
        .trim_end_matches("weeks")
        .trim_end_matches("week")
        .trim();
    if rest.is_empty() {
        return Ok(Command::Review { weeks: None });
    }
    match rest.parse::<i64>() {
        Ok(weeks) if (1..=52).contains(&weeks) => Ok(Command::Review { weeks: Some(weeks) }),
        _ => Err(Error::user(messages::REVIEW_USAGE)),
    }
}

fn parse_forget(rest: &str) -> Result<Command> {
    match rest.to_lowercase().as_str() {
        "" => Ok(Command::Forget {
            step: ForgetStep::Ask,
        }),
        "confirm" | "yes" => Ok(Command::Forget {
            step: ForgetStep::Confirm,
        }),
        "cancel" | "no" => Ok(Command::Forget {
            step: ForgetStep::Cancel,
        }),
        _ => Err(Error::user(messages::FORGET_USAGE)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_error(line: &str) -> String {
        match parse(line) {
            Err(Error::User(message)) => message,
            other => panic!("expected a user error for {line:?}, got {other:?}"),
        }
    }

    #[test]
    fn parses_every_command() {
        assert_eq!(parse("/tip").ok(), Some(Command::Tip { query: None }));
        assert_eq!(
            parse("tip  data storytelling ").ok(),
            Some(Command::Tip {
                query: Some("data storytelling".into())
            })
        );
        assert_eq!(
            parse("/HAT pitch to execs").ok(),
            Some(Command::Hat {
                situation: "pitch to execs".into()
            })
        );
        assert_eq!(parse("/stage").ok(), Some(Command::Stage));
        assert_eq!(
            parse("/stage set PM II").ok(),
            Some(Command::StageSet {
                stage: "PM II".into()
            })
        );
        assert_eq!(parse("/log 3").ok(), Some(Command::Log { page: 3 }));
        assert_eq!(
            parse("/export csv").ok(),
            Some(Command::Export {
                format: ExportFormat::Csv
            })
        );
        assert_eq!(
            parse("/export").ok(),
            Some(Command::Export {
                format: ExportFormat::Markdown
            })
        );
        assert_eq!(
            parse("/forget confirm").ok(),
            Some(Command::Forget {
                step: ForgetStep::Confirm
            })
        );
        assert_eq!(parse("/balance").ok(), Some(Command::Balance));
        assert_eq!(parse("help").ok(), Some(Command::Help));
        assert_eq!(
            parse("/coach on").ok(),
            Some(Command::Coach(super::super::coach::CoachCommand::On))
        );
        assert_eq!(
            parse("/review 4 weeks").ok(),
            Some(Command::Review { weeks: Some(4) })
        );
        assert_eq!(
            parse("/premortem the vendor integration").ok(),
            Some(Command::Premortem {
                project: "the vendor integration".into()
            })
        );
    }

    #[test]
    fn a_leading_mode_word_states_the_mode() {
        assert_eq!(
            parse("/reflect leadership: pitched the vision").ok(),
            Some(Command::Reflect {
                text: Some("pitched the vision".into()),
                mode: Some(Mode::Leadership)
            })
        );
        assert_eq!(
            parse("/reflect Note: the lead time grew").ok(),
            Some(Command::Reflect {
                text: Some("Note: the lead time grew".into()),
                mode: None
            })
        );
        assert_eq!(
            parse("/reflect").ok(),
            Some(Command::Reflect {
                text: None,
                mode: None
            })
        );
    }

    #[test]
    fn bad_commands_get_clear_answers() {
        assert!(user_error("/dance").contains("/help"));
        assert!(user_error("/log zero").contains("page"));
        assert!(user_error("/log 0").contains("page"));
        assert!(user_error("/export pdf").contains("markdown"));
        assert!(user_error("/stage set").contains("stage"));
        assert!(user_error("/forget everything").contains("confirm"));
        assert!(user_error("/").contains("/help"));
        assert!(user_error("/review 0").contains("1 to 52"));
        assert!(user_error("/answer soon").contains("/answer 12"));
        assert!(user_error("/review lots").contains("weeks"));
        assert!(user_error("/coach maybe").contains("/coach on"));
    }
}
