//! Reading what a member typed after a Slack command: the subcommand, Slack's encoding of
//! mentions, channels and `&<>` turned back into plain text, and channel ids.

use crate::error::Result as MentorResult;
use crate::mentor::Command;

/// What a Slack command asks for.
#[derive(Debug, PartialEq)]
pub(super) enum Request {
    Mentor(Box<Command>),
    /// `/reflect` or `/mentor reflect` with no text: the reflection form.
    Form,
    Team(Vec<String>),
    /// `/mentor challenge …`, as Slack sent it (a channel mention still encoded).
    Challenge(String),
    /// `/mentor` with a subcommand it does not know: the help, with a word about why.
    Unknown,
}

/// `C0123ABC` from Slack's escaped channel mention `<#C0123ABC|product>`.
pub(super) fn channel_id(mention: &str) -> Option<String> {
    let inner = mention.strip_prefix("<#")?.strip_suffix('>')?;
    let id = inner.split('|').next()?;
    is_channel_id(id).then(|| id.to_string())
}

/// A public or private channel id (`C…`/`G…`): upper-case letters and digits only, so it can
/// be put in a link without escaping. A DM (`D…`) is not a team channel.
pub(super) fn is_channel_id(id: &str) -> bool {
    (id.starts_with('C') || id.starts_with('G'))
        && (9..=20).contains(&id.len())
        && id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// Reads a Slack command: `/mentor <subcommand …>`, or the `/tip` and `/reflect` shortcuts.
pub(super) fn parse(command: &str, text: &str) -> MentorResult<Request> {
    let text = text.trim();
    let line = match command.trim_start_matches('/') {
        "tip" => format!("tip {text}"),
        "reflect" => format!("reflect {text}"),
        _ => text.to_string(),
    };
    let first = line.split_whitespace().next().unwrap_or("").to_lowercase();
    let rest: Vec<String> = line
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect();
    match first.as_str() {
        "" | "help" => Ok(Request::Mentor(Box::new(Command::Help))),
        // The team command reads Slack's channel mention (`<#C…|name>`) as it comes.
        "team" => Ok(Request::Team(rest)),
        "challenge" | "challenges" => Ok(Request::Challenge(rest.join(" "))),
        "tip" | "hat" | "stage" | "reflect" | "log" | "export" | "balance" | "nudge" | "forget"
        | "mentoring" | "coach" | "premortem" | "pre-mortem" | "review" | "web" => {
            match crate::mentor::command::parse(&as_typed(&line))? {
                Command::Reflect { text: None, .. } => Ok(Request::Form),
                command => Ok(Request::Mentor(Box::new(command))),
            }
        }
        _ => Ok(Request::Unknown),
    }
}

/// Slack's encoding of command text turned back into what the member typed: `&amp;`, `&lt;`
/// and `&gt;` decoded, and mentions (`<@U…|ana>`, `<#C…|product>`, `<!here>`) and links
/// (`<https://…|label>`) written as plain words, so the log keeps readable text.
pub(super) fn as_typed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &after[..end];
        let (target, label) = match inner.split_once('|') {
            Some((target, label)) => (target, Some(label)),
            None => (inner, None),
        };
        let plain = match (target.chars().next(), label) {
            (Some('@'), Some(label)) => format!("@{label}"),
            (Some('#'), Some(label)) => format!("#{label}"),
            (Some('!'), Some(label)) => label.to_string(),
            (Some('!'), None) => format!("@{}", target.trim_start_matches('!')),
            (_, Some(label)) => format!("{label} ({target})"),
            (_, None) => target.to_string(),
        };
        out.push_str(&plain);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_encoded_text_is_stored_as_typed() {
        assert_eq!(
            as_typed("told <@U0BO000002|bo> &amp; <!here> in <#C0PRODUCT1|product>"),
            "told @bo & @here in #product"
        );
        assert_eq!(as_typed("x &lt; y &gt; z"), "x < y > z");
        assert_eq!(
            as_typed("see <https://example.com|the doc>"),
            "see the doc (https://example.com)"
        );
        assert_eq!(
            as_typed("<!subteam^S123|@pms> and <unclosed"),
            "@pms and <unclosed"
        );
        assert_eq!(as_typed("&amp;lt;"), "&lt;");
    }

    #[test]
    fn mentor_subcommands_and_shortcuts() {
        assert_eq!(
            parse("/mentor", "tip storytelling").ok(),
            Some(Request::Mentor(Box::new(Command::Tip {
                query: Some("storytelling".into())
            })))
        );
        assert_eq!(
            parse("/tip", "storytelling").ok(),
            parse("/mentor", "tip storytelling").ok()
        );
        assert_eq!(parse("/reflect", "").ok(), Some(Request::Form));
        assert_eq!(parse("/mentor", "reflect").ok(), Some(Request::Form));
        assert_eq!(
            parse("/mentor", "").ok(),
            Some(Request::Mentor(Box::new(Command::Help)))
        );
        assert_eq!(parse("/mentor", "dance now").ok(), Some(Request::Unknown));
        assert_eq!(
            parse("/mentor", "team set monday 09:00 UTC").ok(),
            Some(Request::Team(vec![
                "set".into(),
                "monday".into(),
                "09:00".into(),
                "UTC".into()
            ]))
        );
        assert!(parse("/mentor", "log zero").is_err());
    }

    #[test]
    fn channel_mentions_are_read_strictly() {
        assert_eq!(channel_id("<#C0123ABCD|product>"), Some("C0123ABCD".into()));
        assert_eq!(channel_id("<#C0123ABCD>"), Some("C0123ABCD".into()));
        assert_eq!(channel_id("<#D0123ABCD>"), None);
        assert_eq!(channel_id("<#C01<!here>>"), None);
        assert_eq!(channel_id("#product"), None);
    }
}
