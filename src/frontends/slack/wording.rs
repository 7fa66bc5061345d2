//! What the Slack front end says in Slack's own words, kept together as prose.

use crate::mentor::Notice;

use super::blocks::escape;

pub const UNREACHABLE_TITLE: &str = "I could not reach you";
pub const UNREACHABLE: &str = "I could not send you your weekly question: Slack would not let me \
    message you (mentorbot may have been removed from the workspace's apps, or your account \
    restricted). Once that is sorted, run /mentor nudge resume.";
pub const UNKNOWN_SUBCOMMAND: &str = "I don't know that one. Here is what I can do:";
pub const TEAM_ADMIN_ONLY: &str = "Only workspace admins and owners can set up the team question.";
pub const TEAM_USAGE: &str = "Use /mentor team to see the team question, /mentor team set [#channel] \
    <day> <HH:MM> <time zone> to post one each week (for example: /mentor team set #product monday 09:30 Europe/Berlin), \
    /mentor team off, or /mentor team view for how the team is doing, in aggregate.";
pub const TEAM_IN_DM: &str = "The team question is posted in a channel, so set it up from the channel \
    where your team meets (or name it: /mentor team set #product monday 09:30 Europe/Berlin).";
pub const TEAM_PRIVATE_CHANNEL: &str =
    "In a private channel, invite me first (/invite @mentorbot) so I can post there.";
pub const FILE_IN_DM: &str = "I have sent the file to our direct messages.";
pub const FILE_FAILED: &str = "I could not upload the file just now. Please try again in a minute.";
pub const CHART_TITLE: &str = "Your balance, week by week";
pub const SAVED_FROM_FORM: &str = "Saved from the reflection form.";
pub const TYPED_TEXT_BACK: &str = "Here is what you typed, so nothing is lost:";
pub const FORM_LIMIT_HINT: &str =
    "Up to 3,000 characters here; /reflect with the text after it takes up to 4,000.";

pub const SHARED: &str = "Shared with the channel.";
pub const NOT_SHARED: &str = "I could not post in this channel. Invite mentorbot to it \
    (/invite @mentorbot) and press Share again.";

/// The commands that exist on Slack only as `/mentor <name>`; `/tip` and `/reflect` are
/// shortcuts of their own.
const SUBCOMMANDS: [&str; 15] = [
    "coach",
    "web",
    "team",
    "mentoring",
    "premortem",
    "review",
    "hat",
    "stage",
    "log",
    "export",
    "balance",
    "nudge",
    "forget",
    "help",
    "challenge",
];

/// A notice from the core as a field: its name and its Slack text (already escaped).
pub fn notice(notice: &Notice) -> (String, String) {
    match notice {
        Notice::Unreachable => (UNREACHABLE_TITLE.to_string(), escape(UNREACHABLE)),
        // The channel id was checked when it was stored, so the link cannot carry markup.
        Notice::TeamChannel(channel) => ("Channel".to_string(), format!("<#{channel}>")),
    }
}

/// Rewrites the core's command names (`/log 2`) as Slack's (`/mentor log 2`).
pub fn slack_commands(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = rest.find('/') {
        let (before, from_slash) = rest.split_at(at);
        out.push_str(before);
        let starts_word = out
            .chars()
            .last()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '"' | '\'' | '`' | '*'));
        let word: String = from_slash[1..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase())
            .collect();
        if starts_word && SUBCOMMANDS.contains(&word.as_str()) {
            out.push_str("/mentor ");
        } else {
            out.push('/');
        }
        rest = &from_slash[1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_commands_become_mentor_subcommands() {
        assert_eq!(
            slack_commands("Try /log 2, then /nudge resume or /tip."),
            "Try /mentor log 2, then /mentor nudge resume or /tip."
        );
        assert_eq!(slack_commands("(/help)"), "(/mentor help)");
        assert_eq!(
            slack_commands("/web, or open https://m.example/web"),
            "/mentor web, or open https://m.example/web"
        );
        assert_eq!(slack_commands("and/or /logbook"), "and/or /logbook");
        assert_eq!(slack_commands("https://x.y/log"), "https://x.y/log");
    }
}
