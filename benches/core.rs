//! Benchmark of the mentor core on a realistic database: 1,000 members with 100,000
//! reflections. Prints p50/p99 of reflect, log and balance in-process, the Markdown export of
//! a 10,000-entry log, and process start to ready. Run with `cargo bench --bench core`, and
//! with `cargo bench --bench core -- --postgres` on a throwaway PostgreSQL that flushes every
//! commit to disk (started from the distribution's binaries, as in the tests).

#[path = "../tests/support/postgres.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the test cluster")]
mod postgres;
#[allow(dead_code, reason = "the benchmark uses part of the helpers")]
mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command as Process, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use mentorbot::clock::ManualClock;
use mentorbot::content::Library;
use mentorbot::content::Mode;
use mentorbot::mentor::hat::Model;
use mentorbot::mentor::{Command, ExportFormat, MemberRef, Mentor};
use mentorbot::platform::Platform;
use mentorbot::store::{ModeSource, NewReflection, Store};

const MEMBERS: i64 = 1_000;
const ENTRIES_EACH: i64 = 100;
const SAMPLES: usize = 2_000;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn ms(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1000.0)
}

fn member(i: i64) -> MemberRef {
    MemberRef::new(
        Platform::Terminal,
        "team",
        &format!("member-{i}"),
        &format!("Member {i}"),
    )
}

async fn seed(store: &Store, now: i64) -> anyhow::Result<()> {
    let texts = [
        "Groomed the backlog with engineering and agreed acceptance criteria for the sprint",
        "Pitched the vision for the new onboarding flow to the exec team with a customer story",
    ];
    for i in 0..MEMBERS {
        let who = member(i);
        let row = store
            .ensure_member(who.platform, &who.workspace, &who.user, &who.name, now)
            .await?;
        let count = if i == 0 { 10_000 } else { ENTRIES_EACH };
        let entries: Vec<NewReflection> = (0..count)
            .map(|n| NewReflection {
                prompt_id: None,
                text: texts[(n % 2) as usize],
                mode: if n % 3 == 0 {
                    Mode::Leadership
                } else {
                    Mode::Management
                },
                mode_source: ModeSource::Suggested,
                created_at: now - (count - n) * 3_600 * 24 * 365 / count,
            })
            .collect();
        store.add_reflections(row.id, &entries).await?;
    }
    Ok(())
}

async fn measure(
    mentor: &Mentor,
    name: &str,
    make: impl Fn(usize) -> (MemberRef, Command),
) -> (String, Duration, Duration) {
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let (who, command) = make(i);
        let started = Instant::now();
        mentor
            .handle(&who, command)
            .await
            .expect("the command succeeds");
        samples.push(started.elapsed());
    }
    (
        name.to_string(),
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.99),
    )
}

fn start_to_ready(db: &str) -> (Duration, Duration) {
    let mut samples = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let mut child = Process::new(support::mentorbot_binary())
            .env("DATABASE_URL", db)
            .arg("--as")
            .arg("bench")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("mentorbot starts");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first_line)
            .expect("a greeting");
        samples.push(started.elapsed());
        drop(child.stdin.take());
        child.wait().expect("mentorbot exits");
        assert!(first_line.starts_with("mentorbot:"), "{first_line}");
    }
    (
        percentile(&mut samples, 0.5),
        percentile(&mut samples, 0.99),
    )
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = if std::env::args().any(|arg| arg == "--postgres") {
        postgres::fresh_durable_database("core benchmark")
    } else {
        dir.path()
            .join("bench.db")
            .to_str()
            .expect("utf-8 path")
            .to_string()
    };
    eprintln!(
        "database: {}",
        if db.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let store = Store::open(&db).await?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 18, 10, 0, 0)
        .single()
        .expect("a valid time");
    let seeding = Instant::now();
    seed(&store, now.timestamp()).await?;
    if db.starts_with("postgres") {
        // A live server has its statistics; a freshly loaded one gets them from autovacuum a
        // little later, so gather them now rather than measure the planner without them.
        let pool = sqlx::PgPool::connect(&db).await?;
        sqlx::query("ANALYZE").execute(&pool).await?;
        pool.close().await;
    }
    eprintln!(
        "seeded {} reflections in {:.1} s",
        MEMBERS * ENTRIES_EACH + 10_000 - ENTRIES_EACH,
        seeding.elapsed().as_secs_f64()
    );

    let clock = Arc::new(ManualClock::new(now));
    let mentor = Mentor::new(store.clone(), Arc::new(Library::shipped()?), clock);
    let pick = |i: usize| member((i as i64 * 7_919) % MEMBERS);
    let mut rows = Vec::new();
    // A member's first command also creates their nudge settings and tells them about the
    // weekly question: measured on its own, once for each of the 1,000 members.
    let mut first = Vec::with_capacity(MEMBERS as usize);
    for i in 0..MEMBERS {
        let started = Instant::now();
        mentor.handle(&member(i), Command::Stage).await?;
        first.push(started.elapsed());
    }
    rows.push((
        "first command of a member (creates their settings)".to_string(),
        percentile(&mut first, 0.5),
        percentile(&mut first, 0.99),
    ));
    rows.push(
        measure(&mentor, "reflect", |i| {
            (
                pick(i),
                Command::Reflect {
                    text: Some("Ran a pre-mortem and heard a dissenting view".into()),
                    mode: None,
                },
            )
        })
        .await,
    );
    rows.push(
        measure(&mentor, "log (page 1)", |i| {
            (pick(i), Command::Log { page: 1 })
        })
        .await,
    );
    rows.push(measure(&mentor, "balance", |i| (pick(i), Command::Balance)).await);
    let situations = [
        "we need to decide whether to enter the SMB market next year",
        "breaking a large feature into smaller shippable stories",
        "grooming the backlog in Jira before sprint planning",
        "coaching a newer PM who keeps asking me to decide for him",
    ];
    rows.push(
        measure(&mentor, "hat", |i| {
            let situation = situations[i % situations.len()].to_string();
            (pick(i), Command::Hat { situation })
        })
        .await,
    );
    let library = Library::shipped()?;
    let mut training = Vec::new();
    for _ in 0..50 {
        let started = Instant::now();
        let model = Model::from_library(&library);
        training.push(started.elapsed());
        std::hint::black_box(model);
    }
    rows.push((
        "training the hat model (start-up)".into(),
        percentile(&mut training, 0.5),
        percentile(&mut training, 0.99),
    ));

    let mut exports = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        let reply = mentor
            .handle(
                &member(0),
                Command::Export {
                    format: ExportFormat::Markdown,
                },
            )
            .await?;
        exports.push(started.elapsed());
        assert!(reply.attachment.is_some_and(|a| a.data.len() > 500_000));
    }
    rows.push((
        "export markdown (10,000 entries)".into(),
        percentile(&mut exports, 0.5),
        percentile(&mut exports, 0.99),
    ));
    store.close().await;

    let (start_p50, start_p99) = start_to_ready(&db);
    rows.push(("process start to ready".into(), start_p50, start_p99));

    println!("| operation | p50 | p99 |");
    println!("| --- | --- | --- |");
    for (name, p50, p99) in rows {
        println!("| {name} | {} | {} |", ms(p50), ms(p99));
    }
    Ok(())
}
