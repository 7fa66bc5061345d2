//! The planner: writes the next occurrence of every member's and team's weekly rule as an
//! outbox row. Planning the same occurrence again is harmless: the row's natural key is unique.

use chrono::{DateTime, Utc};

use crate::calendar::WeeklyRule;
use crate::platform::Platform;
use crate::store::{DeliveryKind, PlannedDelivery, Recipient, Store};

use super::policy::CATCH_UP;

/// Plans the next nudge of every member, the next post of every team question, and the
/// mid-way reminders of running challenges, on the platforms `served` says this process
/// sends to. Returns how many rows were new.
pub async fn plan(
    store: &Store,
    served: impl Fn(Platform) -> bool,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let window_start = (now - CATCH_UP).timestamp();
    let mut rows = Vec::new();
    for member in store.members_to_nudge().await? {
        if !served(member.platform) {
            continue;
        }
        let Some(rule) =
            WeeklyRule::from_stored(member.weekday, member.minute_of_day, &member.timezone)
        else {
            continue;
        };
        // Never before the rule was set or while paused.
        let from = window_start
            .max(member.updated_at)
            .max(member.paused_until.unwrap_or(0));
        if let Some(next) = next_after(&rule, from) {
            rows.push(PlannedDelivery {
                kind: DeliveryKind::Nudge,
                recipient: Recipient::Member(member.member_id),
                due_at: next,
            });
        }
    }
    for team in store.team_prompts().await? {
        if !served(team.platform) {
            continue;
        }
        let Some(rule) = WeeklyRule::from_stored(team.weekday, team.minute_of_day, &team.timezone)
        else {
            continue;
        };
        if let Some(next) = next_after(&rule, window_start.max(team.updated_at)) {
            rows.push(PlannedDelivery {
                kind: DeliveryKind::TeamPrompt,
                recipient: Recipient::Team(team.id),
                due_at: next,
            });
        }
    }
    // Half-way through each running challenge, a reminder for every participant; whether
    // it is still needed (no check-in yet) is decided when it comes due.
    for challenge in store.challenges_to_remind(window_start).await? {
        if !served(challenge.platform) {
            continue;
        }
        for member in store.challenge_participants(challenge.id).await? {
            rows.push(PlannedDelivery {
                kind: DeliveryKind::ChallengeReminder,
                recipient: Recipient::Participant {
                    challenge: challenge.id,
                    member,
                },
                due_at: challenge.midpoint(),
            });
        }
    }
    store.plan_deliveries(&rows).await
}

fn next_after(rule: &WeeklyRule, from: i64) -> Option<i64> {
    DateTime::from_timestamp(from, 0)
        .and_then(|from| rule.next_after(from))
        .map(|next| next.timestamp())
}
