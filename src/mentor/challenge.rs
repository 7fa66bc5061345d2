//! Team challenges: a leader starts one (from the library or written on the spot), members
//! join, check in and say when they are done; the board shows who takes part, never what
//! anyone wrote unless they shared it.

use chrono::{Duration, NaiveDate};

use crate::calendar;
use crate::content::Mode;
use crate::error::{Error, Result};
use crate::store::{Challenge, ModeSource, NewChallenge, NewReflection, PlannedDelivery};
use crate::store::{DeliveryKind, Recipient};

use super::words::{clean_typed_text, count_of, defuse_mentions, shorten};
use super::{MemberRef, Mentor, Reply, messages};

/// Where a challenge command was given: the team's space, the channel, and whether the
/// member may lead challenges there (the front end decides, by the platform's permissions).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub workspace: String,
    pub channel: String,
    pub leader: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeCommand {
    pub place: Place,
    pub action: ChallengeAction,
}

/// What a member asks of challenges. An omitted number means "the one there is".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChallengeAction {
    Start(StartChallenge),
    Join(Option<i64>),
    Leave(Option<i64>),
    CheckIn {
        challenge: Option<i64>,
        text: String,
        share: bool,
    },
    Done(Option<i64>),
    Board(Option<i64>),
    List,
    End(Option<i64>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StartChallenge {
    /// A challenge from the library, by id.
    pub library_id: Option<String>,
    /// Or one written on the spot.
    pub custom: Option<CustomChallenge>,
    /// The channel for the kickoff and digest; the one the command came from by default.
    pub channel: Option<String>,
    /// `YYYY-MM-DD` in the leader's time zone; today by default.
    pub starts: Option<String>,
    pub days: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomChallenge {
    pub title: String,
    pub goal: String,
    pub check_in: String,
    pub done_when: String,
}

const MAX_DAYS: i64 = 90;
const CUSTOM_DAYS: i64 = 14;
/// (what, limit) for each field of a custom challenge.
const TITLE_MAX: usize = 100;
const GOAL_MAX: usize = 500;
const QUESTION_MAX: usize = 300;

impl Mentor {
    pub(super) async fn challenge(
        &self,
        who: &MemberRef,
        command: ChallengeCommand,
    ) -> Result<Reply> {
        let place = command.place;
        if place.workspace.is_empty() || place.channel.is_empty() {
            return Err(Error::user(messages::CHALLENGE_NEEDS_TEAM));
        }
        match command.action {
            ChallengeAction::Start(start) => self.start_challenge(who, &place, start).await,
            ChallengeAction::Join(number) => self.join_challenge(who, &place, number).await,
            ChallengeAction::Leave(number) => {
                let (member, challenge) = self.joined_challenge(who, &place, number).await?;
                let now = self.now().timestamp();
                self.store
                    .leave_challenge(challenge.id, member, now)
                    .await?;
                Ok(Reply::new(messages::CHALLENGE_LEFT_TITLE, challenge.title).private())
            }
            ChallengeAction::CheckIn {
                challenge,
                text,
                share,
            } => self.check_in(who, &place, challenge, &text, share).await,
            ChallengeAction::Done(number) => {
                let (member, challenge) = self.joined_challenge(who, &place, number).await?;
                let now = self.now().timestamp();
                let first = self
                    .store
                    .complete_challenge(challenge.id, member, now)
                    .await?;
                let text = match first {
                    true => messages::CHALLENGE_DONE,
                    false => messages::CHALLENGE_ALREADY_DONE,
                };
                Ok(Reply::new(challenge.title, text).private())
            }
            ChallengeAction::Board(number) => {
                let challenge = self.team_challenge(who, &place, number).await?;
                self.board(&challenge).await
            }
            ChallengeAction::List => self.list_challenges(who, &place).await,
            ChallengeAction::End(number) => {
                if !place.leader {
                    return Err(Error::user(messages::CHALLENGE_LEADERS_ONLY));
                }
                let challenge = self.team_challenge(who, &place, number).await?;
                let now = self.now().timestamp();
                if !self.store.end_challenge(challenge.id, now).await? {
                    return Err(Error::user(messages::CHALLENGE_ALREADY_OVER));
                }
                Ok(Reply::new(messages::CHALLENGE_ENDED_TITLE, challenge.title).private())
            }
        }
    }

    async fn start_challenge(
        &self,
        who: &MemberRef,
        place: &Place,
        start: StartChallenge,
    ) -> Result<Reply> {
        if !place.leader {
            return Err(Error::user(messages::CHALLENGE_LEADERS_ONLY));
        }
        let (library_id, fields, default_days) = match (&start.library_id, &start.custom) {
            (Some(id), _) => {
                let found = self
                    .library
                    .challenges
                    .iter()
                    .find(|c| c.id.eq_ignore_ascii_case(id.trim()))
                    .ok_or_else(|| Error::user(messages::unknown_challenge(id, &self.library)))?;
                let fields = CustomChallenge {
                    title: found.title.clone(),
                    goal: found.goal.clone(),
                    check_in: found.check_in.clone(),
                    done_when: found.done_when.clone(),
                };
                (Some(found.id.clone()), fields, i64::from(found.days))
            }
            (None, Some(custom)) => (None, checked(custom)?, CUSTOM_DAYS),
            (None, None) => return Err(Error::user(messages::CHALLENGE_START_USAGE)),
        };
        let days = start.days.unwrap_or(default_days);
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(Error::user(messages::CHALLENGE_DAYS_RANGE));
        }
        let member = self.ensure_member(who).await?;
        let zone = self.member_zone(member.id).await?;
        let now = self.now();
        let starts_at = match start.starts.as_deref().map(str::trim) {
            None | Some("") => now.timestamp(),
            Some(date) => {
                let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .map_err(|_| Error::user(messages::CHALLENGE_DATE_FORMAT))?;
                let today = now.with_timezone(&zone).date_naive();
                if day < today {
                    return Err(Error::user(messages::CHALLENGE_DATE_PAST));
                }
                if day > today + Duration::days(365) {
                    return Err(Error::user(messages::CHALLENGE_DATE_FAR));
                }
                match day == today {
                    true => now.timestamp(),
                    false => calendar::start_of_day(day, zone).timestamp(),
                }
            }
        };
        let ends_at = starts_at + days * 24 * 3600;
        let channel = start.channel.unwrap_or_else(|| place.channel.clone());
        let challenge = self
            .store
            .create_challenge(
                &NewChallenge {
                    platform: who.platform,
                    workspace: &place.workspace,
                    channel: &channel,
                    library_id: library_id.as_deref(),
                    title: &fields.title,
                    goal: &fields.goal,
                    check_in: &fields.check_in,
                    done_when: &fields.done_when,
                    starts_at,
                    ends_at,
                },
                now.timestamp(),
            )
            .await?;
        let posts = [
            (DeliveryKind::ChallengeKickoff, starts_at),
            (DeliveryKind::ChallengeDigest, ends_at),
        ]
        .map(|(kind, due_at)| PlannedDelivery {
            kind,
            recipient: Recipient::Challenge(challenge.id),
            due_at,
        });
        self.store.plan_deliveries(&posts).await?;
        let mut reply = challenge_card(messages::CHALLENGE_STARTED_TITLE, &challenge, zone)
            .private()
            .notice(super::Notice::TeamChannel(channel));
        reply.text = format!("{}\n{}", messages::CHALLENGE_STARTED, reply.text);
        Ok(reply)
    }

    async fn join_challenge(
        &self,
        who: &MemberRef,
        place: &Place,
        number: Option<i64>,
    ) -> Result<Reply> {
        let challenge = self.team_challenge(who, place, number).await?;
        let now = self.now().timestamp();
        if challenge.closes_at() <= now {
            return Err(Error::user(messages::CHALLENGE_ALREADY_OVER));
        }
        let member = self.ensure_member(who).await?;
        let joined = self
            .store
            .join_challenge(challenge.id, member.id, now)
            .await?;
        let zone = self.member_zone(member.id).await?;
        let title = match joined {
            true => messages::CHALLENGE_JOINED_TITLE,
            false => messages::CHALLENGE_ALREADY_IN_TITLE,
        };
        Ok(challenge_card(title, &challenge, zone).private())
    }

    async fn check_in(
        &self,
        who: &MemberRef,
        place: &Place,
        number: Option<i64>,
        text: &str,
        share: bool,
    ) -> Result<Reply> {
        let text = clean_typed_text(text);
        if text.is_empty() {
            return Err(Error::user(messages::CHECK_IN_EMPTY));
        }
        let length = text.chars().count();
        if length > messages::REFLECTION_MAX_CHARS {
            return Err(Error::user(messages::reflection_too_long(length)));
        }
        let (member, challenge) = self.joined_challenge(who, place, number).await?;
        let now = self.now().timestamp();
        let previous = self.store.last_check_in(challenge.id, member).await?;
        let reflection = self
            .store
            .add_reflection(
                member,
                &NewReflection {
                    prompt_id: None,
                    text: &text,
                    mode: Mode::Leadership,
                    mode_source: ModeSource::Stated,
                    created_at: now,
                },
            )
            .await?;
        self.store
            .add_check_in(challenge.id, member, reflection.id, share, now)
            .await?;
        let mut lines = vec![messages::checked_in(reflection.number, share)];
        if previous.is_some_and(|at| now - at < 60) {
            lines.push(messages::CHECK_IN_AGAIN.to_string());
        }
        Ok(Reply::new(challenge.title, lines.join("\n")).private())
    }

    async fn board(&self, challenge: &Challenge) -> Result<Reply> {
        let rows = self.store.challenge_board(challenge.id).await?;
        let taking_part: Vec<_> = rows.iter().filter(|r| !r.left).collect();
        let checked_in = taking_part.iter().filter(|r| r.check_ins > 0).count();
        let completed = taking_part.iter().filter(|r| r.completed).count();
        let mut reply = Reply::new(
            format!("{} {}", messages::BOARD_TITLE, challenge.title),
            messages::board_summary(taking_part.len(), checked_in, completed),
        );
        for row in taking_part.iter().take(20) {
            let name = shorten(&defuse_mentions(&row.name), 60);
            let mut status = count_of(row.check_ins, "check-in", "check-ins");
            if row.completed {
                status.push_str(messages::BOARD_COMPLETED);
            }
            reply = reply.field(name, status);
        }
        Ok(reply)
    }

    async fn list_challenges(&self, who: &MemberRef, place: &Place) -> Result<Reply> {
        let now = self.now().timestamp();
        let open = self
            .store
            .open_challenges(who.platform, &place.workspace, now)
            .await?;
        if open.is_empty() {
            return Ok(Reply::new(messages::CHALLENGES_TITLE, messages::NO_CHALLENGES).private());
        }
        let zone = match self.find_member(who).await? {
            Some(member) => self.member_zone(member.id).await?,
            None => chrono_tz::UTC,
        };
        let mut reply = Reply::new(messages::CHALLENGES_TITLE, messages::CHALLENGES_JOIN).private();
        for challenge in open.iter().take(20) {
            reply = reply.field(
                format!("#{} {}", challenge.id, challenge.title),
                messages::runs_until(&local_date(challenge.ends_at, zone)),
            );
        }
        Ok(reply)
    }

    /// The challenge a command names, or the only open one in the workspace. Never one from
    /// another workspace.
    async fn team_challenge(
        &self,
        who: &MemberRef,
        place: &Place,
        number: Option<i64>,
    ) -> Result<Challenge> {
        if let Some(number) = number {
            return match self.store.challenge(number).await? {
                Some(c) if c.platform == who.platform && c.workspace == place.workspace => Ok(c),
                _ => Err(Error::user(messages::unknown_challenge_number(number))),
            };
        }
        let now = self.now().timestamp();
        let open = self
            .store
            .open_challenges(who.platform, &place.workspace, now)
            .await?;
        match open.as_slice() {
            [] => Err(Error::user(messages::NO_CHALLENGES)),
            [only] => Ok(only.clone()),
            several => Err(Error::user(messages::say_which(&numbers(several)))),
        }
    }

    /// The member and the open challenge they joined that a command is about.
    async fn joined_challenge(
        &self,
        who: &MemberRef,
        place: &Place,
        number: Option<i64>,
    ) -> Result<(i64, Challenge)> {
        let member = self.ensure_member(who).await?;
        let now = self.now().timestamp();
        let challenge = match number {
            Some(_) => self.team_challenge(who, place, number).await?,
            None => {
                let joined = self
                    .store
                    .challenges_joined(who.platform, &place.workspace, member.id, now)
                    .await?;
                let id = match joined.as_slice() {
                    [] => return Err(Error::user(messages::NOT_IN_A_CHALLENGE)),
                    [only] => *only,
                    several => return Err(Error::user(messages::say_which(several))),
                };
                self.team_challenge(who, place, Some(id)).await?
            }
        };
        if challenge.closes_at() <= now {
            return Err(Error::user(messages::CHALLENGE_ALREADY_OVER));
        }
        if !self.store.is_participant(challenge.id, member.id).await? {
            return Err(Error::user(messages::NOT_IN_A_CHALLENGE));
        }
        Ok((member.id, challenge))
    }

    /// The kickoff post for a challenge's channel.
    pub fn challenge_kickoff(&self, challenge: &Challenge) -> Reply {
        let mut reply = challenge_card(messages::KICKOFF_TITLE, challenge, chrono_tz::UTC);
        reply.text = format!("{}\n{}", reply.text, messages::join_with(challenge.id));
        reply
    }

    /// The mid-way DM to a participant who has not checked in yet.
    pub fn challenge_reminder(&self, challenge: &Challenge) -> Reply {
        Reply::new(
            format!("{} {}", messages::HALF_WAY_TITLE, challenge.title),
            messages::half_way(&challenge.check_in, challenge.id),
        )
        .private()
    }

    /// The wrap-up digest: how many joined, checked in and completed, and the check-ins their
    /// authors chose to share, with mentions defused.
    pub async fn challenge_digest(&self, challenge: &Challenge) -> Result<Reply> {
        let rows = self.store.challenge_board(challenge.id).await?;
        let joined = rows.len();
        let checked_in = rows.iter().filter(|r| r.check_ins > 0).count();
        let completed = rows.iter().filter(|r| r.completed).count();
        let mut reply = Reply::new(
            format!("{} {}", messages::DIGEST_TITLE, challenge.title),
            messages::board_summary(joined, checked_in, completed),
        );
        let shared = self.store.shared_check_ins(challenge.id).await?;
        for check_in in shared.iter().take(10) {
            reply = reply.field(
                shorten(&defuse_mentions(&check_in.name), 60),
                shorten(&defuse_mentions(&check_in.text), 300),
            );
        }
        if shared.len() > 10 {
            reply = reply.field(
                messages::DIGEST_MORE_TITLE,
                count_of(
                    (shared.len() - 10) as i64,
                    "more shared check-in",
                    "more shared check-ins",
                ),
            );
        }
        Ok(reply)
    }
}

/// A custom challenge's fields, trimmed and checked against their limits.
fn checked(custom: &CustomChallenge) -> Result<CustomChallenge> {
    let field = |what: &str, text: &str, max: usize| -> Result<String> {
        let text = clean_typed_text(text);
        let length = text.chars().count();
        if length == 0 {
            return Err(Error::user(messages::challenge_field_empty(what)));
        }
        if length > max {
            return Err(Error::user(messages::too_long(what, length, max)));
        }
        Ok(text)
    };
    Ok(CustomChallenge {
        title: field("title", &custom.title, TITLE_MAX)?,
        goal: field("goal", &custom.goal, GOAL_MAX)?,
        check_in: field("check-in question", &custom.check_in, QUESTION_MAX)?,
        done_when: field("'done when'", &custom.done_when, QUESTION_MAX)?,
    })
}

fn numbers(challenges: &[Challenge]) -> Vec<i64> {
    challenges.iter().map(|c| c.id).collect()
}

fn local_date(at: i64, zone: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|at| at.with_timezone(&zone).format("%A %-d %B %Y").to_string())
        .unwrap_or_default()
}

/// A challenge's title, goal, check-in question, what counts as done and its dates.
fn challenge_card(title: &str, challenge: &Challenge, zone: chrono_tz::Tz) -> Reply {
    Reply::new(
        format!("{title} #{}: {}", challenge.id, challenge.title),
        challenge.goal.clone(),
    )
    .field(messages::CHECK_IN_FIELD, challenge.check_in.clone())
    .field(messages::DONE_WHEN_FIELD, challenge.done_when.clone())
    .field(
        messages::DATES_FIELD,
        format!(
            "{} – {}",
            local_date(challenge.starts_at, zone),
            local_date(challenge.ends_at, zone)
        ),
    )
}

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
