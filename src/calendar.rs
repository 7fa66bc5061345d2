//! Pure scheduling rules: when a weekly rule next fires, in the member's time zone, stored in
//! UTC. Daylight-saving changes neither skip nor repeat a week (croner: a time in the spring
//! gap fires at the first valid minute after it; a time in the autumn overlap fires once).

use std::str::FromStr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use croner::Cron;

/// "Every week on this day at this time, in this zone."
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeeklyRule {
    pub weekday: Weekday,
    pub hour: u32,
    pub minute: u32,
    pub zone: Tz,
}

impl WeeklyRule {
    /// From stored values: ISO weekday (1 = Monday), minute of the day and an IANA zone name.
    pub fn from_stored(weekday: i64, minute_of_day: i64, zone: &str) -> Option<WeeklyRule> {
        let weekday = u8::try_from(weekday)
            .ok()
            .and_then(|d| Weekday::try_from(d.checked_sub(1)?).ok())?;
        let minute_of_day = u32::try_from(minute_of_day).ok().filter(|m| *m < 24 * 60)?;
        let zone = Tz::from_str(zone).ok()?;
        Some(WeeklyRule {
            weekday,
            hour: minute_of_day / 60,
            minute: minute_of_day % 60,
            zone,
        })
    }

    pub fn minute_of_day(&self) -> i64 {
        i64::from(self.hour * 60 + self.minute)
    }

    /// The first time the rule fires strictly after `after`.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // croner counts weekdays from Sunday = 0.
        let pattern = format!(
            "{} {} * * {}",
            self.minute,
            self.hour,
            self.weekday.num_days_from_sunday()
        );
        let cron = Cron::from_str(&pattern).ok()?;
        let local = after.with_timezone(&self.zone);
        cron.find_next_occurrence(&local, false)
            .ok()
            .map(|next| next.with_timezone(&Utc))
    }

    /// "Monday 09:30 (Europe/Berlin)".
    pub fn describe(&self) -> String {
        format!(
            "{} {:02}:{:02} ({})",
            weekday_name(self.weekday),
            self.hour,
            self.minute,
            self.zone.name()
        )
    }
}

/// The Monday that starts the week holding `at`, in `zone`.
pub fn week_start(at: DateTime<Utc>, zone: Tz) -> NaiveDate {
    let local = at.with_timezone(&zone).date_naive();
    local - Duration::days(i64::from(local.weekday().num_days_from_monday()))
}

/// The Mondays the week at `at` may have begun on, whatever the zone (clocks run from 12 hours
/// behind UTC to 14 ahead): the same date twice, or two near the turn of a week. With them, the
/// earliest instant either of those weeks begins anywhere.
pub fn possible_week_starts(at: DateTime<Utc>) -> ([NaiveDate; 2], DateTime<Utc>) {
    let latest_clock = chrono_tz::Etc::GMTMinus14;
    let weeks = [
        week_start(at, chrono_tz::Etc::GMTPlus12),
        week_start(at, latest_clock),
    ];
    (weeks, start_of_day(weeks[0], latest_clock))
}

/// The first instant of a local date in `zone`, as UTC.
pub fn start_of_day(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    midnight
        .and_local_timezone(zone)
        .earliest()
        .map(|local| local.with_timezone(&Utc))
        // A zone whose midnight falls in a gap: one hour later exists.
        .unwrap_or_else(|| (midnight + Duration::hours(1)).and_utc())
}

/// Reads `09:30` or `9:30`; refuses anything outside 00:00–23:59.
pub fn parse_time(text: &str) -> Option<(u32, u32)> {
    let (hour, minute) = text.trim().split_once(':')?;
    let hour: u32 = hour.parse().ok().filter(|h| *h < 24)?;
    let minute: u32 = minute
        .parse()
        .ok()
        .filter(|m| *m < 60 && minute.len() == 2)?;
    Some((hour, minute))
}

/// Reads a weekday in English, full or short ("monday", "Mon").
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let text = text.trim().to_lowercase();
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .find(|day| {
        let name = weekday_name(*day).to_lowercase();
        text == name || (text.len() >= 3 && name.starts_with(&text))
    })
}

pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Reads an IANA time zone name, ignoring case; on failure, up to three close names.
pub fn parse_zone(text: &str) -> Result<Tz, Vec<&'static str>> {
    let text = text.trim();
    if let Ok(zone) = Tz::from_str(text) {
        return Ok(zone);
    }
    if let Some(zone) = chrono_tz::TZ_VARIANTS
        .iter()
        .find(|zone| zone.name().eq_ignore_ascii_case(text))
    {
        return Ok(*zone);
    }
    Err(zone_suggestions(text, 3))
}

/// Zone names containing the typed text (ignoring case, spaces as underscores), best first.
pub fn zone_suggestions(typed: &str, limit: usize) -> Vec<&'static str> {
    let needle = typed.trim().to_lowercase().replace(' ', "_");
    let words: Vec<&str> = needle
        .split(['/', '_', '-'])
        .filter(|w| w.len() >= 3)
        .collect();
    let mut scored: Vec<(usize, &'static str)> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .filter_map(|name| {
            let lower = name.to_lowercase();
            let score = if !needle.is_empty() && lower.contains(&needle) {
                3
            } else {
                words.iter().filter(|word| lower.contains(*word)).count()
            };
            (score > 0).then_some((score, name))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.len().cmp(&b.1.len()))
            .then(a.1.cmp(b.1))
    });
    scored
        .into_iter()
        .take(limit)
        .map(|(_, name)| name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("a valid time")
    }

    /// Fires the rule week after week from `start` and returns the local times.
    fn local_firings(rule: &WeeklyRule, start: DateTime<Utc>, weeks: usize) -> Vec<DateTime<Tz>> {
        let mut at = start;
        (0..weeks)
            .map(|_| {
                at = rule.next_after(at).expect("a next occurrence");
                at.with_timezone(&rule.zone)
            })
            .collect()
    }

    #[test]
    fn berlin_monday_nine_stays_at_nine_across_the_march_change() {
        let rule = WeeklyRule {
            weekday: Weekday::Mon,
            hour: 9,
            minute: 0,
            zone: chrono_tz::Europe::Berlin,
        };
        let firings = local_firings(&rule, utc(2026, 3, 9, 12, 0), 5);
        let days: Vec<u32> = firings.iter().map(|t| t.day()).collect();
        assert_eq!(
            days,
            [16, 23, 30, 6, 13],
            "one per week, none skipped or repeated"
        );
        assert!(
            firings
                .iter()
                .all(|t| t.hour() == 9 && t.minute() == 0 && t.weekday() == Weekday::Mon)
        );
        let utc_hours: Vec<u32> = firings
            .iter()
            .map(|t| t.with_timezone(&Utc).hour())
            .collect();
        assert_eq!(
            utc_hours,
            [8, 8, 7, 7, 7],
            "08:00 UTC before 29 March, 07:00 after"
        );
    }

    #[test]
    fn new_york_monday_nine_stays_at_nine_across_the_november_change() {
        let rule = WeeklyRule {
            weekday: Weekday::Mon,
            hour: 9,
            minute: 0,
            zone: chrono_tz::America::New_York,
        };
        let firings = local_firings(&rule, utc(2026, 10, 19, 16, 0), 4);
        let days: Vec<u32> = firings.iter().map(|t| t.day()).collect();
        assert_eq!(days, [26, 2, 9, 16]);
        assert!(firings.iter().all(|t| t.hour() == 9 && t.minute() == 0));
        let utc_hours: Vec<u32> = firings
            .iter()
            .map(|t| t.with_timezone(&Utc).hour())
            .collect();
        assert_eq!(
            utc_hours,
            [13, 14, 14, 14],
            "13:00 UTC before 1 November, 14:00 after"
        );
    }

    #[test]
    fn a_time_in_the_spring_gap_fires_once_just_after_it() {
        let rule = WeeklyRule {
            weekday: Weekday::Sun,
            hour: 2,
            minute: 30,
            zone: chrono_tz::Europe::Berlin,
        };
        let firings = local_firings(&rule, utc(2026, 3, 22, 12, 0), 2);
        assert_eq!(
            (firings[0].day(), firings[0].hour()),
            (29, 3),
            "02:30 does not exist on 29 March"
        );
        assert_eq!(
            (firings[1].day(), firings[1].hour(), firings[1].minute()),
            (5, 2, 30)
        );
    }

    #[test]
    fn a_time_in_the_autumn_overlap_fires_once() {
        let rule = WeeklyRule {
            weekday: Weekday::Sun,
            hour: 1,
            minute: 30,
            zone: chrono_tz::America::New_York,
        };
        let firings = local_firings(&rule, utc(2026, 10, 25, 12, 0), 2);
        assert_eq!(firings[0].day(), 1);
        assert_eq!(firings[1].day(), 8, "not twice on 1 November");
    }

    #[test]
    fn stored_rules_round_trip_and_bad_ones_are_refused() {
        let rule = WeeklyRule::from_stored(1, 570, "Europe/Berlin").expect("valid");
        assert_eq!(rule.describe(), "Monday 09:30 (Europe/Berlin)");
        assert_eq!(rule.minute_of_day(), 570);
        assert!(WeeklyRule::from_stored(0, 570, "UTC").is_none());
        assert!(WeeklyRule::from_stored(8, 570, "UTC").is_none());
        assert!(WeeklyRule::from_stored(1, 1440, "UTC").is_none());
        assert!(WeeklyRule::from_stored(1, 570, "Mars/Olympus").is_none());
    }

    #[test]
    fn times_days_and_zones_are_read_carefully() {
        assert_eq!(parse_time("09:30"), Some((9, 30)));
        assert_eq!(parse_time("9:05"), Some((9, 5)));
        for bad in ["25:61", "24:00", "12:60", "9", "9:5", "nine", "-1:30", ""] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        assert_eq!(parse_weekday("Mon"), Some(Weekday::Mon));
        assert_eq!(parse_weekday("thursday"), Some(Weekday::Thu));
        assert_eq!(parse_weekday("mo"), None);
        assert_eq!(parse_zone("europe/berlin"), Ok(chrono_tz::Europe::Berlin));
        let suggestions = parse_zone("Berlin").expect_err("not a full name");
        assert_eq!(suggestions.first(), Some(&"Europe/Berlin"));
        assert!(
            parse_zone("New York")
                .expect_err("not a full name")
                .contains(&"America/New_York")
        );
        assert!(parse_zone("Mars/Olympus").expect_err("unknown").is_empty());
    }

    #[test]
    fn weeks_start_on_the_local_monday() {
        // Sunday 23:30 UTC is already Monday in Berlin.
        let late_sunday = utc(2026, 11, 22, 23, 30);
        assert_eq!(
            week_start(late_sunday, chrono_tz::UTC).to_string(),
            "2026-11-16"
        );
        assert_eq!(
            week_start(late_sunday, chrono_tz::Europe::Berlin).to_string(),
            "2026-11-23"
        );
        assert_eq!(
            start_of_day(
                week_start(late_sunday, chrono_tz::Europe::Berlin),
                chrono_tz::Europe::Berlin
            ),
            utc(2026, 11, 22, 23, 0)
        );
    }
}
