//! Delivery policy, in one place: how late a delivery may still go out, when the reminder
//! comes, how long to wait before a retry, and whether a due row is still worth sending.

use std::fmt;

use chrono::{DateTime, Duration, Utc};

use crate::calendar::{parse_zone, start_of_day, week_start};
use crate::store::NudgeSettings;

/// Deliveries more than this late (after downtime) are skipped rather than sent.
pub const CATCH_UP: Duration = Duration::hours(12);
/// The single reminder comes this long after the nudge.
pub const REMINDER_AFTER: Duration = Duration::hours(48);
/// The longest wait before a failed send is tried again.
const MAX_BACKOFF_SECONDS: i64 = 300;

/// Why a due row was not sent; recorded on the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// mentorbot was down when it was due, for longer than [`CATCH_UP`].
    Stale,
    /// The member asked to be forgotten.
    MemberGone,
    /// The member turned nudges off.
    Off,
    /// The member paused nudges.
    Paused,
    /// The platform refused to deliver to the member before.
    Unreachable,
    /// The reminder's week ended before it came due.
    NewWeek,
    /// The member turned the reminder off after it was planned.
    ReminderOff,
    /// This week's question already has an answer.
    Answered,
    /// The team question was turned off.
    TeamRemoved,
    /// The challenge was removed.
    ChallengeGone,
    /// The challenge ended before this came due.
    ChallengeOver,
    /// The member left the challenge.
    LeftChallenge,
    /// The member has checked in, so needs no reminder.
    CheckedIn,
    /// It fell on one of the member's team holidays.
    Holiday,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Skip::Stale => "more than 12 hours late: mentorbot was not running when it was due",
            Skip::MemberGone => "the member is gone",
            Skip::Off => "nudges are off",
            Skip::Paused => "nudges are paused",
            Skip::Unreachable => "the platform would not deliver to the member",
            Skip::NewWeek => "a new week began before the reminder",
            Skip::ReminderOff => "the member turned reminders off",
            Skip::Answered => "this week's question is already answered",
            Skip::TeamRemoved => "the team question was removed",
            Skip::ChallengeGone => "the challenge was removed",
            Skip::ChallengeOver => "the challenge is over",
            Skip::LeftChallenge => "the member left the challenge",
            Skip::CheckedIn => "the member has checked in",
            Skip::Holiday => "a team holiday",
        })
    }
}

/// Whether a row due at `due_at` is too late to send at `now`.
pub fn is_stale(due_at: i64, now: DateTime<Utc>) -> bool {
    now.timestamp() - due_at > CATCH_UP.num_seconds()
}

/// Whether a member's settings still allow a nudge or reminder now.
pub fn may_nudge(settings: &NudgeSettings, now: DateTime<Utc>) -> Result<(), Skip> {
    if !settings.enabled {
        return Err(Skip::Off);
    }
    if settings.unreachable_since.is_some() {
        return Err(Skip::Unreachable);
    }
    if settings
        .paused_until
        .is_some_and(|until| until > now.timestamp())
    {
        return Err(Skip::Paused);
    }
    Ok(())
}

/// A reminder is about its week's question, so it only goes out in the week it was planned
/// for (it is planned inside the week of its nudge), in the member's zone.
pub fn reminder_still_this_week(
    settings: &NudgeSettings,
    reminder_due_at: i64,
    now: DateTime<Utc>,
) -> Result<(), Skip> {
    let zone = member_zone(settings);
    let due = DateTime::from_timestamp(reminder_due_at, 0).unwrap_or(now);
    if week_start(due, zone) == week_start(now, zone) {
        Ok(())
    } else {
        Err(Skip::NewWeek)
    }
}

/// The latest a reminder comes: this long before its week ends, so a weekend nudge still gets
/// one (48 hours after a Saturday nudge is already next week, with its own question).
const REMINDER_BEFORE_WEEK_ENDS: Duration = Duration::hours(3);
/// The soonest a reminder comes after its nudge.
const REMINDER_AT_LEAST_AFTER: Duration = Duration::hours(6);

/// When the reminder for a nudge due at `nudge_due_at` is due: 48 hours later, or sooner when
/// that would fall in the next week; `None` when the week ends too soon for one (a nudge late
/// on Sunday).
pub fn reminder_due(settings: &NudgeSettings, nudge_due_at: i64) -> Option<i64> {
    let zone = member_zone(settings);
    let nudged = DateTime::from_timestamp(nudge_due_at, 0)?;
    let next_week = week_start(nudged, zone) + Duration::weeks(1);
    let latest = start_of_day(next_week, zone) - REMINDER_BEFORE_WEEK_ENDS;
    let due = (nudged + REMINDER_AFTER).min(latest);
    (due >= nudged + REMINDER_AT_LEAST_AFTER).then(|| due.timestamp())
}

fn member_zone(settings: &NudgeSettings) -> chrono_tz::Tz {
    parse_zone(&settings.timezone).unwrap_or(chrono_tz::UTC)
}

/// Seconds to wait before the next try after `attempts` failed ones: 2, 4, 8 … at most 300.
pub fn backoff_seconds(attempts: i64) -> i64 {
    2_i64
        .saturating_pow(u32::try_from(attempts).unwrap_or(8))
        .min(MAX_BACKOFF_SECONDS)
}

/// Whole seconds to hold a rate-limited row back: the platform's wait, rounded up, at least 1.
pub fn rate_limit_seconds(wait: std::time::Duration) -> i64 {
    i64::try_from(wait.as_millis().div_ceil(1000))
        .unwrap_or(i64::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> NudgeSettings {
        NudgeSettings {
            member_id: 1,
            weekday: 1,
            minute_of_day: 540,
            timezone: "Europe/Berlin".into(),
            enabled: true,
            reminder: true,
            paused_until: None,
            timezone_asked: true,
            unreachable_since: None,
            unreachable_told: false,
            updated_at: 0,
        }
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).expect("a valid time")
    }

    #[test]
    fn twelve_hours_late_is_sent_and_a_minute_more_is_not() {
        let due = 1_800_000_000;
        assert!(!is_stale(due, at(due + 12 * 3600)));
        assert!(is_stale(due, at(due + 12 * 3600 + 60)));
    }

    #[test]
    fn off_unreachable_and_paused_members_are_not_nudged() {
        let now = at(1_800_000_000);
        assert_eq!(may_nudge(&settings(), now), Ok(()));
        let off = NudgeSettings {
            enabled: false,
            ..settings()
        };
        assert_eq!(may_nudge(&off, now), Err(Skip::Off));
        let unreachable = NudgeSettings {
            unreachable_since: Some(1),
            ..settings()
        };
        assert_eq!(may_nudge(&unreachable, now), Err(Skip::Unreachable));
        let paused = NudgeSettings {
            paused_until: Some(now.timestamp() + 60),
            ..settings()
        };
        assert_eq!(may_nudge(&paused, now), Err(Skip::Paused));
        let pause_over = NudgeSettings {
            paused_until: Some(now.timestamp() - 60),
            ..settings()
        };
        assert_eq!(may_nudge(&pause_over, now), Ok(()));
    }

    #[test]
    fn a_reminder_after_the_week_turned_is_skipped() {
        // Nudge Monday 23 November 2026 09:00 Berlin (08:00 UTC); its reminder is due Wednesday.
        let nudge = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|day| day.and_hms_opt(8, 0, 0))
            .expect("a valid time")
            .and_utc()
            .timestamp();
        let reminder = reminder_due(&settings(), nudge).expect("a reminder");
        assert_eq!(reminder, nudge + 48 * 3600);
        assert_eq!(
            reminder_still_this_week(&settings(), reminder, at(reminder + 3600)),
            Ok(())
        );
        let next_monday = at(nudge + 7 * 86_400);
        assert_eq!(
            reminder_still_this_week(&settings(), reminder, next_monday),
            Err(Skip::NewWeek)
        );
    }

    #[test]
    fn a_weekend_nudge_is_reminded_before_its_week_ends() {
        let berlin_utc = |day: u32, hour: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, day)
                .and_then(|d| d.and_hms_opt(hour, 0, 0))
                .expect("a valid time")
                .and_utc()
                .timestamp()
        };
        // Saturday 28 November 09:00 Berlin (08:00 UTC): reminded Sunday 21:00 Berlin.
        let saturday = berlin_utc(28, 8);
        assert_eq!(
            reminder_due(&settings(), saturday),
            Some(berlin_utc(29, 20))
        );
        // Sunday 20:00 Berlin: the week ends too soon for a reminder.
        assert_eq!(reminder_due(&settings(), berlin_utc(29, 19)), None);
    }

    #[test]
    fn a_rate_limit_is_held_for_whole_seconds_rounded_up() {
        let secs = |ms| rate_limit_seconds(std::time::Duration::from_millis(ms));
        assert_eq!((secs(0), secs(600), secs(1000), secs(1001)), (1, 1, 1, 2));
    }

    #[test]
    fn backoff_doubles_up_to_five_minutes() {
        let waits: Vec<i64> = (1..=10).map(backoff_seconds).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    }
}
