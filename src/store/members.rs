//! Members, keyed by (platform, workspace, user), and `forget`.

use anyhow::Context;

use rusqlite::types::ToSql;

use super::columns::from_row;
use super::direct;
use super::{NudgeSettings, Store, on_pool, read};
use crate::platform::Platform;

#[derive(Clone, Debug)]
pub struct Member {
    pub id: i64,
    pub platform: Platform,
    pub workspace: String,
    pub user_id: String,
    pub display_name: String,
    pub stage: Option<String>,
    pub created_at: i64,
    /// Their time zone ("UTC" until they choose one) when read together with the member
    /// (`find_member`, so each command knows it without a second read); `None` otherwise.
    pub timezone: Option<String>,
    /// Whether a one-time notice may be due (no settings yet, the zone not yet asked about,
    /// an undelivered DM not yet told), when read by `find_member`; `None` when not read.
    pub notices_pending: Option<bool>,
}
from_row!(Member: id, platform, workspace, user_id, display_name, stage, created_at,
    timezone = default, notices_pending = default);

/// The tables holding rows about a member, all removed by `forget`.
const MEMBER_TABLES: [&str; 17] = [
    "web_links",
    "web_sessions",
    "coach_members",
    "coach_notes",
    "coach_usage",
    "mentoring_optins",
    "mentoring_pairs",
    "member_teams",
    "challenge_checkins",
    "challenge_participants",
    "reflections",
    "weekly_mix",
    "tip_views",
    "weekly_prompts",
    "nudge_settings",
    "nudge_pauses",
    "deliveries",
];

/// The member's columns as `find_member` reads them (`m` the member, `s` their settings): with
/// their zone, and whether any notice `Mentor::add_notices` gives may be due.
macro_rules! member_columns {
    () => {
        "m.id, m.platform, m.workspace, m.user_id, m.display_name, m.stage,
         m.created_at, COALESCE(s.timezone, 'UTC') AS timezone,
         (s.member_id IS NULL OR NOT s.timezone_asked
          OR (s.unreachable_since IS NOT NULL AND NOT s.unreachable_told))
          AS notices_pending"
    };
}
pub(super) use member_columns;

pub(super) const FIND_MEMBER: &str = concat!(
    "SELECT ",
    member_columns!(),
    " FROM members m LEFT JOIN nudge_settings s ON s.member_id = m.id
     WHERE m.platform = $1 AND m.workspace = $2 AND m.user_id = $3"
);

pub(super) const INSERT_MEMBER: &str =
    "INSERT INTO members (platform, workspace, user_id, display_name, created_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (platform, workspace, user_id) DO UPDATE SET display_name = members.display_name
     RETURNING id, platform, workspace, user_id, display_name, stage, created_at";

/// What the notices after each command need: the member, and their settings if they have any.
#[derive(Clone, Debug)]
pub struct NoticeState {
    pub member_id: i64,
    pub settings: Option<NudgeSettings>,
}

impl Store {
    /// The member and their settings in one read (the member's own row decides whether any).
    pub async fn notice_state(
        &self,
        platform: Platform,
        workspace: &str,
        user: &str,
    ) -> anyhow::Result<Option<NoticeState>> {
        struct Row {
            id: i64,
            member_id: Option<i64>,
            weekday: Option<i64>,
            minute_of_day: Option<i64>,
            timezone: Option<String>,
            enabled: Option<bool>,
            reminder: Option<bool>,
            paused_until: Option<i64>,
            timezone_asked: Option<bool>,
            unreachable_since: Option<i64>,
            unreachable_told: Option<bool>,
            updated_at: Option<i64>,
        }
        from_row!(Row: id, member_id, weekday, minute_of_day, timezone, enabled, reminder,
            paused_until, timezone_asked, unreachable_since, unreachable_told, updated_at);
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT m.id, s.member_id, s.weekday, s.minute_of_day, s.timezone, s.enabled,
                    s.reminder, s.paused_until, s.timezone_asked, s.unreachable_since,
                    s.unreachable_told, s.updated_at
             FROM members m LEFT JOIN nudge_settings s ON s.member_id = m.id
             WHERE m.platform = $1 AND m.workspace = $2 AND m.user_id = $3",
        )
        .bind(platform)
        .bind(workspace)
        .bind(user)
        .fetch_optional(pool)
        .await)
        .context("reading a member's notices")?;
        Ok(row.map(|row| {
            // Every settings column is NOT NULL, so all are present or the row is missing.
            let settings = match (row.member_id, row.weekday, row.minute_of_day, row.timezone) {
                (Some(member_id), Some(weekday), Some(minute_of_day), Some(timezone)) => {
                    Some(NudgeSettings {
                        member_id,
                        weekday,
                        minute_of_day,
                        timezone,
                        enabled: row.enabled.unwrap_or(true),
                        reminder: row.reminder.unwrap_or(false),
                        paused_until: row.paused_until,
                        timezone_asked: row.timezone_asked.unwrap_or(false),
                        unreachable_since: row.unreachable_since,
                        unreachable_told: row.unreachable_told.unwrap_or(false),
                        updated_at: row.updated_at.unwrap_or_default(),
                    })
                }
                _ => None,
            };
            NoticeState {
                member_id: row.id,
                settings,
            }
        }))
    }

    pub async fn find_member(
        &self,
        platform: Platform,
        workspace: &str,
        user: &str,
    ) -> anyhow::Result<Option<Member>> {
        read!(
            self,
            optional::<Member>(FIND_MEMBER, platform, workspace, user)
        )
        .context("looking up a member")
    }

    /// The member, created on first sight.
    pub async fn ensure_member(
        &self,
        platform: Platform,
        workspace: &str,
        user: &str,
        display_name: &str,
        now: i64,
    ) -> anyhow::Result<Member> {
        if let Some(member) = self.find_member(platform, workspace, user).await? {
            return Ok(member);
        }
        if let Some(writer) = self.writer() {
            let (workspace, user) = (workspace.to_string(), user.to_string());
            let display_name = display_name.to_string();
            return writer
                .write(move |connection| {
                    let values: [&dyn ToSql; 5] =
                        [&platform, &workspace, &user, &display_name, &now];
                    direct::one_row::<Member>(connection, INSERT_MEMBER, &values)
                })
                .await
                .context("creating a member");
        }
        on_pool!(self, pool => sqlx::query_as::<_, Member>(INSERT_MEMBER)
        .bind(platform)
        .bind(workspace)
        .bind(user)
        .bind(display_name)
        .bind(now)
        .fetch_one(pool)
        .await)
        .context("creating a member")
    }

    pub async fn set_stage(&self, member_id: i64, stage: &str) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query("UPDATE members SET stage = $1 WHERE id = $2")
            .bind(stage)
            .bind(member_id)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
        .context("setting a member's stage")?;
        Ok(())
    }

    /// Deletes the member and every row about them; returns how many rows went.
    pub async fn forget_member(&self, member_id: i64) -> anyhow::Result<u64> {
        on_pool!(self, pool => {
        let mut tx = pool.begin().await.context("starting forget")?;
        let mut removed = 0;
        for table in MEMBER_TABLES {
            // Table names come from the constant above, never from input.
            let sql = format!("DELETE FROM {table} WHERE member_id = $1");
            let done = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(member_id)
                .execute(&mut *tx)
                .await
                .with_context(|| format!("forgetting rows in {table}"))?;
            removed += done.rows_affected();
        }
        let done = sqlx::query("DELETE FROM members WHERE id = $1")
            .bind(member_id)
            .execute(&mut *tx)
            .await
            .context("forgetting the member")?;
        removed += done.rows_affected();
        tx.commit().await.context("committing forget")?;
        // Deleted pages are zeroed (secure_delete); empty the WAL too, where the text was last.
        self.truncate_wal().await;
        Ok(removed)
        })
    }
}

impl Store {
    pub async fn member_by_id(&self, member_id: i64) -> anyhow::Result<Option<Member>> {
        on_pool!(self, pool => sqlx::query_as::<_, Member>(
            "SELECT id, platform, workspace, user_id, display_name, stage, created_at FROM members WHERE id = $1",
        )
        .bind(member_id)
        .fetch_optional(pool)
        .await)
        .context("looking up a member by id")
    }
}
