//! Which tips a member has been shown, and when.

use anyhow::Context;

use rusqlite::types::ToSql;

use super::direct;
use super::writer::Durability;
use super::{Store, on_pool, read};

pub(super) const RECORD_TIP_VIEW: &str =
    "INSERT INTO tip_views (member_id, tip_id, seen_at) VALUES ($1, $2, $3)
     ON CONFLICT (member_id, tip_id) DO UPDATE SET seen_at = excluded.seen_at";

pub(super) const TIP_VIEWS: &str = "SELECT tip_id, seen_at FROM tip_views WHERE member_id = $1";

impl Store {
    pub async fn record_tip_view(
        &self,
        member_id: i64,
        tip_id: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        if let Some(writer) = self.writer() {
            let tip_id = tip_id.to_string();
            // Which tips were shown only steers the next pick: the member need not wait for the
            // disk, and a power cut that forgets the last few costs a repeated tip at most.
            return writer
                .write_with(Durability::Committed, move |connection| {
                    let values: [&dyn ToSql; 3] = [&member_id, &tip_id, &now];
                    direct::execute(connection, RECORD_TIP_VIEW, &values).map(|_| ())
                })
                .await
                .context("recording a tip view");
        }
        on_pool!(self, pool => sqlx::query(RECORD_TIP_VIEW)
        .bind(member_id)
        .bind(tip_id)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("recording a tip view")?;
        Ok(())
    }

    /// Every tip the member has seen, with the last time they saw it.
    pub async fn tip_views(&self, member_id: i64) -> anyhow::Result<Vec<(String, i64)>> {
        read!(self, all::<(String, i64)>(TIP_VIEWS, member_id)).context("reading tip views")
    }
}
