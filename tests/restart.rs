//! The real binary, killed with SIGKILL in the middle of a nudge fan-out and started again:
//! every member gets exactly one nudge.

mod support;

use std::time::Duration;

use support::fake_discord::FakeDiscord;
use support::{count_rows, plan_due_nudges, start_discord_bot, wait_until};

const MEMBERS: u64 = 120;

fn start_bot(fake: &FakeDiscord, db: &std::path::Path) -> tokio::process::Child {
    // Two requests a nudge (the DM channel, then the message): about 15 nudges a second.
    let db = db.to_str().expect("utf-8");
    start_discord_bot(fake, db, &[("MENTORBOT_SEND_RATE", "30")])
}

#[tokio::test]
async fn a_fan_out_killed_midway_delivers_every_nudge_exactly_once() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("bot.db");
    plan_due_nudges(db.to_str().expect("utf-8"), MEMBERS).await;

    let mut first = start_bot(&fake, &db);
    wait_until(
        "the fan-out to start",
        Duration::from_secs(30),
        async || fake.created().len() >= 30,
    )
    .await;
    first.start_kill().expect("SIGKILL");
    first.wait().await.expect("the first process is gone");
    let before_restart = fake.created().len();
    assert!(
        before_restart < MEMBERS as usize,
        "killed in the middle ({before_restart} sent)"
    );

    let mut second = start_bot(&fake, &db);
    let sent = "SELECT COUNT(*) FROM deliveries WHERE kind = 'nudge' AND status = 'sent'";
    wait_until(
        "every nudge to be marked sent",
        Duration::from_secs(60),
        async || count_rows(&db, sent).await == MEMBERS as i64,
    )
    .await;
    second.start_kill().expect("stopped");
    let _ = second.wait().await;

    let created = fake.created();
    let recipients: std::collections::HashSet<_> =
        created.iter().filter_map(|c| c.recipient.clone()).collect();
    assert_eq!(recipients.len(), MEMBERS as usize, "everyone got one");
    assert_eq!(created.len(), MEMBERS as usize, "nobody got two");
    assert_eq!(
        count_rows(
            &db,
            "SELECT COUNT(*) FROM deliveries WHERE status = 'failed'"
        )
        .await,
        0
    );
}
