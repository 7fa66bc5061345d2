//! Benchmark of the Slack front end against the fake Slack on loopback. First the release
//! binary, with Slack (Socket Mode) and Discord both connected, answers 1,000 slash commands
//! one after another: p50/p99 from the envelope sent to the `response_url` answer received, and
//! the bot's resident memory after connecting and after the run. Then 5,000 due nudges go to
//! 5,000 DMs through the fake's limits (a workspace-wide limit of R calls per second and one
//! message per second per channel, 429 with `Retry-After` beyond them): the time taken divided
//! by the bound those limits allow, and how many were lost or duplicated.
//! Run with `cargo bench --bench slack`.

#[path = "../tests/support/fake_discord.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the fake")]
mod fake_discord;
#[path = "../tests/support/fake_slack.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the fake")]
mod fake_slack;

mod support;
use support::resident_mib;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_slack::FakeSlack;
use mentorbot::clock::ManualClock;
use mentorbot::config::Secret;
use mentorbot::content::Library;
use mentorbot::frontends::slack::{self, Settings, Transport};
use mentorbot::mentor::Mentor;
use mentorbot::platform::Platform;
use mentorbot::schedule::runner::{Scheduler, SchedulerSettings};
use mentorbot::store::{DeliveryKind, PlannedDelivery, Recipient, Store};

const COMMANDS: usize = 1_000;
const NUDGES: usize = 5_000;
const LIMIT_PER_SECOND: usize = 250;
const SEND_RATE: f64 = LIMIT_PER_SECOND as f64 * 0.95;
const WAIT: Duration = Duration::from_secs(20);

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    commands().await;
    fan_out().await
}

async fn commands() {
    let slack = FakeSlack::start().await;
    let discord = fake_discord::FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut child = tokio::process::Command::new(support::mentorbot_binary())
        .env("DATABASE_URL", dir.path().join("bench.db"))
        .env("SLACK_BOT_TOKEN", fake_slack::BOT_TOKEN)
        .env("SLACK_APP_TOKEN", fake_slack::APP_TOKEN)
        .env("SLACK_API_BASE", &slack.base)
        .env("DISCORD_TOKEN", "bench-token")
        .env("DISCORD_API_BASE", &discord.base)
        .env_remove("DISCORD_GUILD_ID")
        .env_remove("SLACK_SIGNING_SECRET")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("mentorbot starts");
    let pid = child.id().expect("a pid");
    discord
        .wait_for("registration", WAIT, |r| r.method == "PUT")
        .await;
    slack.wait_socket(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let connected = resident_mib(pid);

    let mut latencies = Vec::with_capacity(COMMANDS);
    for i in 0..COMMANDS {
        let user = format!("U0BENCH{:04}", i % 50);
        let (command, text) = match i % 5 {
            0 => (
                "/reflect",
                format!("leadership: ran a pre-mortem, entry {i}"),
            ),
            1 => ("/tip", "storytelling".to_string()),
            2 => ("/mentor", "log".to_string()),
            3 => ("/mentor", "stage".to_string()),
            _ => (
                "/mentor",
                "hat pitching the vision to the exec team".to_string(),
            ),
        };
        let sent = Instant::now();
        let (url, _) = slack.slash(&user, "C0BENCH001", command, &text);
        let id = url.rsplit('/').next().unwrap_or_default().to_string();
        let answered = slack
            .wait_for(&url, WAIT, |r| {
                r.method == "respond" && r.params["response_url_id"] == id.as_str()
            })
            .await;
        latencies.push(answered.at.duration_since(sent));
    }
    let after = resident_mib(pid);
    child.start_kill().expect("stopped");
    let _ = child.wait().await;

    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    println!("| Slack, {COMMANDS} slash commands over Socket Mode | p50 | p99 |");
    println!("| --- | --- | --- |");
    println!(
        "| envelope sent to response_url answer received | {} | {} |",
        ms(at(0.5)),
        ms(at(0.99))
    );
    println!();
    println!("| resident memory, Slack and Discord both connected | MiB |");
    println!("| --- | --- |");
    println!("| after connecting | {connected:.1} |");
    println!("| after {COMMANDS} commands | {after:.1} |");
    println!();
}

async fn fan_out() -> anyhow::Result<()> {
    let fake = FakeSlack::start().await;
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path().join("fanout.db").to_str().expect("utf-8")).await?;
    let now = chrono::Utc::now();
    for i in 0..NUDGES {
        let user = format!("U0FAN{i:05}");
        let member = store
            .ensure_member(
                Platform::Slack,
                fake_slack::TEAM,
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
    let settings = Settings {
        bot_token: Secret::new(fake_slack::BOT_TOKEN),
        transport: Transport::Http {
            signing_secret: Secret::new(fake_slack::SIGNING_SECRET),
        },
        api_base: fake.base.clone(),
    };
    let connection = slack::connect(settings, mentor.clone()).await?;
    fake.limit_rate(LIMIT_PER_SECOND);
    // Paced a little under the limit, as an operator sets MENTORBOT_SLACK_SEND_RATE under
    // Slack's: Slack's Retry-After counts whole seconds, so each 429 holds every send for one.
    let messenger = Arc::new(connection.messenger(SEND_RATE));
    let settings = SchedulerSettings {
        batch: 100,
        concurrency: 8,
        ..SchedulerSettings::default()
    };
    let scheduler = Scheduler::new(mentor, clock, "bench".into(), settings)
        .with_messenger(Platform::Slack, messenger);

    let started = Instant::now();
    let pass = scheduler.dispatch().await?;
    let elapsed = started.elapsed();

    let mut per_channel: HashMap<String, usize> = HashMap::new();
    for message in fake.posted() {
        *per_channel.entry(message.channel).or_default() += 1;
    }
    let lost = NUDGES - per_channel.len();
    let duplicated: usize = per_channel.values().map(|n| n.saturating_sub(1)).sum();
    // Each nudge needs two calls: conversations.open for the DM, then chat.postMessage.
    let needed = 2 * NUDGES;
    let bound = needed as f64 / LIMIT_PER_SECOND as f64;
    println!(
        "| fan-out of {NUDGES} nudges to {NUDGES} DMs, workspace limit R = {LIMIT_PER_SECOND}/s | measured |"
    );
    println!("| --- | --- |");
    println!("| calls needed | {needed} |");
    println!("| mentorbot's pace | {SEND_RATE:.0}/s |");
    println!("| time taken | {:.1} s |", elapsed.as_secs_f64());
    println!("| bound (calls needed ÷ R) | {bound:.1} s |");
    println!("| time ÷ bound | {:.3} |", elapsed.as_secs_f64() / bound);
    println!("| 429s received | {} |", fake.rate_limited());
    println!("| lost / duplicated | {lost} / {duplicated} |");
    println!("| scheduler pass | {pass:?} |");
    Ok(())
}
