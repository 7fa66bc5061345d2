//! Benchmark of the coach against the fake OpenAI-compatible server with a fixed delay:
//! `/reflect` with no model configured, with a model but the member not opted in, and with the
//! coach on (the saved reply only); the follow-up's time beyond the model's own; and the
//! release binary's resident memory after 300 reflections with the coach off and on.
//! Run with `cargo bench --bench coach`.

#[path = "../tests/support/fake_model.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the fake")]
mod fake_model;
mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use fake_model::{FakeModel, Scripted, typical_answer};
use mentorbot::clock::ManualClock;
use mentorbot::coach::{Coach, Settings};
use mentorbot::content::Library;
use mentorbot::mentor::{CoachCommand, Command, MemberRef, Mentor};
use mentorbot::platform::Platform;
use mentorbot::store::Store;

const SAMPLES: usize = 2_000;
const FOLLOW_UPS: usize = 200;
const MODEL_DELAY: Duration = Duration::from_millis(50);
const TEXT: &str = "The vendor integration could slip and nobody owns it end to end";

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1000.0)
}

fn member(i: usize) -> MemberRef {
    MemberRef::new(
        Platform::Terminal,
        "team",
        &format!("m{i}"),
        &format!("M {i}"),
    )
}

async fn mentor(db: &str, coach: Option<&FakeModel>) -> anyhow::Result<Mentor> {
    let store = Store::open(db).await?;
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 18, 10, 0, 0)
            .single()
            .expect("a time"),
    ));
    let mentor = Mentor::new(store, Arc::new(Library::shipped()?), clock);
    let Some(fake) = coach else {
        return Ok(mentor);
    };
    let coach = Coach::new(Settings {
        url: fake.url.clone(),
        model: "coach-model".into(),
        api_key: None,
        timeout: Duration::from_secs(20),
        allow_remote: false,
        max_in_flight: 4,
    })
    .await?;
    Ok(mentor.with_coach(coach, 100_000))
}

/// p50 and p99 of the saved reply to `/reflect` from 100 members taking turns.
async fn reflect_times(mentor: &Mentor) -> (Duration, Duration) {
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let command = Command::Reflect {
            text: Some(TEXT.into()),
            mode: None,
        };
        let started = Instant::now();
        let reply = mentor
            .handle(&member(i % 100), command)
            .await
            .expect("saved");
        samples.push(started.elapsed());
        assert!(reply.title.starts_with("Saved as entry"));
    }
    (
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.99),
    )
}

/// The release binary in terminal mode: 300 reflections, then its resident memory.
fn resident_after_reflections(db: &str, coach_url: Option<&str>) -> f64 {
    let mut command = Process::new(support::mentorbot_binary());
    command
        .env("DATABASE_URL", db)
        .env_remove("RUST_LOG")
        .args(["--as", "bench"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = coach_url {
        command
            .env("MENTORBOT_COACH_URL", url)
            .env("MENTORBOT_COACH_MODEL", "coach-model")
            .env("MENTORBOT_COACH_DAILY_CALLS", "10000");
    }
    let mut child = command.spawn().expect("mentorbot starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut script = String::from("/coach on\n");
    for n in 0..300 {
        script.push_str(&format!("/reflect {TEXT}, take {n}\n"));
    }
    script.push_str("/help\n");
    stdin
        .write_all(script.as_bytes())
        .expect("commands written");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let done = lines.any(|line| line.is_ok_and(|l| l.starts_with("What I can do")));
    assert!(done, "the session answered every command");
    let resident = support::resident_mib(child.id());
    drop(stdin);
    child.wait().expect("mentorbot exits");
    resident
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = |name: &str| dir.path().join(name).to_str().expect("utf-8").to_string();
    let fake = FakeModel::start(|seen| {
        Scripted::Slow(
            MODEL_DELAY,
            Box::new(Scripted::Stream(typical_answer(&seen.user_message()))),
        )
    })
    .await;

    let plain = mentor(&path("plain.db"), None).await?;
    let (p50, p99) = reflect_times(&plain).await;
    println!(
        "reflect, no model configured: p50 {} p99 {}",
        ms(p50),
        ms(p99)
    );

    let offered = mentor(&path("offered.db"), Some(&fake)).await?;
    let (p50, p99) = reflect_times(&offered).await;
    println!(
        "reflect, model configured, member not opted in: p50 {} p99 {}",
        ms(p50),
        ms(p99)
    );

    let coached = mentor(&path("coached.db"), Some(&fake)).await?;
    for i in 0..100 {
        coached
            .handle(&member(i), Command::Coach(CoachCommand::On))
            .await?;
    }
    let (p50, p99) = reflect_times(&coached).await;
    println!(
        "reflect with the coach on, saved reply: p50 {} p99 {}",
        ms(p50),
        ms(p99)
    );

    let mut beyond_model = Vec::with_capacity(FOLLOW_UPS);
    for i in 0..FOLLOW_UPS {
        let who = member(i % 100);
        let command = Command::Reflect {
            text: Some(TEXT.into()),
            mode: None,
        };
        let mut saved = coached.handle(&who, command).await?;
        let later = saved.later.take().expect("a follow-up is due");
        let started = Instant::now();
        let follow_up = coached.later(&who, later).await?.expect("a follow-up");
        beyond_model.push(started.elapsed().saturating_sub(MODEL_DELAY));
        assert!(follow_up.title.contains("coach"), "{}", follow_up.title);
    }
    let (p50, p99) = (
        percentile(&mut beyond_model, 0.5),
        percentile(&mut beyond_model, 0.99),
    );
    println!(
        "follow-up beyond the model's {} ms: p50 {} p99 {}",
        MODEL_DELAY.as_millis(),
        ms(p50),
        ms(p99)
    );

    let quick =
        FakeModel::start(|seen| Scripted::Stream(typical_answer(&seen.user_message()))).await;
    let quick_url = quick.url.clone();
    let (off_db, on_db) = (path("rss-off.db"), path("rss-on.db"));
    let (off, on) = tokio::task::spawn_blocking(move || {
        (
            resident_after_reflections(&off_db, None),
            resident_after_reflections(&on_db, Some(&quick_url)),
        )
    })
    .await?;
    println!(
        "resident after 300 reflections: coach off {off:.1} MiB, on {on:.1} MiB ({:+.1} MiB)",
        on - off
    );
    Ok(())
}
