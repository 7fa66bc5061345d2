//! The outbox: one row per nudge, reminder or team post to send. Rows are planned with a unique
//! natural key, claimed with a lease in a single statement (so two schedulers never take the
//! same row), and finished as sent, skipped, failed or unreachable.

use anyhow::Context;

use super::columns::from_row;
pub use super::delivery_kinds::{DeliveryKind, DeliveryStatus, Recipient};
use super::{Store, on_pool};
use crate::outbound::MessageId;
use crate::platform::Platform;

/// A claimed row, ready to send.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub id: i64,
    pub kind: DeliveryKind,
    pub recipient: Recipient,
    pub due_at: i64,
    pub attempts: i64,
}

struct DeliveryRow {
    id: i64,
    kind: DeliveryKind,
    member_id: Option<i64>,
    team_id: Option<i64>,
    challenge_id: Option<i64>,
    due_at: i64,
    attempts: i64,
}
from_row!(DeliveryRow: id, kind, member_id, team_id, challenge_id, due_at, attempts);

impl TryFrom<DeliveryRow> for Delivery {
    type Error = anyhow::Error;

    fn try_from(row: DeliveryRow) -> anyhow::Result<Delivery> {
        let recipient = match (row.member_id, row.team_id, row.challenge_id) {
            (Some(member), None, None) => Recipient::Member(member),
            (None, Some(team), None) => Recipient::Team(team),
            (None, None, Some(challenge)) => Recipient::Challenge(challenge),
            (Some(member), None, Some(challenge)) => Recipient::Participant { challenge, member },
            _ => anyhow::bail!("delivery {} has no single recipient", row.id),
        };
        Ok(Delivery {
            id: row.id,
            kind: row.kind,
            recipient,
            due_at: row.due_at,
            attempts: row.attempts,
        })
    }
}

/// How a claimed delivery ended.
#[derive(Clone, Copy, Debug)]
pub enum Finished<'a> {
    Sent {
        message_id: &'a MessageId,
    },
    Skipped {
        why: &'a str,
    },
    Failed {
        error: &'a str,
    },
    /// The platform will not deliver to this member.
    Unreachable {
        error: &'a str,
    },
}

/// A new row for the outbox.
#[derive(Clone, Debug)]
pub struct PlannedDelivery {
    pub kind: DeliveryKind,
    pub recipient: Recipient,
    pub due_at: i64,
}

impl Store {
    /// Adds a delivery unless the same (kind, target, due_at) exists; returns whether it was new.
    pub async fn plan_delivery(&self, planned: &PlannedDelivery) -> anyhow::Result<bool> {
        Ok(self.plan_deliveries(std::slice::from_ref(planned)).await? == 1)
    }

    /// Plans many deliveries in one transaction; returns how many were new.
    pub async fn plan_deliveries(&self, planned: &[PlannedDelivery]) -> anyhow::Result<u64> {
        // Every process plans the same rows: inserting them in one order makes two planners
        // wait for each other on PostgreSQL instead of deadlocking.
        let mut planned: Vec<&PlannedDelivery> = planned.iter().collect();
        planned.sort_by_key(|d| (d.kind.as_str(), d.recipient.target(), d.due_at));
        // A member forgotten (or a team question or challenge removed) since planning began is
        // skipped. On PostgreSQL the row is share-locked while it is checked, so a `forget`
        // at the same moment either finishes first or waits, and never fails the whole batch.
        let lock = if self.is_postgres() {
            " FOR KEY SHARE"
        } else {
            ""
        };
        let sql = format!(
            "INSERT INTO deliveries (kind, target, member_id, team_id, challenge_id, due_at, not_before)
             SELECT $1, $2, $3, $4, $6, $5, $5
             WHERE ($3 IS NULL OR EXISTS (SELECT 1 FROM members WHERE id = $3{lock}))
               AND ($4 IS NULL OR EXISTS (SELECT 1 FROM team_prompts WHERE id = $4{lock}))
               AND ($6 IS NULL OR EXISTS (SELECT 1 FROM challenges WHERE id = $6{lock}))
             ON CONFLICT (kind, target, due_at) DO NOTHING"
        );
        on_pool!(self, pool => {
        let mut tx = pool.begin()
            .await
            .context("starting to plan deliveries")?;
        let mut added = 0;
        for delivery in &planned {
            let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(delivery.kind)
            .bind(delivery.recipient.target())
            .bind(delivery.recipient.member_id())
            .bind(delivery.recipient.team_id())
            .bind(delivery.due_at)
            .bind(delivery.recipient.challenge_id())
            .execute(&mut *tx)
            .await
            .context("planning a delivery")?;
            added += done.rows_affected();
        }
        tx.commit().await.context("committing planned deliveries")?;
        Ok(added)
        })
    }

    /// Claims up to `limit` rows that are due (or whose lease ran out) for `owner`: only rows
    /// of the kinds this binary knows (a newer one sharing the database may know more), for
    /// recipients on the platforms `served`, and, when `only_user` is set (a terminal session),
    /// only that member's.
    pub async fn claim_due(
        &self,
        owner: &str,
        now: i64,
        lease_seconds: i64,
        limit: i64,
        served: &[Platform],
        only_user: Option<&str>,
    ) -> anyhow::Result<Vec<Delivery>> {
        // Kind names come from the enum, never from input.
        let known: Vec<String> = DeliveryKind::ALL
            .iter()
            .map(|kind| format!("'{}'", kind.as_str()))
            .collect();
        let due = format!(
            "SELECT d.id FROM deliveries d
             LEFT JOIN members m ON m.id = d.member_id
             LEFT JOIN team_prompts t ON t.id = d.team_id
             LEFT JOIN challenges c ON c.id = d.challenge_id
             WHERE ((d.status = 'pending' AND d.not_before <= $2) OR (d.status = 'sending' AND d.lease_until < $2))
               AND d.kind IN ({})
               AND COALESCE(m.platform, t.platform, c.platform) IN ($5, $6, $7)
               AND ($8 IS NULL OR m.user_id = $8)
             ORDER BY d.not_before, d.id LIMIT $4",
            known.join(", ")
        );
        let sql = if self.is_postgres() {
            // Several processes claim at once: each takes rows no other holds, and the picked
            // rows are computed once (MATERIALIZED), never re-run against the rows being updated.
            format!(
                "WITH picked AS MATERIALIZED ({due} FOR UPDATE OF d SKIP LOCKED)
                 UPDATE deliveries SET status = 'sending', lease_owner = $1, lease_until = $2 + $3, attempts = attempts + 1
                 FROM picked WHERE deliveries.id = picked.id
                 RETURNING deliveries.id, kind, member_id, team_id, challenge_id, due_at, attempts"
            )
        } else {
            // SQLite runs one writer at a time, so its claims never overlap.
            format!(
                "UPDATE deliveries SET status = 'sending', lease_owner = $1, lease_until = $2 + $3, attempts = attempts + 1
                 WHERE id IN ({due})
                 RETURNING id, kind, member_id, team_id, challenge_id, due_at, attempts"
            )
        };
        let platform = |index: usize| served.get(index).copied();
        let rows =
            on_pool!(self, pool => sqlx::query_as::<_, DeliveryRow>(sqlx::AssertSqlSafe(sql))
            .bind(owner)
            .bind(now)
            .bind(lease_seconds)
            .bind(limit)
            .bind(platform(0))
            .bind(platform(1))
            .bind(platform(2))
            .bind(only_user)
            .fetch_all(pool)
            .await)
            .context("claiming due deliveries")?;
        rows.into_iter().map(Delivery::try_from).collect()
    }

    /// Fails rows whose send never finished `max_attempts` times (the process stopped or
    /// panicked while sending each time), so one bad row cannot come back forever.
    pub async fn give_up_unfinished(&self, now: i64, max_attempts: i64) -> anyhow::Result<u64> {
        let changed = on_pool!(self, pool => sqlx::query(
            "UPDATE deliveries SET status = 'failed', finished_at = $1, lease_until = NULL,
                 error = 'gave up after ' || attempts || ' attempts: the send never finished'
             WHERE status = 'sending' AND lease_until < $1 AND attempts >= $2",
        )
        .bind(now)
        .bind(max_attempts)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("giving up unfinished deliveries")?;
        Ok(changed)
    }

    /// Finishes a claimed row; only the lease holder's update counts.
    pub async fn finish_delivery(
        &self,
        id: i64,
        owner: &str,
        outcome: &Finished<'_>,
        now: i64,
    ) -> anyhow::Result<()> {
        let (status, message_id, error) = match outcome {
            Finished::Sent { message_id } => {
                (DeliveryStatus::Sent, Some(message_id.as_str()), None)
            }
            Finished::Skipped { why } => (DeliveryStatus::Skipped, None, Some(*why)),
            Finished::Failed { error } => (DeliveryStatus::Failed, None, Some(*error)),
            Finished::Unreachable { error } => (DeliveryStatus::Unreachable, None, Some(*error)),
        };
        on_pool!(self, pool => sqlx::query(
            "UPDATE deliveries SET status = $3, message_id = $4, error = $5, finished_at = $6, lease_until = NULL
             WHERE id = $1 AND lease_owner = $2 AND status = 'sending'",
        )
        .bind(id)
        .bind(owner)
        .bind(status)
        .bind(message_id)
        .bind(error)
        .bind(now)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .with_context(|| format!("marking a delivery {}", status.as_str()))?;
        Ok(())
    }

    /// Puts a claimed row back to wait until `not_before`, keeping the error for the record.
    pub async fn retry_later(
        &self,
        id: i64,
        owner: &str,
        not_before: i64,
        error: &str,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE deliveries SET status = 'pending', not_before = $3, error = $4, lease_until = NULL
             WHERE id = $1 AND lease_owner = $2 AND status = 'sending'",
        )
        .bind(id)
        .bind(owner)
        .bind(not_before)
        .bind(error)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("scheduling a retry")?;
        Ok(())
    }

    /// Puts a claimed row back to wait until `not_before` because the platform asked it to;
    /// a rate limit is not a failed attempt, so the try is not counted.
    pub async fn postpone(&self, id: i64, owner: &str, not_before: i64) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE deliveries SET status = 'pending', not_before = $3, attempts = attempts - 1,
                 error = 'rate limited', lease_until = NULL
             WHERE id = $1 AND lease_owner = $2 AND status = 'sending'",
        )
        .bind(id)
        .bind(owner)
        .bind(not_before)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("postponing a rate-limited delivery")?;
        Ok(())
    }

    /// Drops a member's nudges and reminders that have not been sent (their rule changed).
    pub async fn cancel_pending_nudges(&self, member_id: i64) -> anyhow::Result<u64> {
        let changed = on_pool!(self, pool => sqlx::query(
            "DELETE FROM deliveries WHERE member_id = $1 AND status = 'pending' AND kind IN ($2, $3)",
        )
        .bind(member_id)
        .bind(DeliveryKind::Nudge)
        .bind(DeliveryKind::Reminder)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("cancelling pending nudges")?;
        Ok(changed)
    }

    /// Drops a team's posts that have not been sent.
    pub async fn cancel_pending_team_posts(&self, team_id: i64) -> anyhow::Result<u64> {
        let changed = on_pool!(self, pool => sqlx::query("DELETE FROM deliveries WHERE team_id = $1 AND status = 'pending'")
            .bind(team_id)
            .execute(pool)
            .await.map(|done| done.rows_affected()))
            .context("cancelling pending team posts")?;
        Ok(changed)
    }

    /// The delivery kinds the database knows, for checking them against [`DeliveryKind`].
    pub async fn stored_delivery_kinds(&self) -> anyhow::Result<Vec<String>> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT name FROM delivery_kinds ORDER BY name")
            .fetch_all(pool)
            .await)
        .context("reading the delivery kinds")
    }
}
