//! The text form of `/challenge …`, as typed in the terminal and on Slack.

use crate::error::{Error, Result};

use super::super::messages;
use super::{ChallengeAction, CustomChallenge, StartChallenge};

/// Reads the text form of `/challenge …` (the terminal and Slack):
/// `start <library id> [starts:YYYY-MM-DD] [days:N]`,
/// `start custom [starts:…] [days:N] Title | Goal | Check-in question | Done when`,
/// `join|leave|done|board|end [N]`, `checkin [N] [share:true] <text>`, `list`.
pub fn parse(rest: &str) -> Result<ChallengeAction> {
    let (sub, rest) = match rest.trim().split_once(char::is_whitespace) {
        Some((sub, rest)) => (sub.to_lowercase(), rest.trim()),
        None => (rest.trim().to_lowercase(), ""),
    };
    let number = |rest: &str| -> Result<Option<i64>> {
        match rest.trim().trim_start_matches('#') {
            "" => Ok(None),
            n => n
                .parse()
                .map(Some)
                .map_err(|_| Error::user(messages::CHALLENGE_USAGE)),
        }
    };
    match sub.as_str() {
        "" | "list" => Ok(ChallengeAction::List),
        "join" => Ok(ChallengeAction::Join(number(rest)?)),
        "leave" => Ok(ChallengeAction::Leave(number(rest)?)),
        "done" => Ok(ChallengeAction::Done(number(rest)?)),
        "board" => Ok(ChallengeAction::Board(number(rest)?)),
        "end" => Ok(ChallengeAction::End(number(rest)?)),
        "checkin" | "check-in" => parse_check_in(rest),
        "start" => parse_start(rest),
        _ => Err(Error::user(messages::CHALLENGE_USAGE)),
    }
}

fn parse_check_in(rest: &str) -> Result<ChallengeAction> {
    let mut challenge = None;
    let mut share = false;
    let mut words = rest.split_whitespace().peekable();
    let mut consumed = 0;
    while let Some(word) = words.peek() {
        let lower = word.to_lowercase();
        if let Some(value) = lower.strip_prefix("share:") {
            share = matches!(value, "true" | "yes" | "on");
        } else if challenge.is_none()
            && consumed == 0
            && let Ok(n) = word.trim_start_matches('#').parse::<i64>()
        {
            challenge = Some(n);
        } else {
            break;
        }
        consumed += 1;
        words.next();
    }
    let text: Vec<&str> = words.collect();
    Ok(ChallengeAction::CheckIn {
        challenge,
        text: text.join(" "),
        share,
    })
}

fn parse_start(rest: &str) -> Result<ChallengeAction> {
    let mut start = StartChallenge::default();
    let mut free = Vec::new();
    for word in rest.split_whitespace() {
        let lower = word.to_lowercase();
        if let Some(date) = lower.strip_prefix("starts:") {
            start.starts = Some(date.to_string());
        } else if let Some(days) = lower.strip_prefix("days:") {
            let days = days
                .parse()
                .map_err(|_| Error::user(messages::CHALLENGE_DAYS_RANGE))?;
            start.days = Some(days);
        } else {
            free.push(word);
        }
    }
    match free.split_first() {
        Some((first, text)) if first.eq_ignore_ascii_case("custom") => {
            let text = text.join(" ");
            let parts: Vec<&str> = text.split('|').map(str::trim).collect();
            let [title, goal, check_in, done_when] = parts.as_slice() else {
                return Err(Error::user(messages::CHALLENGE_START_USAGE));
            };
            start.custom = Some(CustomChallenge {
                title: title.to_string(),
                goal: goal.to_string(),
                check_in: check_in.to_string(),
                done_when: done_when.to_string(),
            });
        }
        Some((id, [])) => start.library_id = Some(id.to_string()),
        _ => return Err(Error::user(messages::CHALLENGE_START_USAGE)),
    }
    Ok(ChallengeAction::Start(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_challenge_command() {
        assert_eq!(parse("").ok(), Some(ChallengeAction::List));
        assert_eq!(parse("join 3").ok(), Some(ChallengeAction::Join(Some(3))));
        assert_eq!(parse("board").ok(), Some(ChallengeAction::Board(None)));
        assert_eq!(
            parse("checkin 2 share:true Ran the pre-mortem").ok(),
            Some(ChallengeAction::CheckIn {
                challenge: Some(2),
                text: "Ran the pre-mortem".into(),
                share: true
            })
        );
        assert_eq!(
            parse("checkin 40 people came").ok(),
            Some(ChallengeAction::CheckIn {
                challenge: Some(40),
                text: "people came".into(),
                share: false
            })
        );
        let Ok(ChallengeAction::Start(start)) = parse("start pre-mortem days:10 starts:2026-12-01")
        else {
            panic!("a start");
        };
        assert_eq!(start.library_id.as_deref(), Some("pre-mortem"));
        assert_eq!(start.days, Some(10));
        let Ok(ChallengeAction::Start(start)) = parse("start custom A | B | C? | D") else {
            panic!("a custom start");
        };
        assert_eq!(start.custom.map(|c| c.check_in), Some("C?".to_string()));
        assert!(parse("start custom only a title").is_err());
        assert!(parse("start").is_err());
        assert!(parse("join soon").is_err());
        assert!(parse("dance").is_err());
    }
}
