//! SQLite's group commit: many reflections at once share transactions, yet each is answered
//! only after its own commit, and one failing write leaves the others in its group committed.
//! A tip shown is committed before its answer but not synced: it still survives a kill.

mod support;

use std::time::Duration;

use mentorbot::content::Mode;
use mentorbot::platform::Platform;
use mentorbot::store::{ModeSource, NewReflection, is_about_a_forgotten_member};
use serde_json::json;
use support::fake_discord::{self, FakeDiscord};
use support::{TestDb, count_rows, start_discord_bot};

const BURST: u64 = 150;

/// The real binary on `db`, once it has registered its commands for the `nth` time with `fake`.
async fn bot_ready(fake: &FakeDiscord, db: &std::path::Path, nth: usize) -> tokio::process::Child {
    let bot = start_discord_bot(fake, db.to_str().expect("utf-8"), &[]);
    fake.wait_until("command registration", Duration::from_secs(30), |log| {
        log.iter().filter(|r| r.method == "PUT").count() == nth
    })
    .await;
    bot
}

/// Sends `/…` with `data` from `user`; returns the path its answer is posted to.
fn slash(fake: &FakeDiscord, user: &serde_json::Value, data: serde_json::Value) -> String {
    let id = fake.id();
    let mut interaction = fake_discord::interaction_base(id, 2, user, false);
    interaction["data"] = data;
    fake.dispatch("INTERACTION_CREATE", interaction);
    format!("/api/v10/interactions/{id}/token-{id}/callback")
}

fn tip() -> serde_json::Value {
    json!({"id": "2", "name": "tip", "type": 1})
}

#[tokio::test]
async fn a_burst_of_reflections_is_all_on_disk_once_answered_even_after_sigkill() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("bot.db");
    let mut bot = bot_ready(&fake, &db, 1).await;

    let mut callbacks = std::collections::HashSet::new();
    for member in 0..BURST {
        let user = fake_discord::user(500_000_000_000_000_000 + member, "member");
        let data = json!({"id": "1", "name": "reflect", "type": 1, "options": [
            {"name": "text", "type": 3, "value": format!("Wrote the strategy memo, draft {member}")}
        ]});
        callbacks.insert(slash(&fake, &user, data));
    }
    fake.wait_until(
        "every reflection answered",
        Duration::from_secs(60),
        |log| log.iter().filter(|r| callbacks.contains(&r.path)).count() == BURST as usize,
    )
    .await;
    // No grace period: the process dies the moment the last answer arrives.
    bot.start_kill().expect("SIGKILL");
    bot.wait().await.expect("the process is gone");

    let answers: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| callbacks.contains(&r.path))
        .collect();
    assert!(
        answers
            .iter()
            .all(|r| r.body.to_string().contains("Saved as entry #1")),
        "every member was told their entry was saved"
    );
    assert_eq!(
        count_rows(&db, "SELECT COUNT(*) FROM reflections").await,
        BURST as i64,
        "every acknowledged reflection survived the kill"
    );
    assert_eq!(
        count_rows(&db, "SELECT COUNT(DISTINCT member_id) FROM reflections").await,
        BURST as i64,
        "one each"
    );
    assert_eq!(
        count_rows(&db, "SELECT COUNT(*) FROM nudge_settings").await,
        BURST as i64,
        "each new member's settings were written too"
    );
}

#[tokio::test]
async fn tips_shown_between_reflections_survive_sigkill_as_every_reflection_does() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let db = dir.path().join("bot.db");
    let mut bot = bot_ready(&fake, &db, 1).await;

    // Each member asks for a tip and writes an entry at once, so tip views (committed, synced
    // later) and reflections (synced before the answer) share groups and follow each other.
    let mut callbacks = std::collections::HashSet::new();
    for member in 0..BURST / 3 {
        let user = fake_discord::user(600_000_000_000_000_000 + member, "member");
        callbacks.insert(slash(&fake, &user, tip()));
        let data = json!({"id": "1", "name": "reflect", "type": 1, "options": [
            {"name": "text", "type": 3, "value": format!("Framed the roadmap debate, {member}")}
        ]});
        callbacks.insert(slash(&fake, &user, data));
    }
    fake.wait_until(
        "every tip and reflection answered",
        Duration::from_secs(60),
        |log| log.iter().filter(|r| callbacks.contains(&r.path)).count() == callbacks.len(),
    )
    .await;
    bot.start_kill().expect("SIGKILL");
    bot.wait().await.expect("the process is gone");

    let members = (BURST / 3) as i64;
    assert_eq!(
        count_rows(&db, "SELECT COUNT(*) FROM reflections").await,
        members,
        "every acknowledged reflection survived the kill"
    );
    assert_eq!(
        count_rows(&db, "SELECT COUNT(DISTINCT member_id) FROM tip_views").await,
        members,
        "every tip shown was remembered: committed before the answer, kept by the kill"
    );

    // After a restart on the same file, a member's next tip is a different one.
    let mut bot = bot_ready(&fake, &db, 2).await;
    let user = fake_discord::user(600_000_000_000_000_000, "member");
    let path = slash(&fake, &user, tip());
    fake.wait_for("the second tip", Duration::from_secs(30), |r| {
        r.path == path
    })
    .await;
    bot.start_kill().expect("SIGKILL");
    bot.wait().await.expect("the process is gone");
    assert_eq!(
        count_rows(
            &db,
            "SELECT COUNT(*) FROM tip_views WHERE member_id = (SELECT id FROM members WHERE user_id = '600000000000000000')"
        )
        .await,
        2,
        "the second tip was not the first one again"
    );
}

#[tokio::test]
async fn a_write_that_fails_in_a_group_leaves_the_rest_of_the_group_committed() {
    let db = TestDb::new();
    let store = db.open().await;
    let mut members = Vec::new();
    for i in 0..40 {
        let user = format!("member-{i}");
        let member = store
            .ensure_member(Platform::Terminal, "local", &user, &user, 1_700_000_000)
            .await
            .expect("a member");
        members.push(member.id);
    }
    // Twenty writes for a member who does not exist, mixed in with forty good ones, all at once.
    let writes = (0..60).map(|i| {
        let store = store.clone();
        let member_id = match i % 3 {
            2 => 999_999,
            _ => members[i / 3 * 2 + i % 3],
        };
        tokio::spawn(async move {
            let text = format!("Coached a new PM through their first launch, note {i}");
            store
                .add_reflection(
                    member_id,
                    &NewReflection {
                        prompt_id: None,
                        text: &text,
                        mode: Mode::Leadership,
                        mode_source: ModeSource::Stated,
                        created_at: 1_700_000_000 + i as i64,
                    },
                )
                .await
        })
    });
    let mut saved = 0;
    let mut refused = 0;
    for write in futures_util::future::join_all(writes).await {
        match write.expect("the write task") {
            Ok(reflection) => {
                assert_eq!(reflection.number, 1, "each member's first entry");
                saved += 1;
            }
            Err(error) => {
                assert!(
                    is_about_a_forgotten_member(&error),
                    "refused as a missing member: {error:#}"
                );
                refused += 1;
            }
        }
    }
    assert_eq!((saved, refused), (40, 20));
    store.close().await;
    assert_eq!(
        count_rows(&db, "SELECT COUNT(*) FROM reflections").await,
        40,
        "the good writes were committed, the bad ones left nothing"
    );
}
