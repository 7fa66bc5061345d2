//! "Which hat?": whether a situation calls for managing (executing the known) or leading
//! (exploring the unknown), decided by explainable word rules over the four dimensions of
//! the lead-or-manage table: primary goal, activities, success metric and typical tools.

use crate::content::Mode;
use crate::error::{Error, Result};

use super::words::{defuse_mentions, shorten, words};
use super::{MemberRef, Mentor, Reply, messages};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Goal,
    Activities,
    Metric,
    Tools,
}

impl Dimension {
    pub fn label(self) -> &'static str {
        match self {
            Dimension::Goal => "Primary goal",
            Dimension::Activities => "Activities",
            Dimension::Metric => "Success metric",
            Dimension::Tools => "Tools",
        }
    }
}

/// Words that point to one hat on one dimension. Multi-word cues must appear together.
const CUES: [(Dimension, Mode, &[&str]); 8] = [
    (
        Dimension::Goal,
        Mode::Management,
        &[
            "deliver",
            "delivery",
            "deadline",
            "on time",
            "predictable",
            "predictability",
            "efficiency",
            "efficient",
            "ship",
            "shipping",
            "schedule",
            "due date",
            "commitment",
            "scope",
            "deliverable",
            "late",
            "slipping",
            "on track",
            "execute",
            "execution",
        ],
    ),
    (
        Dimension::Goal,
        Mode::Leadership,
        &[
            "vision",
            "innovate",
            "innovation",
            "influence",
            "align",
            "alignment",
            "strategy",
            "strategic",
            "bet",
            "new market",
            "persuade",
            "convince",
            "inspire",
            "why",
            "direction",
            "future",
            "opportunity",
            "pivot",
            "buy in",
            "new product",
            "long term",
        ],
    ),
    (
        Dimension::Activities,
        Mode::Management,
        &[
            "prd",
            "requirement",
            "spec",
            "backlog",
            "groom",
            "grooming",
            "refinement",
            "sprint",
            "retro",
            "retrospective",
            "standup",
            "ticket",
            "bug",
            "estimate",
            "dependency",
            "status update",
            "release plan",
            "test plan",
            "qa",
            "checklist",
            "risk register",
            "sprint planning",
            "handoff",
            "acceptance criteria",
        ],
    ),
    (
        Dimension::Activities,
        Mode::Leadership,
        &[
            "pitch",
            "market research",
            "competitive analysis",
            "competitor",
            "story",
            "storytelling",
            "narrative",
            "customer interview",
            "discovery",
            "mentor",
            "coach",
            "hire",
            "hiring",
            "culture",
            "executive",
            "exec",
            "c suite",
            "leadership team",
            "budget",
            "funding",
            "all hands",
            "press release",
            "pre mortem",
            "task force",
            "stakeholder",
            "dissent",
            "delegate",
        ],
    ),
    (
        Dimension::Metric,
        Mode::Management,
        &[
            "velocity",
            "burndown",
            "story point",
            "bug count",
            "cycle time",
            "sla",
            "uptime",
            "capacity",
            "throughput",
            "on schedule",
            "defect",
        ],
    ),
    (
        Dimension::Metric,
        Mode::Leadership,
        &[
            "market share",
            "adoption",
            "revenue",
            "arr",
            "engagement",
            "retention",
            "churn",
            "growth",
            "conversion",
            "outcome",
            "north star",
            "nps",
            "business case",
        ],
    ),
    (
        Dimension::Tools,
        Mode::Management,
        &[
            "jira",
            "asana",
            "confluence",
            "monday com",
            "smartsheet",
            "gantt",
            "linear",
            "trello",
            "tracker",
        ],
    ),
    (
        Dimension::Tools,
        Mode::Leadership,
        &[
            "figma",
            "prototype",
            "dovetail",
            "slide",
            "deck",
            "whiteboard",
            "sprig",
            "miro",
        ],
    ),
];

/// One cue found in the situation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub dimension: Dimension,
    pub mode: Mode,
    pub cue: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnosis {
    /// `None` when the cues are tied or absent.
    pub hat: Option<Mode>,
    pub evidence: Vec<Evidence>,
}

impl Diagnosis {
    pub fn cues_for(&self, mode: Mode) -> Vec<&'static str> {
        self.evidence
            .iter()
            .filter(|e| e.mode == mode)
            .map(|e| e.cue)
            .collect()
    }
}

/// Reads a situation and says which hat it calls for, with the words that decided it.
pub fn diagnose(situation: &str) -> Diagnosis {
    let text = format!(" {} ", words(situation).join(" "));
    let mut evidence = Vec::new();
    for (dimension, mode, cues) in CUES {
        for cue in cues {
            let cue_words = format!(" {} ", words(cue).join(" "));
            if text.contains(&cue_words) {
                evidence.push(Evidence {
                    dimension,
                    mode,
                    cue,
                });
            }
        }
    }
    let count = |mode: Mode| evidence.iter().filter(|e| e.mode == mode).count();
    let (management, leadership) = (count(Mode::Management), count(Mode::Leadership));
    let hat = match management.cmp(&leadership) {
        std::cmp::Ordering::Greater => Some(Mode::Management),
        std::cmp::Ordering::Less => Some(Mode::Leadership),
        std::cmp::Ordering::Equal => None,
    };
    Diagnosis { hat, evidence }
}

/// One next step for the hat, shaped by the dimension with the most cues.
fn next_step(hat: Mode, diagnosis: &Diagnosis) -> &'static str {
    let strongest = [
        Dimension::Goal,
        Dimension::Activities,
        Dimension::Metric,
        Dimension::Tools,
    ]
    .into_iter()
    .max_by_key(|d| {
        diagnosis
            .evidence
            .iter()
            .filter(|e| e.mode == hat && e.dimension == *d)
            .count()
    })
    .unwrap_or(Dimension::Goal);
    match (hat, strongest) {
        (Mode::Management, Dimension::Goal) => {
            "Write down the date and scope you are committing to, and the one risk most likely to move it."
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

impl Mentor {
    pub(super) async fn hat(&self, _who: &MemberRef, situation: &str) -> Result<Reply> {
        let situation = super::words::clean_typed_text(situation);
        if situation.is_empty() {
            return Err(Error::user(messages::HAT_NEEDS_SITUATION));
        }
        let length = situation.chars().count();
        if length > messages::SITUATION_MAX_CHARS {
            return Err(Error::user(messages::too_long(
                "situation",
                length,
                messages::SITUATION_MAX_CHARS,
            )));
        }
        let diagnosis = diagnose(&situation);
        let quoted = defuse_mentions(&shorten(&situation, 200));
        let reply = match diagnosis.hat {
            Some(Mode::Management) => Reply::new(
                "Wear the manager's hat: execute the known",
                format!(
                    "\"{quoted}\"\nThis is about flawless, predictable delivery of something already decided."
                ),
            ),
            Some(Mode::Leadership) => Reply::new(
                "Wear the leader's hat: explore the unknown",
                format!(
                    "\"{quoted}\"\nThis is about direction and influence: getting people to want a future that does not exist yet."
                ),
            ),
            None if diagnosis.evidence.is_empty() => {
                return Ok(Reply::new(
                    "I can't tell which hat yet",
                    format!(
                        "\"{quoted}\"\nNothing in it points clearly either way. Tell me more: what is the goal, \
                         what will you actually do, and how will you know it worked?"
                    ),
                ));
            }
            None => Reply::new(
                "Wear both hats, one at a time",
                format!(
                    "\"{quoted}\"\nThere is as much managing as leading here. Settle the why first, then plan the how."
                ),
            ),
        };
        let mut reply = reply;
        for dimension in [
            Dimension::Goal,
            Dimension::Activities,
            Dimension::Metric,
            Dimension::Tools,
        ] {
            let found: Vec<String> = diagnosis
                .evidence
                .iter()
                .filter(|e| e.dimension == dimension)
                .map(|e| format!("'{}' ({})", e.cue, e.mode))
                .collect();
            if !found.is_empty() {
                reply = reply.field(dimension.label(), found.join(", "));
            }
        }
        let step = match diagnosis.hat {
            Some(hat) => next_step(hat, &diagnosis),
            None => next_step(Mode::Leadership, &diagnosis),
        };
        Ok(reply.field("Next step", step))
    }
}

#[cfg(test)]
mod tests;
