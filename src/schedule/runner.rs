//! The scheduler: plans each rule's next occurrence as an outbox row, then claims due rows with
//! a lease and sends them through the member's front end, once. After downtime, what is less
//! than 12 hours late is sent; older rows are marked skipped.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use futures_util::StreamExt;

use crate::clock::Clock;
use crate::frontends::{Messenger, SendError};
use crate::mentor::Mentor;
use crate::mentor::nudge::{CATCH_UP, REMINDER_AFTER};
use crate::schedule::rules::{WeeklyRule, parse_zone, week_start};
use crate::store::{Delivery, DeliveryKind, Finished, PlannedDelivery, Store};

/// How the scheduler paces and retries.
#[derive(Clone, Debug)]
pub struct SchedulerSettings {
    /// How often due rows are looked for.
    pub tick: StdDuration,
    /// How often rules are turned into rows.
    pub plan_every: StdDuration,
    /// How long a claimed row is ours before another scheduler may take it over.
    pub lease: Duration,
    /// Rows claimed at once.
    pub batch: i64,
    /// Sends in flight at once (the messenger paces the requests themselves).
    pub concurrency: usize,
    /// Attempts before a row is given up as failed.
    pub max_attempts: i64,
}

impl Default for SchedulerSettings {
    fn default() -> SchedulerSettings {
        SchedulerSettings {
            tick: StdDuration::from_secs(2),
            plan_every: StdDuration::from_secs(60),
            lease: Duration::seconds(15),
            batch: 25,
            concurrency: 4,
            max_attempts: 5,
        }
    }
}

/// What one pass did, for logs and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub planned: u64,
    pub sent: u64,
    pub skipped: u64,
    pub retried: u64,
    pub failed: u64,
    pub unreachable: u64,
}

enum Outcome {
    Sent,
    Skipped,
    Retried,
    Failed,
    Unreachable,
}

pub struct Scheduler {
    mentor: Mentor,
    store: Store,
    clock: Arc<dyn Clock>,
    messengers: HashMap<String, Arc<dyn Messenger>>,
    owner: String,
    settings: SchedulerSettings,
}

impl Scheduler {
    /// `owner` names this process in leases; it must differ between schedulers sharing a database.
    pub fn new(
        mentor: Mentor,
        clock: Arc<dyn Clock>,
        owner: String,
        settings: SchedulerSettings,
    ) -> Scheduler {
        let store = mentor.store().clone();
        Scheduler {
            mentor,
            store,
            clock,
            messengers: HashMap::new(),
            owner,
            settings,
        }
    }

    /// Sends deliveries for members of `platform` through `messenger`.
    pub fn with_messenger(mut self, platform: &str, messenger: Arc<dyn Messenger>) -> Scheduler {
        self.messengers.insert(platform.to_string(), messenger);
        self
    }

    /// Plans and sends until `shutdown` completes; errors are logged and the loop goes on.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut last_plan: Option<tokio::time::Instant> = None;
        loop {
            if last_plan.is_none_or(|at| at.elapsed() >= self.settings.plan_every) {
                if let Err(error) = self.plan().await {
                    tracing::error!("planning deliveries: {error:#}");
                }
                last_plan = Some(tokio::time::Instant::now());
            }
            match self.dispatch().await {
                Ok(pass) if pass != Pass::default() => tracing::info!(?pass, "deliveries"),
                Ok(_) => {}
                Err(error) => tracing::error!("sending deliveries: {error:#}"),
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(self.settings.tick) => {}
            }
        }
    }

    /// Writes the next occurrence of every member's and team's rule as a row. Planning the same
    /// occurrence again is harmless: the row's natural key is unique.
    pub async fn plan(&self) -> anyhow::Result<u64> {
        let now = self.clock.now();
        let window_start = now - CATCH_UP;
        let members = self.store.members_to_nudge().await?;
        let mut rows = Vec::new();
        for member in members
            .iter()
            .filter(|m| self.messengers.contains_key(&m.platform))
        {
            let Some(rule) =
                WeeklyRule::from_stored(member.weekday, member.minute_of_day, &member.timezone)
            else {
                continue;
            };
            // Never before the rule was set or while paused.
            let from = [
                window_start.timestamp(),
                member.updated_at,
                member.paused_until.unwrap_or(0),
            ]
            .into_iter()
            .max()
            .unwrap_or_default();
            if let Some(next) =
                DateTime::from_timestamp(from, 0).and_then(|from| rule.next_after(from))
            {
                let target = format!("member:{}", member.member_id);
                rows.push(PlannedDelivery {
                    kind: DeliveryKind::Nudge,
                    target,
                    member_id: Some(member.member_id),
                    team_id: None,
                    due_at: next.timestamp(),
                });
            }
        }
        for team in self.store.team_prompts().await? {
            if !self.messengers.contains_key(&team.platform) {
                continue;
            }
            let Some(rule) =
                WeeklyRule::from_stored(team.weekday, team.minute_of_day, &team.timezone)
            else {
                continue;
            };
            let from = window_start.timestamp().max(team.updated_at);
            if let Some(next) =
                DateTime::from_timestamp(from, 0).and_then(|from| rule.next_after(from))
            {
                rows.push(PlannedDelivery {
                    kind: DeliveryKind::TeamPrompt,
                    target: format!("team:{}", team.id),
                    member_id: None,
                    team_id: Some(team.id),
                    due_at: next.timestamp(),
                });
            }
        }
        self.store.plan_deliveries(&rows).await
    }

    /// Claims and sends every due row, a batch at a time.
    pub async fn dispatch(&self) -> anyhow::Result<Pass> {
        let mut pass = Pass::default();
        loop {
            let now = self.clock.now().timestamp();
            let batch = self
                .store
                .claim_due(
                    &self.owner,
                    now,
                    self.settings.lease.num_seconds(),
                    self.settings.batch,
                )
                .await?;
            if batch.is_empty() {
                return Ok(pass);
            }
            let outcomes: Vec<anyhow::Result<Outcome>> = futures_util::stream::iter(batch)
                .map(|delivery| self.deliver(delivery))
                .buffer_unordered(self.settings.concurrency)
                .collect()
                .await;
            for outcome in outcomes {
                match outcome {
                    Ok(Outcome::Sent) => pass.sent += 1,
                    Ok(Outcome::Skipped) => pass.skipped += 1,
                    Ok(Outcome::Retried) => pass.retried += 1,
                    Ok(Outcome::Failed) => pass.failed += 1,
                    Ok(Outcome::Unreachable) => pass.unreachable += 1,
                    // The row keeps its lease and is taken up again when the lease runs out.
                    Err(error) => tracing::error!("delivering: {error:#}"),
                }
            }
        }
    }

    async fn deliver(&self, delivery: Delivery) -> anyhow::Result<Outcome> {
        let now = self.clock.now();
        if now.timestamp() - delivery.due_at > CATCH_UP.num_seconds() {
            self.skip(
                &delivery,
                "more than 12 hours late: mentorbot was not running when it was due",
            )
            .await?;
            return Ok(Outcome::Skipped);
        }
        match DeliveryKind::parse(&delivery.kind) {
            Some(DeliveryKind::TeamPrompt) => self.deliver_team(delivery).await,
            Some(kind) => self.deliver_to_member(delivery, kind, now).await,
            None => {
                self.store
                    .finish_delivery(
                        delivery.id,
                        &self.owner,
                        &Finished::Failed {
                            error: "unknown delivery kind",
                        },
                        now.timestamp(),
                    )
                    .await?;
                Ok(Outcome::Failed)
            }
        }
    }

    async fn deliver_to_member(
        &self,
        delivery: Delivery,
        kind: DeliveryKind,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Outcome> {
        let member_id = delivery.member_id.unwrap_or_default();
        let (Some(member), Some(settings)) = (
            self.store.member_by_id(member_id).await?,
            self.store.nudge_settings(member_id).await?,
        ) else {
            self.skip(&delivery, "the member is gone").await?;
            return Ok(Outcome::Skipped);
        };
        let paused = settings
            .paused_until
            .is_some_and(|until| until > now.timestamp());
        if !settings.enabled || paused || settings.unreachable_since.is_some() {
            self.skip(&delivery, "nudges are off, paused or undeliverable")
                .await?;
            return Ok(Outcome::Skipped);
        }
        if kind == DeliveryKind::Reminder {
            let zone = parse_zone(&settings.timezone).unwrap_or(chrono_tz::UTC);
            let nudged_at =
                DateTime::from_timestamp(delivery.due_at, 0).unwrap_or(now) - REMINDER_AFTER;
            if week_start(nudged_at, zone) != week_start(now, zone) {
                self.skip(&delivery, "a new week began before the reminder")
                    .await?;
                return Ok(Outcome::Skipped);
            }
        }
        let Some(messenger) = self.messengers.get(&member.platform) else {
            let error = format!("no {} front end is running", member.platform);
            self.store
                .finish_delivery(
                    delivery.id,
                    &self.owner,
                    &Finished::Failed { error: &error },
                    now.timestamp(),
                )
                .await?;
            return Ok(Outcome::Failed);
        };
        let Some(message) = self.mentor.nudge_message(member_id, kind).await? else {
            self.skip(&delivery, "this week's question is already answered")
                .await?;
            return Ok(Outcome::Skipped);
        };
        let key = delivery_key(&delivery);
        let result = messenger.send_direct(&member.user_id, &message, &key).await;
        let outcome = self.record(&delivery, result).await?;
        if matches!(outcome, Outcome::Unreachable) {
            self.store
                .mark_unreachable(member_id, now.timestamp())
                .await?;
        }
        if matches!(outcome, Outcome::Sent) && kind == DeliveryKind::Nudge && settings.reminder {
            let target = format!("member:{member_id}");
            let reminder = PlannedDelivery {
                kind: DeliveryKind::Reminder,
                target,
                member_id: Some(member_id),
                team_id: None,
                due_at: delivery.due_at + REMINDER_AFTER.num_seconds(),
            };
            self.store.plan_delivery(&reminder).await?;
        }
        Ok(outcome)
    }

    async fn deliver_team(&self, delivery: Delivery) -> anyhow::Result<Outcome> {
        let Some(team) = self
            .store
            .team_prompt(delivery.team_id.unwrap_or_default())
            .await?
        else {
            self.skip(&delivery, "the team question was removed")
                .await?;
            return Ok(Outcome::Skipped);
        };
        let Some(messenger) = self.messengers.get(&team.platform) else {
            let error = format!("no {} front end is running", team.platform);
            self.store
                .finish_delivery(
                    delivery.id,
                    &self.owner,
                    &Finished::Failed { error: &error },
                    self.clock.now().timestamp(),
                )
                .await?;
            return Ok(Outcome::Failed);
        };
        let message = self.mentor.team_message(&team, delivery.due_at)?;
        let result = messenger
            .post(&team.channel, &message, &delivery_key(&delivery))
            .await;
        self.record(&delivery, result).await
    }

    /// Records what the platform said about one send.
    async fn record(
        &self,
        delivery: &Delivery,
        result: Result<String, SendError>,
    ) -> anyhow::Result<Outcome> {
        let now = self.clock.now().timestamp();
        let owner = &self.owner;
        Ok(match result {
            Ok(message_id) => {
                self.store
                    .finish_delivery(
                        delivery.id,
                        owner,
                        &Finished::Sent {
                            message_id: &message_id,
                        },
                        now,
                    )
                    .await?;
                Outcome::Sent
            }
            Err(SendError::Unreachable(why)) => {
                self.store
                    .finish_delivery(
                        delivery.id,
                        owner,
                        &Finished::Unreachable { error: &why },
                        now,
                    )
                    .await?;
                Outcome::Unreachable
            }
            Err(SendError::Transient(why)) if delivery.attempts < self.settings.max_attempts => {
                // 2, 4, 8, 16 … seconds, at most five minutes.
                let wait = 2_i64
                    .saturating_pow(u32::try_from(delivery.attempts).unwrap_or(8))
                    .min(300);
                self.store
                    .retry_later(delivery.id, owner, now + wait, &why)
                    .await?;
                Outcome::Retried
            }
            Err(error) => {
                let why = format!("gave up after {} attempts: {error}", delivery.attempts);
                self.store
                    .finish_delivery(delivery.id, owner, &Finished::Failed { error: &why }, now)
                    .await?;
                Outcome::Failed
            }
        })
    }

    async fn skip(&self, delivery: &Delivery, why: &str) -> anyhow::Result<()> {
        self.store
            .finish_delivery(
                delivery.id,
                &self.owner,
                &Finished::Skipped { why },
                self.clock.now().timestamp(),
            )
            .await
    }
}

/// A key unique to the row, at most 25 characters (Discord's nonce limit).
fn delivery_key(delivery: &Delivery) -> String {
    format!("mb{}-{}", delivery.id, delivery.due_at)
}
