//! The outbox: one row per nudge, reminder or team post to send. Rows are planned with a unique
//! natural key, claimed with a lease in a single statement (so two schedulers never take the
//! same row), and finished as sent, skipped, failed or unreachable.

use anyhow::Context;

use super::Store;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryKind {
    Nudge,
    Reminder,
    TeamPrompt,
}

impl DeliveryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryKind::Nudge => "nudge",
            DeliveryKind::Reminder => "reminder",
            DeliveryKind::TeamPrompt => "team_prompt",
        }
    }

    pub fn parse(kind: &str) -> Option<DeliveryKind> {
        match kind {
            "nudge" => Some(DeliveryKind::Nudge),
            "reminder" => Some(DeliveryKind::Reminder),
            "team_prompt" => Some(DeliveryKind::TeamPrompt),
            _ => None,
        }
    }
}

/// A claimed row, ready to send.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub kind: String,
    pub target: String,
    pub member_id: Option<i64>,
    pub team_id: Option<i64>,
    pub due_at: i64,
    pub attempts: i64,
}

/// How a claimed delivery ended.
#[derive(Clone, Copy, Debug)]
pub enum Finished<'a> {
    Sent {
        message_id: &'a str,
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
    pub target: String,
    pub member_id: Option<i64>,
    pub team_id: Option<i64>,
    pub due_at: i64,
}

impl Store {
    /// Adds a delivery unless the same (kind, target, due_at) exists; returns whether it was new.
    pub async fn plan_delivery(&self, planned: &PlannedDelivery) -> anyhow::Result<bool> {
        Ok(self.plan_deliveries(std::slice::from_ref(planned)).await? == 1)
    }

    /// Plans many deliveries in one transaction; returns how many were new.
    pub async fn plan_deliveries(&self, planned: &[PlannedDelivery]) -> anyhow::Result<u64> {
        let mut tx = self
            .pool()
            .begin()
            .await
            .context("starting to plan deliveries")?;
        let mut added = 0;
        for delivery in planned {
            let done = sqlx::query(
                // A member forgotten (or a team question removed) since planning began is skipped.
                "INSERT INTO deliveries (kind, target, member_id, team_id, due_at, not_before)
                 SELECT $1, $2, $3, $4, $5, $5
                 WHERE ($3 IS NULL OR EXISTS (SELECT 1 FROM members WHERE id = $3))
                   AND ($4 IS NULL OR EXISTS (SELECT 1 FROM team_prompts WHERE id = $4))
                 ON CONFLICT (kind, target, due_at) DO NOTHING",
            )
            .bind(delivery.kind.as_str())
            .bind(&delivery.target)
            .bind(delivery.member_id)
            .bind(delivery.team_id)
            .bind(delivery.due_at)
            .execute(&mut *tx)
            .await
            .context("planning a delivery")?;
            added += done.rows_affected();
        }
        tx.commit().await.context("committing planned deliveries")?;
        Ok(added)
    }

    /// Claims up to `limit` rows that are due (or whose lease ran out) for `owner`.
    pub async fn claim_due(
        &self,
        owner: &str,
        now: i64,
        lease_seconds: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<Delivery>> {
        sqlx::query_as::<_, Delivery>(
            "UPDATE deliveries SET status = 'sending', lease_owner = $1, lease_until = $2 + $3, attempts = attempts + 1
             WHERE id IN (
                 SELECT id FROM deliveries
                 WHERE (status = 'pending' AND not_before <= $2) OR (status = 'sending' AND lease_until < $2)
                 ORDER BY not_before, id LIMIT $4)
             RETURNING id, kind, target, member_id, team_id, due_at, attempts",
        )
        .bind(owner)
        .bind(now)
        .bind(lease_seconds)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .context("claiming due deliveries")
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
            Finished::Sent { message_id } => ("sent", Some(*message_id), None),
            Finished::Skipped { why } => ("skipped", None, Some(*why)),
            Finished::Failed { error } => ("failed", None, Some(*error)),
            Finished::Unreachable { error } => ("unreachable", None, Some(*error)),
        };
        sqlx::query(
            "UPDATE deliveries SET status = $3, message_id = $4, error = $5, finished_at = $6, lease_until = NULL
             WHERE id = $1 AND lease_owner = $2 AND status = 'sending'",
        )
        .bind(id)
        .bind(owner)
        .bind(status)
        .bind(message_id)
        .bind(error)
        .bind(now)
        .execute(self.pool())
        .await
        .with_context(|| format!("marking a delivery {status}"))?;
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
        sqlx::query(
            "UPDATE deliveries SET status = 'pending', not_before = $3, error = $4, lease_until = NULL
             WHERE id = $1 AND lease_owner = $2 AND status = 'sending'",
        )
        .bind(id)
        .bind(owner)
        .bind(not_before)
        .bind(error)
        .execute(self.pool())
        .await
        .context("scheduling a retry")?;
        Ok(())
    }

    /// Drops a member's nudges and reminders that have not been sent (their rule changed).
    pub async fn cancel_pending_nudges(&self, member_id: i64) -> anyhow::Result<u64> {
        let done = sqlx::query(
            "DELETE FROM deliveries WHERE member_id = $1 AND status = 'pending' AND kind IN ('nudge', 'reminder')",
        )
        .bind(member_id)
        .execute(self.pool())
        .await
        .context("cancelling pending nudges")?;
        Ok(done.rows_affected())
    }

    /// Drops a team's posts that have not been sent.
    pub async fn cancel_pending_team_posts(&self, team_id: i64) -> anyhow::Result<u64> {
        let done = sqlx::query("DELETE FROM deliveries WHERE team_id = $1 AND status = 'pending'")
            .bind(team_id)
            .execute(self.pool())
            .await
            .context("cancelling pending team posts")?;
        Ok(done.rows_affected())
    }
}
