//! Benchmark of the nudge fan-out past one machine: 5,000 due nudges on PostgreSQL, sent by 1
//! and by 3 real mentorbot processes (each holding one shard of 3, the bot's send budget split
//! by shard) through the fake Discord, which enforces a global limit of R requests per second
//! across the bot. Prints time ÷ bound (requests needed ÷ R), lost and duplicated nudges, and
//! the 429s the fake had to answer. Run with `cargo bench --bench scale`.

#[path = "../tests/support/fake_discord.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the fake")]
mod fake_discord;
#[path = "../tests/support/postgres.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the test cluster")]
mod postgres;
#[allow(dead_code, reason = "the benchmark uses part of the helpers")]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use mentorbot::platform::Platform;
use mentorbot::store::{DeliveryKind, PlannedDelivery, Recipient, Store};

const NUDGES: usize = 5_000;
const LIMIT_PER_SECOND: usize = 250;
/// The bot's budget: 95% of the limit. Discord answers a request over it with a 429 and a
/// pause; at 97% the pacers' catching up after a slow claim still met the limit (2 429s with
/// one process, 9 with three), at 95% never.
const BUDGET: f64 = LIMIT_PER_SECOND as f64 * 0.95;
/// Opening the DM channel, then the message.
const REQUESTS_PER_NUDGE: usize = 2;

async fn seed(database: &str) -> anyhow::Result<()> {
    let store = Store::open(database).await?;
    let now = chrono::Utc::now().timestamp();
    for i in 0..NUDGES {
        let user = (800_000_000_000_000_000u64 + i as u64).to_string();
        let member = store
            .ensure_member(Platform::Discord, "global", &user, "member", now)
            .await?;
        store.ensure_nudge_settings(member.id, now).await?;
        let nudge = PlannedDelivery {
            kind: DeliveryKind::Nudge,
            recipient: Recipient::Member(member.id),
            due_at: now - 60,
        };
        store.plan_delivery(&nudge).await?;
    }
    store.close().await;
    Ok(())
}

async fn sent(database: &str) -> anyhow::Result<i64> {
    let pool = sqlx::PgPool::connect(database).await?;
    let count = sqlx::query_scalar(
        "SELECT COUNT(*) FROM deliveries WHERE kind = 'nudge' AND status = 'sent'",
    )
    .fetch_one(&pool)
    .await?;
    pool.close().await;
    Ok(count)
}

/// One run with `processes` processes; returns its row for the table.
async fn run(processes: u32) -> anyhow::Result<String> {
    let database = postgres::fresh_database("scale benchmark");
    seed(&database).await?;
    let fake = fake_discord::FakeDiscord::start().await;
    fake.limit_rate(LIMIT_PER_SECOND);
    let started = Instant::now();
    let mut children = Vec::new();
    for shard in 0..processes {
        let mut command = tokio::process::Command::new(support::mentorbot_binary());
        command
            .env("DATABASE_URL", &database)
            .env("DISCORD_TOKEN", "bench-token")
            .env("DISCORD_API_BASE", &fake.base)
            .env("MENTORBOT_SEND_RATE", BUDGET.to_string())
            .env("RUST_LOG", "off")
            .env_remove("DISCORD_GUILD_ID")
            .env_remove("SLACK_BOT_TOKEN")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .kill_on_drop(true);
        if processes > 1 {
            command.env("DISCORD_SHARDS", format!("{shard}-{shard}/{processes}"));
        }
        children.push(command.spawn()?);
    }
    while sent(&database).await? < NUDGES as i64 {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the fan-out did not finish"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed();
    for child in &mut children {
        child.start_kill()?;
        child.wait().await?;
    }

    let mut per_member: HashMap<String, usize> = HashMap::new();
    for message in fake.created() {
        *per_member
            .entry(message.recipient.clone().unwrap_or_default())
            .or_default() += 1;
    }
    // The fan-out itself: from the first DM channel opened to the last message sent. (From
    // the processes' start it also holds their start-up and the scheduler's first tick.)
    let requests = fake.requests();
    let first = requests
        .iter()
        .find(|r| r.path.ends_with("/users/@me/channels"))
        .map(|r| r.at);
    let last = requests
        .iter()
        .filter(|r| r.path.ends_with("/messages") && r.status == 200)
        .map(|r| r.at)
        .max();
    let fan_out = match (first, last) {
        (Some(first), Some(last)) => last.duration_since(first).as_secs_f64(),
        _ => anyhow::bail!("no nudge was sent"),
    };
    let lost = NUDGES - per_member.len();
    let duplicated: usize = per_member.values().map(|n| n - 1).sum();
    let bound = (NUDGES * REQUESTS_PER_NUDGE) as f64 / LIMIT_PER_SECOND as f64;
    let seconds = elapsed.as_secs_f64();
    Ok(format!(
        "| {processes} | {fan_out:.1} s | {bound:.1} s | {:.3} | {seconds:.1} s ({:.3}) | {lost} | {duplicated} | {} |",
        fan_out / bound,
        seconds / bound,
        fake.rate_limited()
    ))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for processes in [1, 3] {
        rows.push(run(processes).await?);
        eprintln!("{}", rows.last().expect("a row"));
    }
    println!("{NUDGES} nudges, fake global limit {LIMIT_PER_SECOND}/s, bot budget {BUDGET}/s");
    println!(
        "| processes | fan-out (first DM channel to last message) | bound | time ÷ bound | from start to all marked sent (÷ bound) | lost | duplicated | 429s |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for row in rows {
        println!("{row}");
    }
    Ok(())
}
