//! Benchmark of the nudge fan-out: 5,000 due nudges sent through the fake Discord, which
//! enforces a global limit of R requests per second (429 with retry_after beyond it). Prints
//! the time taken divided by the bound (requests needed ÷ R), and how many were lost or
//! duplicated. Run with `cargo bench --bench fanout`.

#[path = "../tests/support/fake_discord.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the fake")]
mod fake_discord;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use mentorbot::clock::ManualClock;
use mentorbot::content::Library;
use mentorbot::frontends::discord::messenger::DiscordMessenger;
use mentorbot::mentor::Mentor;
use mentorbot::platform::Platform;
use mentorbot::schedule::runner::{Scheduler, SchedulerSettings};
use mentorbot::store::{DeliveryKind, PlannedDelivery, Recipient, Store};
use poise::serenity_prelude::HttpBuilder;

const NUDGES: usize = 5_000;
const LIMIT_PER_SECOND: usize = 250;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let fake = fake_discord::FakeDiscord::start().await;
    fake.limit_rate(LIMIT_PER_SECOND);
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path().join("fanout.db").to_str().expect("utf-8")).await?;
    let now = chrono::Utc::now();
    for i in 0..NUDGES {
        let user = (800_000_000_000_000_000u64 + i as u64).to_string();
        let member = store
            .ensure_member(
                Platform::Discord,
                "global",
                &user,
                "member",
                now.timestamp(),
            )
            .await?;
        store
            .ensure_nudge_settings(member.id, now.timestamp())
            .await?;
        let nudge = PlannedDelivery {
            kind: DeliveryKind::Nudge,
            recipient: Recipient::Member(member.id),
            due_at: now.timestamp() - 60,
        };
        store.plan_delivery(&nudge).await?;
    }
    let clock = Arc::new(ManualClock::new(now));
    let mentor = Mentor::new(store.clone(), Arc::new(Library::shipped()?), clock.clone());
    let http = Arc::new(
        HttpBuilder::new("bench-token")
            .proxy(fake.base.clone())
            .ratelimiter_disabled(true)
            .build(),
    );
    let messenger = Arc::new(DiscordMessenger::new(http, LIMIT_PER_SECOND as f64));
    let settings = SchedulerSettings {
        batch: 100,
        concurrency: 8,
        ..SchedulerSettings::default()
    };
    let scheduler = Scheduler::new(mentor, clock, "bench".into(), settings)
        .with_messenger(Platform::Discord, messenger);

    let started = Instant::now();
    let pass = scheduler.dispatch().await?;
    let elapsed = started.elapsed();

    let created = fake.created();
    let mut per_member: HashMap<String, usize> = HashMap::new();
    for message in &created {
        *per_member
            .entry(message.recipient.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let lost = NUDGES - per_member.len();
    let duplicated: usize = per_member.values().map(|n| n.saturating_sub(1)).sum();
    // Each nudge needs two requests: open the DM channel, then send the message.
    let needed = 2 * NUDGES;
    let bound = needed as f64 / LIMIT_PER_SECOND as f64;
    println!("| fan-out of {NUDGES} nudges, global limit R = {LIMIT_PER_SECOND}/s | measured |");
    println!("| --- | --- |");
    println!("| requests needed | {needed} |");
    println!("| time taken | {:.1} s |", elapsed.as_secs_f64());
    println!("| bound (requests needed ÷ R) | {bound:.1} s |");
    println!("| time ÷ bound | {:.3} |", elapsed.as_secs_f64() / bound);
    println!("| 429s received | {} |", fake.rate_limited());
    println!("| lost / duplicated | {lost} / {duplicated} |");
    println!("| scheduler pass | {pass:?} |");
    Ok(())
}
