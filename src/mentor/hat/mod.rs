//! "Which hat?": whether a situation calls for managing (executing the known) or leading
//! (exploring the unknown). A model trained on labelled situations reads it; the reply names
//! the words that weighed most, row by row of the manage-or-lead table, and one next step.

pub mod model;
mod spelling;
#[cfg(test)]
mod tests;

use crate::content::{Dimension, Mode};
use crate::error::{Error, Result};

use super::words::{defuse_mentions, shorten};
use super::{MemberRef, Mentor, Reply, messages};

pub use model::Model;

/// Reasons shown per row of the table, and rows shown at most.
const REASONS_PER_ROW: usize = 3;

/// One word (or pair) that weighed in the reading.
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub dimension: Dimension,
    pub mode: Mode,
    pub cue: String,
    /// How strongly it leans, in log-odds.
    pub weight: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    /// `None` when the two sides are too close to call.
    pub hat: Option<Mode>,
    /// Every known word found, strongest first.
    pub evidence: Vec<Evidence>,
}

impl Diagnosis {
    /// The words leaning to `mode`, strongest first.
    pub fn cues_for(&self, mode: Mode) -> Vec<&str> {
        self.evidence
            .iter()
            .filter(|e| e.mode == mode)
            .map(|e| e.cue.as_str())
            .collect()
    }

    /// The row of the table where the evidence for `hat` is heaviest.
    fn strongest_row(&self, hat: Mode) -> Option<Dimension> {
        Dimension::ALL
            .into_iter()
            .map(|row| {
                let weight: f64 = self
                    .evidence
                    .iter()
                    .filter(|e| e.mode == hat && e.dimension == row)
                    .map(|e| e.weight)
                    .sum();
                (row, weight)
            })
            .filter(|(_, weight)| *weight > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(row, _)| row)
    }
}

impl Model {
    /// Reads a situation and says which hat it calls for, with the words that decided it.
    pub fn diagnose(&self, situation: &str) -> Diagnosis {
        let reading = self.read(situation);
        let evidence = reading
            .weighed
            .iter()
            .filter(|w| w.lean != 0.0)
            .map(|w| Evidence {
                dimension: w.dimension,
                mode: if w.lean > 0.0 {
                    Mode::Leadership
                } else {
                    Mode::Management
                },
                cue: w.words.clone(),
                weight: w.lean.abs(),
            })
            .collect();
        Diagnosis {
            hat: reading.hat(),
            evidence,
        }
    }
}

/// One next step for the hat, shaped by the row of the table that weighed most.
fn next_step(hat: Mode, row: Dimension) -> &'static str {
    match (hat, row) {
        (Mode::Management, Dimension::Goal) => {
            "Write down the date and scope you are committing to, and the one risk most likely to move it."
        }
        (Mode::Management, Dimension::Example) => {
            "Put the plan on one page: what ships, when, who does what, and what could slip."
        }
        (Mode::Management, Dimension::Activities) => {
            "Get the next piece of work ready: clear acceptance criteria, an estimate, and every dependency named with an owner."
        }
        (Mode::Management, Dimension::Metric) => {
            "Pick the one delivery measure you will watch this week and share it with the team."
        }
        (Mode::Management, Dimension::Tools) => {
            "Make the tracker tell the truth today, so nobody has to ask you for status."
        }
        (Mode::Leadership, Dimension::Goal) => {
            "Write the why in one sentence a new joiner would remember, then test it on two people."
        }
        (Mode::Leadership, Dimension::Example) => {
            "Name the people whose minds need to change, and plan one conversation with each this week."
        }
        (Mode::Leadership, Dimension::Activities) => {
            "Draft a one-page press release or story for it before you plan any tasks."
        }
        (Mode::Leadership, Dimension::Metric) => {
            "Turn the outcome you want into a story: which customer, what changes for them, what it is worth."
        }
        (Mode::Leadership, Dimension::Tools) => {
            "Show the future: sketch a rough prototype or a three-slide narrative and walk one stakeholder through it."
        }
    }
}

/// The one question that would settle a close call: about the row the situation says least on.
fn deciding_question(diagnosis: &Diagnosis) -> &'static str {
    let said = |row: Dimension| diagnosis.evidence.iter().any(|e| e.dimension == row);
    match [Dimension::Goal, Dimension::Metric, Dimension::Activities]
        .into_iter()
        .find(|row| !said(*row))
    {
        Some(Dimension::Metric) => messages::HAT_ASK_METRIC,
        Some(Dimension::Activities) => messages::HAT_ASK_ACTIVITIES,
        _ => messages::HAT_ASK_GOAL,
    }
}

impl Mentor {
    /// Reads a situation with the trained model.
    pub fn diagnose(&self, situation: &str) -> Diagnosis {
        self.hat_model.diagnose(situation)
    }

    pub(super) async fn hat(&self, who: &MemberRef, situation: &str) -> Result<Reply> {
        let situation = super::words::clean_typed_text(situation);
        if situation.is_empty() {
            return Ok(cheat_sheet());
        }
        let length = situation.chars().count();
        if length > messages::SITUATION_MAX_CHARS {
            return Err(Error::user(messages::too_long(
                "situation",
                length,
                messages::SITUATION_MAX_CHARS,
            )));
        }
        let diagnosis = self.diagnose(&situation);
        let quoted = defuse_mentions(&shorten(&situation, 200));
        let Some(hat) = diagnosis.hat else {
            let question = deciding_question(&diagnosis);
            let text = match diagnosis.evidence.is_empty() {
                true => format!("\"{quoted}\"\n{}", messages::HAT_NOTHING_KNOWN),
                false => format!("\"{quoted}\"\n{}", messages::HAT_TOO_CLOSE),
            };
            let mut reply = Reply::new(messages::HAT_UNDECIDED_TITLE, text)
                .field("One question decides it", question);
            if self.coach().is_some()
                && let Some(member) = self.find_member(who).await?
                && self.coach_on_for(member.id).await?
            {
                reply.later = Some(super::Later::SecondOpinion { situation });
            }
            return Ok(reply);
        };
        let (title, why) = match hat {
            Mode::Management => (messages::HAT_MANAGE_TITLE, messages::HAT_MANAGE_WHY),
            Mode::Leadership => (messages::HAT_LEAD_TITLE, messages::HAT_LEAD_WHY),
        };
        let mut reply = Reply::new(title, format!("\"{quoted}\"\n{why}"));
        for row in Dimension::ALL {
            let reasons: Vec<String> = diagnosis
                .evidence
                .iter()
                .filter(|e| e.dimension == row && e.mode == hat)
                .take(REASONS_PER_ROW)
                .map(|e| format!("'{}' ({})", defuse_mentions(&e.cue), e.mode))
                .collect();
            if !reasons.is_empty() {
                reply = reply.field(row.label(), reasons.join(", "));
            }
        }
        let row = diagnosis.strongest_row(hat).unwrap_or(Dimension::Goal);
        Ok(reply.field("Next step", next_step(hat, row)))
    }
}

/// `/hat` with nothing to read: the manage-or-lead table as a short cheat sheet.
fn cheat_sheet() -> Reply {
    let mut reply = Reply::new(messages::HAT_SHEET_TITLE, messages::HAT_SHEET_INTRO).private();
    for (row, line) in messages::HAT_SHEET {
        reply = reply.field(row.label(), line);
    }
    reply.field("Try it", messages::HAT_NEEDS_SITUATION)
}
