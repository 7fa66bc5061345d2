//! Streaks: weeks in a row with at least one reflection. A paused week freezes the streak
//! instead of breaking it, and the current week only counts once it has a reflection.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::calendar::{start_of_day, week_start};

/// How far back a streak is counted.
pub const MAX_WEEKS: i64 = 104;

/// `slots` are reflection times in 15-minute units (Unix seconds / 900); `pauses` are
/// (start, end) in Unix seconds.
pub fn weeks_in_a_row(slots: &[i64], pauses: &[(i64, i64)], now: DateTime<Utc>, zone: Tz) -> u32 {
    let written: HashSet<NaiveDate> = slots
        .iter()
        .filter_map(|slot| DateTime::from_timestamp(slot * 900, 0))
        .map(|at| week_start(at, zone))
        .collect();
    let paused = |week: NaiveDate| {
        let start = start_of_day(week, zone).timestamp();
        let end = start_of_day(week + Duration::days(7), zone).timestamp();
        pauses
            .iter()
            .any(|(from, until)| *from < end && *until > start)
    };
    let this_week = week_start(now, zone);
    let mut streak = u32::from(written.contains(&this_week));
    for back in 1..=MAX_WEEKS {
        let week = this_week - Duration::weeks(back);
        if written.contains(&week) {
            streak += 1;
        } else if !paused(week) {
            break;
        }
    }
    streak
}

/// "3 weeks in a row", or an invitation to start.
pub fn describe(weeks: u32) -> String {
    match weeks {
        0 => "No streak yet: one reflection this week starts it.".to_string(),
        1 => "1 week: keep it going next week.".to_string(),
        n => format!("{n} weeks in a row."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0)
            .single()
            .expect("a valid time")
    }

    fn slot(t: DateTime<Utc>) -> i64 {
        t.timestamp() / 900
    }

    #[test]
    fn consecutive_weeks_count_and_a_gap_breaks() {
        let now = at(2026, 11, 25);
        let slots = [
            slot(at(2026, 11, 24)),
            slot(at(2026, 11, 17)),
            slot(at(2026, 11, 10)),
            slot(at(2026, 10, 27)),
        ];
        assert_eq!(weeks_in_a_row(&slots, &[], now, chrono_tz::UTC), 3);
    }

    #[test]
    fn this_week_without_a_reflection_does_not_break_the_streak_yet() {
        let now = at(2026, 11, 25);
        let slots = [slot(at(2026, 11, 17)), slot(at(2026, 11, 10))];
        assert_eq!(weeks_in_a_row(&slots, &[], now, chrono_tz::UTC), 2);
    }

    #[test]
    fn paused_weeks_freeze_the_streak() {
        let now = at(2026, 11, 25);
        let slots = [
            slot(at(2026, 11, 24)),
            slot(at(2026, 11, 3)),
            slot(at(2026, 10, 27)),
        ];
        let holiday = [(at(2026, 11, 9).timestamp(), at(2026, 11, 22).timestamp())];
        assert_eq!(weeks_in_a_row(&slots, &holiday, now, chrono_tz::UTC), 3);
        assert_eq!(weeks_in_a_row(&slots, &[], now, chrono_tz::UTC), 1);
    }
}
