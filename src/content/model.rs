//! The shapes of the content in `prompts/`: topics, career stages, tips, reflection prompts, challenges.

use serde::{Deserialize, Serialize};

/// The two hats a product manager wears.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Executing the known: delivery, predictability, efficiency.
    Management,
    /// Exploring the unknown: vision, influence, alignment.
    Leadership,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::Management, Mode::Leadership];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Management => "management",
            Mode::Leadership => "leadership",
        }
    }

    /// Reads a mode the way people type it: `management`, `manage`, `mgmt`, `leadership`, `lead`.
    pub fn parse(word: &str) -> Option<Mode> {
        match word.trim().to_lowercase().as_str() {
            "management" | "manage" | "managing" | "mgmt" | "m" => Some(Mode::Management),
            "leadership" | "lead" | "leading" | "l" => Some(Mode::Leadership),
            _ => None,
        }
    }

    pub fn other(self) -> Mode {
        match self {
            Mode::Management => Mode::Leadership,
            Mode::Leadership => Mode::Management,
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The five rows of the manage-or-lead table (seed 000) along which a situation is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// What the work is for.
    Goal,
    /// What the situation looks like in a real week.
    Example,
    /// What you actually do.
    Activities,
    /// How you know it worked.
    Metric,
    /// What you do it with.
    Tools,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Goal,
        Dimension::Example,
        Dimension::Activities,
        Dimension::Metric,
        Dimension::Tools,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Goal => "Primary goal",
            Dimension::Example => "Real-world example",
            Dimension::Activities => "Activities",
            Dimension::Metric => "Success metric",
            Dimension::Tools => "Tools",
        }
    }
}

/// A situation a PM might describe, labelled with the hat it calls for: the examples the
/// "which hat?" diagnosis learns from.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    pub text: String,
    pub mode: Mode,
    pub dimension: Dimension,
    pub stage: String,
}

/// A subject people ask about, such as `storytelling` or `risk`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub description: String,
    /// Other words that mean this topic ("story" for storytelling).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A career stage with its focus and target mix of management and leadership work.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub management_focus: String,
    pub leadership_focus: String,
    /// Share of management work to aim for, in percent; the rest is leadership.
    pub target_management: u8,
    pub next_actions: Vec<String>,
}

impl Stage {
    pub fn target_leadership(&self) -> u8 {
        100 - self.target_management
    }
}

/// One short, practical piece of advice.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tip {
    pub id: String,
    pub title: String,
    pub body: String,
    pub mode: Mode,
    pub topics: Vec<String>,
    pub stages: Vec<String>,
    /// Which seed article the idea comes from (`000` … `003`), or `beyond` for ideas past them.
    pub seed: String,
}

/// A weekly reflection question.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReflectionPrompt {
    pub id: String,
    pub question: String,
    pub mode: Mode,
    pub topics: Vec<String>,
    /// Asked after the member answers, to take the thought one step further.
    pub follow_up: String,
    /// Another prompt this one returns to: it is only asked after that one was answered,
    /// and the nudge quotes the earlier answer.
    #[serde(default)]
    pub follows_up: Option<String>,
    /// The career stages the question fits: a VP is never asked whether a sprint is ready.
    pub stages: Vec<String>,
    /// Which seed article the idea comes from, or `beyond`.
    pub seed: String,
}

/// A team-wide leadership challenge.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    pub id: String,
    pub title: String,
    pub days: u32,
    pub goal: String,
    pub check_in: String,
    pub done_when: String,
    pub mode: Mode,
    pub topics: Vec<String>,
    /// The career stages the challenge fits.
    pub stages: Vec<String>,
    /// Which seed article the idea comes from, or `beyond`.
    pub seed: String,
}
