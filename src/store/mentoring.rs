//! Mentoring pairs: who opted in, each team's rounds, and who was paired with whom.

use anyhow::Context;

use super::columns::from_row;
use super::{Store, on_pool};
use crate::platform::Platform;

#[derive(Clone, Debug)]
pub struct MentoringSchedule {
    pub platform: Platform,
    pub workspace: String,
    pub every_weeks: i64,
    pub next_round_at: i64,
}
from_row!(MentoringSchedule: platform, workspace, every_weeks, next_round_at);

/// An opted-in member, with their chosen stage.
#[derive(Clone, Debug)]
pub struct Mentee {
    pub member_id: i64,
    pub stage: Option<String>,
}
from_row!(Mentee: member_id, stage);

/// One member's place in one round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pairing {
    pub member_id: i64,
    pub partner_id: Option<i64>,
    pub mentors: bool,
}
from_row!(Pairing: member_id, partner_id, mentors);

impl Store {
    pub async fn set_mentoring_optin(
        &self,
        member_id: i64,
        platform: Platform,
        workspace: &str,
        opted_in: bool,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO mentoring_optins (member_id, platform, workspace, opted_in)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (member_id, platform, workspace) DO UPDATE SET opted_in = excluded.opted_in",
        )
        .bind(member_id)
        .bind(platform)
        .bind(workspace)
        .bind(opted_in)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("saving a mentoring choice")?;
        Ok(())
    }

    pub async fn set_mentoring_schedule(
        &self,
        platform: Platform,
        workspace: &str,
        every_weeks: i64,
        next_round_at: i64,
    ) -> anyhow::Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO mentoring_schedules (platform, workspace, every_weeks, next_round_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (platform, workspace)
             DO UPDATE SET every_weeks = excluded.every_weeks, next_round_at = excluded.next_round_at",
        )
        .bind(platform)
        .bind(workspace)
        .bind(every_weeks)
        .bind(next_round_at)
        .execute(pool)
        .await.map(|done| done.rows_affected()))
        .context("saving mentoring rounds")?;
        Ok(())
    }

    pub async fn due_mentoring_rounds(&self, now: i64) -> anyhow::Result<Vec<MentoringSchedule>> {
        on_pool!(self, pool => sqlx::query_as::<_, MentoringSchedule>(
            "SELECT platform, workspace, every_weeks, next_round_at FROM mentoring_schedules
             WHERE next_round_at <= $1",
        )
        .bind(now)
        .fetch_all(pool)
        .await)
        .context("reading due mentoring rounds")
    }

    pub async fn mentoring_members(
        &self,
        platform: Platform,
        workspace: &str,
    ) -> anyhow::Result<Vec<Mentee>> {
        on_pool!(self, pool => sqlx::query_as::<_, Mentee>(
            "SELECT o.member_id, m.stage FROM mentoring_optins o JOIN members m ON m.id = o.member_id
             WHERE o.platform = $1 AND o.workspace = $2 AND o.opted_in = TRUE ORDER BY o.member_id",
        )
        .bind(platform)
        .bind(workspace)
        .fetch_all(pool)
        .await)
        .context("reading who opted in")
    }

    /// The team's pairings in its last `rounds` rounds, newest round first.
    pub async fn recent_pairings(
        &self,
        platform: Platform,
        workspace: &str,
        rounds: i64,
    ) -> anyhow::Result<Vec<(i64, Pairing)>> {
        let rows: Vec<(i64, i64, Option<i64>, bool)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT round_at, member_id, partner_id, mentors FROM mentoring_pairs
             WHERE platform = $1 AND workspace = $2 AND round_at IN (
                 SELECT DISTINCT round_at FROM mentoring_pairs
                 WHERE platform = $1 AND workspace = $2 ORDER BY round_at DESC LIMIT $3)
             ORDER BY round_at DESC",
        )
        .bind(platform)
        .bind(workspace)
        .bind(rounds)
        .fetch_all(pool)
        .await)
        .context("reading recent pairs")?;
        Ok(rows
            .into_iter()
            .map(|(round_at, member_id, partner_id, mentors)| {
                (
                    round_at,
                    Pairing {
                        member_id,
                        partner_id,
                        mentors,
                    },
                )
            })
            .collect())
    }

    /// Saves a round and moves the schedule on, once: returns false if another process (or an
    /// earlier pass) already did.
    pub async fn save_mentoring_round(
        &self,
        schedule: &MentoringSchedule,
        pairings: &[Pairing],
    ) -> anyhow::Result<bool> {
        on_pool!(self, pool => {
        let mut tx = pool.begin().await.context("saving a round")?;
        let next = schedule.next_round_at + schedule.every_weeks * 7 * 24 * 3600;
        let moved = sqlx::query(
            "UPDATE mentoring_schedules SET next_round_at = $4
             WHERE platform = $1 AND workspace = $2 AND next_round_at = $3",
        )
        .bind(schedule.platform)
        .bind(&schedule.workspace)
        .bind(schedule.next_round_at)
        .bind(next)
        .execute(&mut *tx)
        .await
        .context("moving the schedule on")?;
        if moved.rows_affected() == 0 {
            return Ok(false);
        }
        for pairing in pairings {
            sqlx::query(
                "INSERT INTO mentoring_pairs (member_id, platform, workspace, round_at, partner_id, mentors)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(pairing.member_id)
            .bind(schedule.platform)
            .bind(&schedule.workspace)
            .bind(schedule.next_round_at)
            .bind(pairing.partner_id)
            .bind(pairing.mentors)
            .execute(&mut *tx)
            .await
            .context("saving a pair")?;
        }
        tx.commit().await.context("saving a round")?;
        Ok(true)
        })
    }

    /// The member's place in the round held at `round_at`, in any team.
    pub async fn pairing_at(
        &self,
        member_id: i64,
        round_at: i64,
    ) -> anyhow::Result<Option<Pairing>> {
        on_pool!(self, pool => sqlx::query_as::<_, Pairing>(
            "SELECT member_id, partner_id, mentors FROM mentoring_pairs
             WHERE member_id = $1 AND round_at = $2 LIMIT 1",
        )
        .bind(member_id)
        .bind(round_at)
        .fetch_optional(pool)
        .await)
        .context("reading a pairing")
    }
}
