//! Team holidays: a leader names the days; weekly questions and reminders falling on them are
//! skipped, and streaks freeze over them as over a personal pause.

use chrono::{Duration, NaiveDate};

use crate::calendar;
use crate::error::{Error, Result};
use crate::platform::Platform;
use crate::store::Holiday;

use super::words::{clean_typed_text, shorten};
use super::{Mentor, Reply, messages};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HolidayAction {
    Add {
        first: String,
        last: Option<String>,
        name: Option<String>,
    },
    List,
    Remove {
        first: String,
    },
}

/// The longest holiday, in days.
const LONGEST: i64 = 31;
const NAME_MAX: usize = 60;

impl Mentor {
    pub(super) async fn holiday(
        &self,
        platform: Platform,
        workspace: &str,
        action: HolidayAction,
    ) -> Result<Reply> {
        let today = self.now().date_naive();
        match action {
            HolidayAction::Add { first, last, name } => {
                let first_day = parse_day(&first)?;
                let last_day = match last.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
                    Some(last) => parse_day(last)?,
                    None => first_day,
                };
                if last_day < first_day {
                    return Err(Error::user(messages::HOLIDAY_BACKWARDS));
                }
                if last_day - first_day >= Duration::days(LONGEST) {
                    return Err(Error::user(messages::HOLIDAY_TOO_LONG));
                }
                if last_day < today - Duration::days(1) {
                    return Err(Error::user(messages::HOLIDAY_PAST));
                }
                let name = shorten(&clean_typed_text(name.as_deref().unwrap_or("")), NAME_MAX);
                let name = match name.is_empty() {
                    true => messages::HOLIDAY_DEFAULT_NAME.to_string(),
                    false => name,
                };
                let holiday = Holiday {
                    first_day: first_day.to_string(),
                    last_day: last_day.to_string(),
                    name,
                };
                self.store
                    .add_holiday(platform, workspace, &holiday, self.now().timestamp())
                    .await?;
                Ok(Reply::new(messages::HOLIDAY_ADDED, describe(&holiday)).private())
            }
            HolidayAction::List => {
                let from = (today - Duration::days(1)).to_string();
                let holidays = self.store.holidays(platform, workspace, &from).await?;
                let text = match holidays.is_empty() {
                    true => messages::HOLIDAYS_NONE.to_string(),
                    false => holidays.iter().map(describe).collect::<Vec<_>>().join("\n"),
                };
                Ok(Reply::new(messages::HOLIDAYS_TITLE, text).private())
            }
            HolidayAction::Remove { first } => {
                let first_day = parse_day(&first)?;
                let removed = self
                    .store
                    .remove_holiday(platform, workspace, &first_day.to_string())
                    .await?;
                let text = match removed {
                    true => messages::HOLIDAY_REMOVED,
                    false => messages::HOLIDAY_NOT_FOUND,
                };
                Ok(Reply::new(messages::HOLIDAYS_TITLE, text).private())
            }
        }
    }

    /// The name of the team holiday that `at` falls on in the member's own time zone, if any.
    pub async fn holiday_on(&self, member_id: i64, at: i64) -> Result<Option<String>> {
        let holidays = self.store.member_holidays(member_id).await?;
        if holidays.is_empty() {
            return Ok(None);
        }
        let zone = self.member_zone(member_id).await?;
        let Some(day) = chrono::DateTime::from_timestamp(at, 0)
            .map(|at| at.with_timezone(&zone).date_naive().to_string())
        else {
            return Ok(None);
        };
        Ok(holidays
            .into_iter()
            .find(|h| h.first_day <= day && day <= h.last_day)
            .map(|h| h.name))
    }
}

fn parse_day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::user(messages::HOLIDAY_DATE_FORMAT))
}

fn describe(holiday: &Holiday) -> String {
    match holiday.first_day == holiday.last_day {
        true => format!("{}: {}", holiday.first_day, holiday.name),
        false => format!(
            "{} to {}: {}",
            holiday.first_day, holiday.last_day, holiday.name
        ),
    }
}

/// Reads `holiday add <first> [<last>] [name…]`, `holiday list`, `holiday remove <first>`.
pub fn parse(words: &[&str]) -> Result<HolidayAction> {
    let is_day = |word: &str| NaiveDate::parse_from_str(word, "%Y-%m-%d").is_ok();
    match words {
        [] | ["list"] => Ok(HolidayAction::List),
        ["remove", first] => Ok(HolidayAction::Remove {
            first: first.to_string(),
        }),
        ["add", first, rest @ ..] => {
            let (last, name) = match rest.split_first() {
                Some((last, name)) if is_day(last) => (Some(last.to_string()), name),
                _ => (None, rest),
            };
            Ok(HolidayAction::Add {
                first: first.to_string(),
                last,
                name: (!name.is_empty()).then(|| name.join(" ")),
            })
        }
        _ => Err(Error::user(messages::HOLIDAY_USAGE)),
    }
}

/// Team holidays (first and last day, `YYYY-MM-DD`) as (start, end) times in `zone`, for the
/// streak.
pub(super) fn spans(holidays: &[(String, String)], zone: chrono_tz::Tz) -> Vec<(i64, i64)> {
    holidays
        .iter()
        .filter_map(|(first, last)| {
            let first = NaiveDate::parse_from_str(first, "%Y-%m-%d").ok()?;
            let last = NaiveDate::parse_from_str(last, "%Y-%m-%d").ok()?;
            let start = calendar::start_of_day(first, zone).timestamp();
            let end = calendar::start_of_day(last + Duration::days(1), zone).timestamp();
            Some((start, end))
        })
        .collect()
}
