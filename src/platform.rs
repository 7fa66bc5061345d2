//! The chat platforms (and the terminal) a member can reach mentorbot from.

use std::fmt;

/// Where a member talks to mentorbot; stored as lowercase text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Platform {
    Terminal,
    Discord,
    Slack,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Terminal, Platform::Discord, Platform::Slack];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Terminal => "terminal",
            Platform::Discord => "discord",
            Platform::Slack => "slack",
        }
    }

    pub fn parse(text: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
