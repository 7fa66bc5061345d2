//! Two real mentorbot processes on one PostgreSQL and one fake Discord, holding shards
//! `0-0/2` and `1-1/2`: commands from guilds on either shard (and DMs, which reach shard 0) are
//! answered once, commands are registered once, and a week's nudges for 1,000 members go out
//! exactly once between them, even when one process is SIGKILLed in the middle of the fan-out.

mod support;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use serde_json::json;
use support::fake_discord::{self as fake, FakeDiscord, shard_of};
use support::{count_rows, plan_due_nudges, start_discord_bot, wait_until};

const MEMBERS: u64 = 1_000;
/// The fake's global limit, and the bot's whole budget: the processes split it by shard, 75
/// a second each. Were it not split, each would send 150 a second and meet the limit at once.
const LIMIT: usize = 200;
const BUDGET: f64 = 150.0;

fn start_bot(fake: &FakeDiscord, database: &str, shards: &str) -> tokio::process::Child {
    let budget = BUDGET.to_string();
    start_discord_bot(
        fake,
        database,
        &[("DISCORD_SHARDS", shards), ("MENTORBOT_SEND_RATE", &budget)],
    )
}

/// A guild whose events Discord sends to `shard` of 2.
fn guild_on_shard(shard: u64) -> u64 {
    (900_000_000_000_000_000..)
        .step_by(1 << 22)
        .find(|&id| shard_of(&json!({"guild_id": id.to_string()}), 2) == shard)
        .expect("a guild")
}

/// Sends `/help` from a guild (or a DM with `None`); returns the interaction's id.
fn slash_help(fake: &FakeDiscord, guild: Option<u64>) -> u64 {
    let id = fake.id();
    let mut interaction = fake::interaction_base(id, 2, &fake::user(41, "ana"), guild.is_none());
    if let Some(guild) = guild {
        interaction["guild_id"] = json!(guild.to_string());
    }
    interaction["data"] = json!({"id": fake.id().to_string(), "name": "help", "type": 1});
    let shard = fake.dispatch("INTERACTION_CREATE", interaction);
    assert!(shard.is_some(), "a process holds the shard for {guild:?}");
    id
}

fn callbacks(fake: &FakeDiscord, id: u64) -> usize {
    let path = format!("/api/v10/interactions/{id}/token-{id}/callback");
    fake.requests()
        .iter()
        .filter(|r| r.path == path && r.status == 204)
        .count()
}

#[tokio::test]
async fn two_sharded_processes_answer_every_guild_once_and_share_the_fan_out() {
    let database = support::postgres::fresh_database("sharded");
    plan_due_nudges(&database, MEMBERS).await;
    let fake = FakeDiscord::start().await;
    fake.limit_rate(LIMIT);
    let mut first = start_bot(&fake, &database, "0-0/2");
    let mut second = start_bot(&fake, &database, "1-1/2");
    wait_until(
        "both shards to identify",
        Duration::from_secs(30),
        async || {
            let shards: HashSet<[u64; 2]> = fake.identified_shards().into_iter().collect();
            shards == HashSet::from([[0, 2], [1, 2]])
        },
    )
    .await;

    let asked: Vec<u64> = [Some(guild_on_shard(0)), Some(guild_on_shard(1)), None]
        .into_iter()
        .map(|guild| slash_help(&fake, guild))
        .collect();
    wait_until(
        "every command answered",
        Duration::from_secs(30),
        async || asked.iter().all(|&id| callbacks(&fake, id) >= 1),
    )
    .await;

    let sent = "SELECT COUNT(*) FROM deliveries WHERE kind = 'nudge' AND status = 'sent'";
    wait_until(
        "the fan-out under way",
        Duration::from_secs(60),
        async || count_rows(&database, sent).await >= 300,
    )
    .await;
    let senders = count_rows(
        &database,
        "SELECT COUNT(DISTINCT lease_owner) FROM deliveries WHERE status = 'sent'",
    )
    .await;
    assert_eq!(senders, 2, "both processes take part in the fan-out");
    first.start_kill().expect("SIGKILL");
    first.wait().await.expect("the first process is gone");

    // The survivor takes over the killed process's leased rows once their lease runs out.
    wait_until("every nudge sent", Duration::from_secs(120), async || {
        count_rows(&database, sent).await == MEMBERS as i64
    })
    .await;
    second.start_kill().expect("stopped");
    let _ = second.wait().await;

    for id in &asked {
        assert_eq!(callbacks(&fake, *id), 1, "interaction {id} answered once");
    }
    let registrations = fake
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/commands"))
        .count();
    assert_eq!(registrations, 1, "only the process with shard 0 registers");

    let mut per_member: HashMap<String, usize> = HashMap::new();
    for message in fake.created() {
        if message.body["embeds"][0]["title"] == "Your weekly reflection" {
            *per_member
                .entry(message.recipient.clone().unwrap_or_default())
                .or_default() += 1;
        }
    }
    assert_eq!(per_member.len(), MEMBERS as usize, "everyone got a nudge");
    assert!(per_member.values().all(|&n| n == 1), "nobody got two");
    assert_eq!(
        count_rows(
            &database,
            "SELECT COUNT(*) FROM deliveries WHERE status IN ('failed', 'sending', 'unreachable')"
        )
        .await,
        0
    );
    let limited: Vec<String> = fake
        .requests()
        .iter()
        .filter(|r| r.status == 429)
        .take(5)
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let total = fake.requests().len();
    assert_eq!(
        fake.rate_limited(),
        0,
        "the bot stayed within its global limit: {limited:?} of {total}"
    );
}
