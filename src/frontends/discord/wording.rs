//! What the Discord front end says in Discord's own words, kept together as prose.

use crate::mentor::{Field, Notice};

pub const UNREACHABLE_TITLE: &str = "I could not reach you";
pub const UNREACHABLE: &str = "I could not send you your weekly question: Discord would not let me message you. \
    Allow direct messages from this server's members (Privacy Settings), then run /nudge resume.";

/// A notice from the core as an embed field.
pub fn notice(notice: &Notice) -> Field {
    let (name, value) = match notice {
        Notice::Unreachable => (UNREACHABLE_TITLE, UNREACHABLE.to_string()),
        Notice::TeamChannel(channel) => ("Channel", format!("<#{channel}>")),
    };
    Field {
        name: name.to_string(),
        value,
    }
}
