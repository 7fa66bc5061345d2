//! Benchmark of the Discord front end: the release binary connected to the fake Discord on
//! loopback answers 1,000 interactions one after another. Prints p50/p99 from
//! INTERACTION_CREATE sent to the callback received, and the bot's resident memory after
//! connecting and after the run. Run with `cargo bench --bench discord`.

#[path = "../tests/support/fake_discord.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the fake")]
mod fake_discord;

mod support;
use support::resident_mib;

use std::time::{Duration, Instant};

use fake_discord::FakeDiscord;
use serde_json::json;

const INTERACTIONS: usize = 1_000;
const WAIT: Duration = Duration::from_secs(20);

#[tokio::main]
async fn main() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut child = tokio::process::Command::new(support::mentorbot_binary())
        .env("DATABASE_URL", dir.path().join("bench.db"))
        .env("DISCORD_TOKEN", "bench-token")
        .env("DISCORD_API_BASE", &fake.base)
        .env_remove("DISCORD_GUILD_ID")
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("mentorbot starts");
    let pid = child.id().expect("a pid");
    fake.wait_for("registration", WAIT, |r| r.method == "PUT")
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let connected = resident_mib(pid);

    let mut latencies = Vec::with_capacity(INTERACTIONS);
    for i in 0..INTERACTIONS {
        let user = fake_discord::user(400_000_000_000_000_000 + (i % 50) as u64, "member");
        let (name, options) = match i % 5 {
            0 => (
                "reflect",
                json!([{"name": "text", "type": 3, "value": format!("Ran a pre-mortem, entry {i}")}]),
            ),
            1 => (
                "tip",
                json!([{"name": "topic", "type": 3, "value": "storytelling"}]),
            ),
            2 => ("log", json!([])),
            3 => ("balance", json!([])),
            _ => (
                "hat",
                json!([{"name": "situation", "type": 3, "value": "pitching the vision to the exec team"}]),
            ),
        };
        let id = fake.id();
        let mut interaction = fake_discord::interaction_base(id, 2, &user, false);
        interaction["data"] = json!({"id": "1", "name": name, "type": 1, "options": options});
        let path = format!("/api/v10/interactions/{id}/token-{id}/callback");
        let sent = Instant::now();
        fake.dispatch("INTERACTION_CREATE", interaction);
        let answered = fake.wait_for(&path, WAIT, |r| r.path == path).await;
        latencies.push(answered.at.duration_since(sent));
    }
    let after = resident_mib(pid);
    child.start_kill().expect("stopped");
    let _ = child.wait().await;

    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    println!("| Discord, {INTERACTIONS} interactions through the fake | p50 | p99 |");
    println!("| --- | --- | --- |");
    println!(
        "| INTERACTION_CREATE sent to callback received | {} | {} |",
        ms(at(0.5)),
        ms(at(0.99))
    );
    println!();
    println!("| resident memory of the bot | MiB |");
    println!("| --- | --- |");
    println!("| after connecting | {connected:.1} |");
    println!("| after {INTERACTIONS} interactions | {after:.1} |");
}
