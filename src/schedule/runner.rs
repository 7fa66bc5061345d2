//! The scheduler: plans each rule's next occurrence as an outbox row, then claims due rows with
//! a lease and sends each once through the front end of the recipient's platform. It runs under
//! a supervisor: a panic is logged and the loop starts again, so nudges never stop silently.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use futures_util::StreamExt;
use tokio::sync::watch;

use crate::clock::Clock;
use crate::mentor::Mentor;
use crate::outbound::{Destination, MessageId, Messenger, SendError};
use crate::platform::Platform;
use crate::store::{Delivery, Finished, Store};

use super::handlers::{self, Address, Decision};
use super::planner;
use super::policy::{self, Skip};

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
    /// How long the supervisor waits before restarting a loop that panicked.
    pub restart_after: StdDuration,
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
            restart_after: StdDuration::from_secs(5),
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
    messengers: HashMap<Platform, Arc<dyn Messenger>>,
    owner: String,
    settings: SchedulerSettings,
    /// In a terminal session: the one member whose messages this process may show.
    only_user: Option<String>,
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
            only_user: None,
        }
    }

    /// Sends only to this member (by their platform id): a terminal session shows its own
    /// member's questions and leaves everyone else's for their own session.
    pub fn only_for(mut self, user: &str) -> Scheduler {
        self.only_user = Some(user.to_string());
        self
    }

    /// Sends deliveries for members and teams of `platform` through `messenger`.
    pub fn with_messenger(
        mut self,
        platform: Platform,
        messenger: Arc<dyn Messenger>,
    ) -> Scheduler {
        self.messengers.insert(platform, messenger);
        self
    }

    /// Plans and sends until `shutdown` completes. Errors are logged and the loop goes on; a
    /// panic is logged and the loop restarts after `restart_after`.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let scheduler = Arc::new(self);
        let restart_after = scheduler.settings.restart_after;
        let (stop, stopped) = watch::channel(false);
        tokio::pin!(shutdown);
        let mut stopping = false;
        loop {
            let mut task = tokio::spawn(scheduler.clone().serve(stopped.clone()));
            let ended = if stopping {
                task.await
            } else {
                tokio::select! {
                    ended = &mut task => ended,
                    _ = &mut shutdown => {
                        stopping = true;
                        let _ = stop.send(true);
                        task.await
                    }
                }
            };
            match ended {
                Ok(()) => return,
                Err(error) => {
                    tracing::error!(
                        owner = %scheduler.owner,
                        "the scheduler died and restarts in {restart_after:?}: {error}"
                    );
                }
            }
            if stopping {
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(restart_after) => {}
                _ = &mut shutdown => return,
            }
        }
    }

    /// The loop the supervisor watches: plan now and then, send what is due, until told to stop.
    async fn serve(self: Arc<Self>, mut stopped: watch::Receiver<bool>) {
        let mut last_plan: Option<tokio::time::Instant> = None;
        while !*stopped.borrow() {
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
                _ = stopped.wait_for(|stop| *stop) => return,
                _ = tokio::time::sleep(self.settings.tick) => {}
            }
        }
    }

    /// Writes the next occurrence of every rule on the platforms this scheduler sends to.
    pub async fn plan(&self) -> anyhow::Result<u64> {
        let served = |platform| self.messengers.contains_key(&platform);
        let now = self.clock.now();
        self.mentor
            .hold_mentoring_rounds(now, served)
            .await
            .map_err(|e| anyhow::anyhow!("holding mentoring rounds: {e}"))?;
        planner::plan(&self.store, served, now).await
    }

    /// Claims and sends every due row, a batch at a time.
    pub async fn dispatch(&self) -> anyhow::Result<Pass> {
        let mut pass = Pass::default();
        let now = self.clock.now().timestamp();
        pass.failed += self
            .store
            .give_up_unfinished(now, self.settings.max_attempts)
            .await?;
        let mut served: Vec<Platform> = self.messengers.keys().copied().collect();
        served.sort();
        loop {
            let now = self.clock.now().timestamp();
            let batch = self
                .store
                .claim_due(
                    &self.owner,
                    now,
                    self.settings.lease.num_seconds(),
                    self.settings.batch,
                    &served,
                    self.only_user.as_deref(),
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
        if policy::is_stale(delivery.due_at, now) {
            return self.skip(&delivery, Skip::Stale).await;
        }
        let outgoing = match handlers::decide(&self.mentor, &delivery, now).await? {
            Decision::Send(outgoing) => outgoing,
            Decision::Skip(why) => return self.skip(&delivery, why).await,
            Decision::Invalid(why) => return self.fail(&delivery, why).await,
        };
        let Some(messenger) = self.messengers.get(&outgoing.platform) else {
            let error = format!("no {} front end is running", outgoing.platform);
            return self.fail(&delivery, &error).await;
        };
        let key = delivery_key(&delivery);
        // Tried before and its outcome unknown: the platform may already hold it.
        let found = match (delivery.attempts > 1, &outgoing.to) {
            (false, _) => Ok(None),
            (true, Address::Member { user, .. }) => {
                messenger.find_sent(Destination::Member(user), &key).await
            }
            (true, Address::Channel(channel)) => {
                messenger
                    .find_sent(Destination::Channel(channel), &key)
                    .await
            }
        };
        let result = match found {
            Ok(Some(sent)) => {
                tracing::info!(
                    delivery = delivery.id,
                    "an earlier attempt had been delivered"
                );
                Ok(sent)
            }
            Err(error) => Err(error),
            Ok(None) => match &outgoing.to {
                Address::Member { user, .. } => {
                    messenger.send_direct(user, &outgoing.message, &key).await
                }
                Address::Channel(channel) => messenger.post(channel, &outgoing.message, &key).await,
            },
        };
        let outcome = self.record(&delivery, result).await?;
        match (&outcome, &outgoing.to, &outgoing.then) {
            (Outcome::Unreachable, Address::Member { member_id, .. }, _) => {
                self.store
                    .mark_unreachable(*member_id, now.timestamp())
                    .await?;
            }
            (Outcome::Sent, _, Some(then)) => {
                self.store.plan_delivery(then).await?;
            }
            _ => {}
        }
        Ok(outcome)
    }

    /// Records what the platform said about one send.
    async fn record(
        &self,
        delivery: &Delivery,
        result: Result<MessageId, SendError>,
    ) -> anyhow::Result<Outcome> {
        let now = self.clock.now().timestamp();
        let owner = &self.owner;
        let finished = match &result {
            Ok(message_id) => Finished::Sent { message_id },
            Err(SendError::Unreachable(why)) => Finished::Unreachable { error: why },
            Err(SendError::RateLimited(wait)) => {
                let not_before = now + policy::rate_limit_seconds(*wait);
                self.store.postpone(delivery.id, owner, not_before).await?;
                return Ok(Outcome::Retried);
            }
            Err(SendError::Transient(why)) if delivery.attempts < self.settings.max_attempts => {
                let not_before = now + policy::backoff_seconds(delivery.attempts);
                self.store
                    .retry_later(delivery.id, owner, not_before, why)
                    .await?;
                return Ok(Outcome::Retried);
            }
            Err(error) => {
                let why = format!("gave up after {} attempts: {error}", delivery.attempts);
                return self.fail(delivery, &why).await;
            }
        };
        self.store
            .finish_delivery(delivery.id, owner, &finished, now)
            .await?;
        Ok(match finished {
            Finished::Unreachable { .. } => Outcome::Unreachable,
            _ => Outcome::Sent,
        })
    }

    async fn skip(&self, delivery: &Delivery, why: Skip) -> anyhow::Result<Outcome> {
        let why = why.to_string();
        self.finish(delivery, &Finished::Skipped { why: &why })
            .await?;
        Ok(Outcome::Skipped)
    }

    async fn fail(&self, delivery: &Delivery, error: &str) -> anyhow::Result<Outcome> {
        self.finish(delivery, &Finished::Failed { error }).await?;
        Ok(Outcome::Failed)
    }

    async fn finish(&self, delivery: &Delivery, finished: &Finished<'_>) -> anyhow::Result<()> {
        let now = self.clock.now().timestamp();
        self.store
            .finish_delivery(delivery.id, &self.owner, finished, now)
            .await
    }
}

/// A key unique to the row, at most 25 characters (Discord's nonce limit).
fn delivery_key(delivery: &Delivery) -> String {
    format!("mb{}-{}", delivery.id, delivery.due_at)
}
