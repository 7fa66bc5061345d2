//! Benchmark of the team features on a seeded database: a challenge digest for 1,000
//! participants with 5,000 check-ins, and the leader's view of a 1,000-member team with
//! 100,000 reflections. Prints p50/p99. Run with `cargo bench --bench team`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mentorbot::clock::ManualClock;
use mentorbot::content::{Library, Mode};
use mentorbot::mentor::{Command, MemberRef, Mentor, TeamCommand};
use mentorbot::platform::Platform;
use mentorbot::store::{Durability, ModeSource, NewChallenge, NewReflection, Store};

const MEMBERS: i64 = 1_000;
const ENTRIES_EACH: i64 = 100;
const CHECK_INS_EACH: i64 = 5;
const WORKSPACE: &str = "T0BENCH";

fn percentiles(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let at = |p: f64| samples[((samples.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(at(0.5)), ms(at(0.99)))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(dir.path().join("team.db").to_str().expect("utf-8")).await?;
    let now = chrono::Utc::now();
    let start = now.timestamp() - 12 * 7 * 24 * 3600;
    let challenge = store
        .create_challenge(
            &NewChallenge {
                platform: Platform::Slack,
                workspace: WORKSPACE,
                channel: "C0BENCH",
                library_id: Some("pre-mortem"),
                title: "Run a pre-mortem",
                goal: "g",
                check_in: "c",
                done_when: "d",
                starts_at: start,
                ends_at: now.timestamp(),
            },
            start,
        )
        .await?;
    let seeding = Instant::now();
    for i in 0..MEMBERS {
        let member = store
            .ensure_member(
                Platform::Slack,
                WORKSPACE,
                &format!("U{i:06}"),
                &format!("member {i}"),
                start,
            )
            .await?;
        store
            .seen_in_team(
                member.id,
                Platform::Slack,
                WORKSPACE,
                start,
                Durability::Synced,
            )
            .await?;
        let texts: Vec<String> = (0..ENTRIES_EACH)
            .map(|n| format!("entry {n} of member {i}: what I tried this week and what I learned"))
            .collect();
        let entries: Vec<NewReflection> = texts
            .iter()
            .enumerate()
            .map(|(n, text)| NewReflection {
                prompt_id: None,
                text,
                mode: if n % 3 == 0 {
                    Mode::Management
                } else {
                    Mode::Leadership
                },
                mode_source: ModeSource::Stated,
                created_at: start + (n as i64) * 12 * 3600 + i,
            })
            .collect();
        store.add_reflections(member.id, &entries).await?;
        store.join_challenge(challenge.id, member.id, start).await?;
        let mine = store.all_reflections(member.id).await?;
        for reflection in mine.iter().take(CHECK_INS_EACH as usize) {
            store
                .add_check_in(
                    challenge.id,
                    member.id,
                    reflection.id,
                    reflection.number % 2 == 0,
                    start,
                )
                .await?;
        }
        if i % 3 == 0 {
            store
                .complete_challenge(challenge.id, member.id, start)
                .await?;
        }
    }
    println!(
        "seeded {MEMBERS} members, {} reflections, {} check-ins in {:.1} s",
        MEMBERS * ENTRIES_EACH,
        MEMBERS * CHECK_INS_EACH,
        seeding.elapsed().as_secs_f64()
    );

    let clock = Arc::new(ManualClock::new(now));
    let mentor = Mentor::new(store.clone(), Arc::new(Library::shipped()?), clock);
    let mut digests = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        let reply = mentor.challenge_digest(&challenge).await?;
        digests.push(started.elapsed());
        assert!(reply.text.contains("1000 joined"));
    }
    let leader = MemberRef::new(Platform::Slack, WORKSPACE, "U000000", "member 0");
    let mut views = Vec::new();
    for _ in 0..200 {
        let started = Instant::now();
        let command = Command::Team(TeamCommand::View {
            workspace: WORKSPACE.to_string(),
        });
        let reply = mentor.handle(&leader, command).await?;
        views.push(started.elapsed());
        assert!(reply.fields.len() >= 4);
    }
    let (digest_p50, digest_p99) = percentiles(digests);
    let (view_p50, view_p99) = percentiles(views);
    println!("| team features | p50 | p99 | target |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| challenge digest, 1,000 participants, 5,000 check-ins | {digest_p50:.2} ms | {digest_p99:.2} ms | < 50 ms |"
    );
    println!(
        "| leader's view, 1,000 members, 100,000 reflections | {view_p50:.2} ms | {view_p99:.2} ms | p99 < 20 ms |"
    );
    Ok(())
}
