//! What a member's streak is counted from: the times of their reflections, their pauses and
//! their teams' holidays. On SQLite one read brings all three, as JSON arrays.

use std::sync::LazyLock;

use anyhow::Context;

use super::{Pool, Store};

/// The inputs of a streak, for `mentor::streak`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreakInputs {
    /// Distinct 15-minute slots (Unix seconds / 900) with a reflection: enough to place each in
    /// its local week in any time zone.
    pub slots: Vec<i64>,
    /// The member's pauses, (start, end) in Unix seconds, earliest first.
    pub pauses: Vec<(i64, i64)>,
    /// Their teams' holidays, first and last day as `YYYY-MM-DD`, earliest first.
    pub holidays: Vec<(String, String)>,
}

const SLOTS: &str = "SELECT DISTINCT created_at / 900 AS slot FROM reflections
     WHERE member_id = $1 AND created_at >= $2";
const PAUSES: &str =
    "SELECT starts_at, ends_at FROM nudge_pauses WHERE member_id = $1 ORDER BY starts_at";
const HOLIDAYS: &str = "SELECT h.first_day, h.last_day FROM team_holidays h
     JOIN member_teams t ON t.platform = h.platform AND t.workspace = h.workspace
     WHERE t.member_id = $1 ORDER BY h.first_day";

/// The three as JSON arrays in one row; made of the constants above, with no input in it.
static SQLITE_ALL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT (SELECT COALESCE(json_group_array(slot), '[]') FROM ({SLOTS})),
                (SELECT COALESCE(json_group_array(json_array(starts_at, ends_at)), '[]')
                 FROM ({PAUSES})),
                (SELECT COALESCE(json_group_array(json_array(first_day, last_day)), '[]')
                 FROM ({HOLIDAYS}))"
    )
});

/// The streak's read on SQLite, to prepare ahead (see `hot_reads` in `store`).
pub(super) fn sqlite_read() -> &'static str {
    SQLITE_ALL.as_str()
}

impl Store {
    /// The streak's inputs for `member_id`, reflections counted from `since`.
    pub async fn streak_inputs(&self, member_id: i64, since: i64) -> anyhow::Result<StreakInputs> {
        let readers = match self.pool() {
            Pool::Postgres(pool) => {
                let (slots, pauses, holidays) = tokio::try_join!(
                    sqlx::query_scalar(SLOTS)
                        .bind(member_id)
                        .bind(since)
                        .fetch_all(pool),
                    sqlx::query_as(PAUSES).bind(member_id).fetch_all(pool),
                    sqlx::query_as(HOLIDAYS).bind(member_id).fetch_all(pool),
                )
                .context("reading a streak's reflections, pauses and holidays")?;
                return Ok(StreakInputs {
                    slots,
                    pauses,
                    holidays,
                });
            }
            Pool::Sqlite(db) => db.readers(),
        };
        let (slots, pauses, holidays): (String, String, String) = readers
            .one(&SQLITE_ALL, &[&member_id, &since])
            .context("reading a streak's reflections, pauses and holidays")?;
        let decoded = || -> serde_json::Result<StreakInputs> {
            Ok(StreakInputs {
                slots: serde_json::from_str(&slots)?,
                pauses: serde_json::from_str(&pauses)?,
                holidays: serde_json::from_str(&holidays)?,
            })
        };
        decoded().context("decoding a streak's reflections, pauses and holidays")
    }
}
