//! Team challenges: a leader starts one (from the library or written on the spot), members
//! join, check in and say when they are done; the board shows who takes part, never what
//! anyone wrote unless they shared it.

use crate::content::Mode;
use crate::error::{Error, Result};
use crate::store::{Challenge, ModeSource, NewReflection};

use super::words::{clean_typed_text, count_of, defuse_mentions, shorten};
use super::{MemberRef, Mentor, Reply, messages};

mod posts;
mod start;
mod text;

use posts::{challenge_card, local_date};
pub use text::parse;

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
}

fn numbers(challenges: &[Challenge]) -> Vec<i64> {
    challenges.iter().map(|c| c.id).collect()
}
