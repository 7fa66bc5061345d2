//! The web view's tables: one-time sign-in links and sessions, kept as token hashes; and the
//! weekly sums and mentoring rounds its charts read.

use anyhow::Context;

use super::columns::from_row;
use super::{Store, on_pool};

/// A session found by its token's hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebSession {
    pub member_id: i64,
    /// Workspaces the member leads, one per line.
    pub teams: String,
    pub csrf: String,
    pub expires_at: i64,
}
from_row!(WebSession: member_id, teams, csrf, expires_at);

impl Store {
    pub async fn add_web_link(
        &self,
        member_id: i64,
        token_hash: &str,
        teams: &str,
        now: i64,
        expires_at: i64,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO web_links (token_hash, member_id, teams, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(member_id)
        .bind(teams)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("saving a sign-in link")?;
        Ok(())
    }

    /// Uses a link once: marks it used and returns (member, teams), if it was unused and fresh.
    pub async fn use_web_link(
        &self,
        token_hash: &str,
        now: i64,
    ) -> anyhow::Result<Option<(i64, String)>> {
        on_pool!(self, pool => sqlx::query_as(
            "UPDATE web_links SET used_at = $2
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING member_id, teams",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)
        .context("using a sign-in link")
    }

    /// True when an unused, fresh link has this hash (the sign-in page asks before it uses it).
    pub async fn web_link_usable(&self, token_hash: &str, now: i64) -> anyhow::Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT member_id FROM web_links
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)
        .context("checking a sign-in link")?;
        Ok(found.is_some())
    }

    pub async fn add_web_session(
        &self,
        member_id: i64,
        token_hash: &str,
        session: (&str, &str),
        now: i64,
        expires_at: i64,
    ) -> anyhow::Result<()> {
        let (teams, csrf) = session;
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO web_sessions (token_hash, member_id, teams, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(member_id)
        .bind(teams)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|_| ()))
        .context("saving a web session")?;
        Ok(())
    }

    pub async fn web_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> anyhow::Result<Option<WebSession>> {
        on_pool!(self, pool => sqlx::query_as::<_, WebSession>(
            "SELECT member_id, teams, csrf, expires_at FROM web_sessions
             WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)
        .context("reading a web session")
    }

    pub async fn end_web_session(&self, token_hash: &str) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query("DELETE FROM web_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("ending a web session")?;
        Ok(())
    }

    /// Removes links and sessions past their time, so the tables stay small.
    pub async fn drop_stale_web_rows(&self, now: i64) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query("DELETE FROM web_links WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("dropping old sign-in links")?;
        on_pool!(self, pool => sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))
        .context("dropping old web sessions")?;
        Ok(())
    }

    /// The member's entries per Monday-to-Sunday UTC week from `first_week` on:
    /// (week number since 1970, management, leadership).
    pub async fn weekly_mix_since(
        &self,
        member_id: i64,
        first_week: i64,
    ) -> anyhow::Result<Vec<(i64, i64, i64)>> {
        on_pool!(self, pool => sqlx::query_as(
            "SELECT week, management, leadership FROM weekly_mix
             WHERE member_id = $1 AND week >= $2 ORDER BY week",
        )
        .bind(member_id)
        .bind(first_week)
        .fetch_all(pool)
        .await)
        .context("reading the weekly mix")
    }
}

impl Store {
    /// How many members took part in each mentoring round of a team since `since`:
    /// (round time, members), oldest first.
    pub async fn team_mentoring_rounds(
        &self,
        platform: crate::platform::Platform,
        workspace: &str,
        since: i64,
    ) -> anyhow::Result<Vec<(i64, i64)>> {
        on_pool!(self, pool => sqlx::query_as(
            "SELECT round_at, COUNT(*) FROM mentoring_pairs
             WHERE platform = $1 AND workspace = $2 AND round_at >= $3
             GROUP BY round_at ORDER BY round_at",
        )
        .bind(platform)
        .bind(workspace)
        .bind(since)
        .fetch_all(pool)
        .await)
        .context("reading a team's mentoring rounds")
    }
}
