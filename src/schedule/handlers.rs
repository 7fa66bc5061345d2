//! One handler per delivery kind: given a due row, what to send and to whom, or why to skip it.
//! Adding a kind means one variant in `store::DeliveryKind`, one arm in [`decide`] and one
//! handler here.

use chrono::{DateTime, Utc};

use crate::mentor::{Mentor, Reply};
use crate::platform::Platform;
use crate::store::{Delivery, DeliveryKind, PlannedDelivery, Recipient};

use super::policy::{self, Skip};

/// What to do with a due row.
#[derive(Debug)]
pub enum Decision {
    Send(Box<Outgoing>),
    Skip(Skip),
    /// The row cannot be sent, however often it is tried (it is marked failed).
    Invalid(&'static str),
}

/// A message ready for a platform.
#[derive(Debug)]
pub struct Outgoing {
    pub platform: Platform,
    pub to: Address,
    pub message: Reply,
    /// Planned once this message is sent, such as a nudge's reminder.
    pub then: Option<PlannedDelivery>,
}

/// Where on the platform the message goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Address {
    /// A direct message to a member: our id for them and the platform's.
    Member { member_id: i64, user: String },
    /// A post in a channel.
    Channel(String),
}

/// Asks the handler for the row's kind what to do with it.
pub async fn decide(
    mentor: &Mentor,
    delivery: &Delivery,
    now: DateTime<Utc>,
) -> anyhow::Result<Decision> {
    match delivery.kind {
        DeliveryKind::Nudge => weekly_question(mentor, delivery, now, false).await,
        DeliveryKind::Reminder => weekly_question(mentor, delivery, now, true).await,
        DeliveryKind::TeamPrompt => team_question(mentor, delivery).await,
        DeliveryKind::ChallengeKickoff => challenge_post(mentor, delivery, now, false).await,
        DeliveryKind::ChallengeDigest => challenge_post(mentor, delivery, now, true).await,
        DeliveryKind::ChallengeReminder => challenge_reminder(mentor, delivery, now).await,
        DeliveryKind::MentoringIntro => mentoring(mentor, delivery, false).await,
        DeliveryKind::MentoringFollowUp => mentoring(mentor, delivery, true).await,
    }
}

/// A mentoring round's introduction, or its follow-up a week later, by DM.
async fn mentoring(
    mentor: &Mentor,
    delivery: &Delivery,
    follow_up: bool,
) -> anyhow::Result<Decision> {
    let Recipient::Member(member_id) = delivery.recipient else {
        return Ok(Decision::Invalid("a mentoring message is for a member"));
    };
    let Some(member) = mentor.store().member_by_id(member_id).await? else {
        return Ok(Decision::Skip(Skip::MemberGone));
    };
    let message = match follow_up {
        false => mentor.mentoring_intro(member_id, delivery.due_at).await?,
        true => {
            let round_at = delivery.due_at - 7 * 24 * 3600;
            mentor.mentoring_follow_up(member_id, round_at).await?
        }
    };
    let Some(message) = message else {
        return Ok(Decision::Skip(Skip::MemberGone));
    };
    Ok(Decision::Send(Box::new(Outgoing {
        platform: member.platform,
        to: Address::Member {
            member_id,
            user: member.user_id,
        },
        message,
        then: None,
    })))
}

/// A challenge's kickoff (when it starts) or digest (when it ends), in its channel.
async fn challenge_post(
    mentor: &Mentor,
    delivery: &Delivery,
    now: DateTime<Utc>,
    digest: bool,
) -> anyhow::Result<Decision> {
    let Recipient::Challenge(challenge_id) = delivery.recipient else {
        return Ok(Decision::Invalid("a challenge post is for a challenge"));
    };
    let Some(challenge) = mentor.store().challenge(challenge_id).await? else {
        return Ok(Decision::Skip(Skip::ChallengeGone));
    };
    if !digest && challenge.closes_at() <= now.timestamp() {
        return Ok(Decision::Skip(Skip::ChallengeOver));
    }
    let message = match digest {
        true => mentor.challenge_digest(&challenge).await?,
        false => mentor.challenge_kickoff(&challenge),
    };
    Ok(Decision::Send(Box::new(Outgoing {
        platform: challenge.platform,
        to: Address::Channel(challenge.channel),
        message,
        then: None,
    })))
}

/// Half-way through a challenge, a DM to a participant who has not checked in.
async fn challenge_reminder(
    mentor: &Mentor,
    delivery: &Delivery,
    now: DateTime<Utc>,
) -> anyhow::Result<Decision> {
    let Recipient::Participant { challenge, member } = delivery.recipient else {
        return Ok(Decision::Invalid(
            "a challenge reminder is for a participant",
        ));
    };
    let store = mentor.store();
    let (Some(challenge), Some(person)) = (
        store.challenge(challenge).await?,
        store.member_by_id(member).await?,
    ) else {
        return Ok(Decision::Skip(Skip::MemberGone));
    };
    if challenge.closes_at() <= now.timestamp() {
        return Ok(Decision::Skip(Skip::ChallengeOver));
    }
    if !store.is_participant(challenge.id, member).await? {
        return Ok(Decision::Skip(Skip::LeftChallenge));
    }
    if store.last_check_in(challenge.id, member).await?.is_some() {
        return Ok(Decision::Skip(Skip::CheckedIn));
    }
    if mentor.holiday_on(member, delivery.due_at).await?.is_some() {
        return Ok(Decision::Skip(Skip::Holiday));
    }
    Ok(Decision::Send(Box::new(Outgoing {
        platform: person.platform,
        to: Address::Member {
            member_id: member,
            user: person.user_id,
        },
        message: mentor.challenge_reminder(&challenge),
        then: None,
    })))
}

/// A member's weekly question, or its one reminder.
async fn weekly_question(
    mentor: &Mentor,
    delivery: &Delivery,
    now: DateTime<Utc>,
    reminder: bool,
) -> anyhow::Result<Decision> {
    let Recipient::Member(member_id) = delivery.recipient else {
        return Ok(Decision::Invalid(
            "a weekly question is for a member, not a team",
        ));
    };
    let store = mentor.store();
    let (Some(member), Some(settings)) = (
        store.member_by_id(member_id).await?,
        store.nudge_settings(member_id).await?,
    ) else {
        return Ok(Decision::Skip(Skip::MemberGone));
    };
    let allowed = policy::may_nudge(&settings, now).and_then(|()| match reminder {
        true if !settings.reminder => Err(Skip::ReminderOff),
        true => policy::reminder_still_this_week(&settings, delivery.due_at, now),
        false => Ok(()),
    });
    if let Err(skip) = allowed {
        return Ok(Decision::Skip(skip));
    }
    if mentor
        .holiday_on(member_id, delivery.due_at)
        .await?
        .is_some()
    {
        return Ok(Decision::Skip(Skip::Holiday));
    }
    let Some(message) = mentor.nudge_message(member_id, reminder).await? else {
        return Ok(Decision::Skip(Skip::Answered));
    };
    let then = policy::reminder_due(&settings, delivery.due_at)
        .filter(|_| !reminder && settings.reminder)
        .map(|due_at| PlannedDelivery {
            kind: DeliveryKind::Reminder,
            recipient: delivery.recipient,
            due_at,
        });
    Ok(Decision::Send(Box::new(Outgoing {
        platform: member.platform,
        to: Address::Member {
            member_id,
            user: member.user_id,
        },
        message,
        then,
    })))
}

/// The weekly team question, posted in the team's channel.
async fn team_question(mentor: &Mentor, delivery: &Delivery) -> anyhow::Result<Decision> {
    let Recipient::Team(team_id) = delivery.recipient else {
        return Ok(Decision::Invalid(
            "a team question is for a team, not a member",
        ));
    };
    let Some(team) = mentor.store().team_prompt(team_id).await? else {
        return Ok(Decision::Skip(Skip::TeamRemoved));
    };
    let message = mentor.team_message(&team, delivery.due_at)?;
    Ok(Decision::Send(Box::new(Outgoing {
        platform: team.platform,
        to: Address::Channel(team.channel),
        message,
        then: None,
    })))
}
