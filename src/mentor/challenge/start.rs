//! Starting a challenge: from the library or written on the spot, checked, stored, and its
//! kickoff and digest planned.

use chrono::{Duration, NaiveDate};

use crate::calendar;
use crate::error::{Error, Result};
use crate::store::{DeliveryKind, NewChallenge, PlannedDelivery, Recipient};

use super::super::words::clean_typed_text;
use super::super::{MemberRef, Mentor, Notice, Reply, messages};
use super::posts::challenge_card;
use super::{
    CUSTOM_DAYS, CustomChallenge, GOAL_MAX, MAX_DAYS, Place, QUESTION_MAX, StartChallenge,
    TITLE_MAX,
};

impl Mentor {
    pub(super) async fn start_challenge(
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
            .notice(Notice::TeamChannel(channel));
        reply.text = format!("{}\n{}", messages::CHALLENGE_STARTED, reply.text);
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
