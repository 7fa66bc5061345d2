//! Benchmark of the web view: a member with a 10,000-entry log over two years, in a team of
//! 50 they lead, on SQLite. Prints p50/p99 of each page as a browser would ask for it over
//! loopback (so an upper bound on server time), from request to the last byte of the answer.
//! Run with `cargo bench --bench web`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use mentorbot::clock::ManualClock;
use mentorbot::content::{Library, Mode};
use mentorbot::mentor::{Command, MemberRef, Mentor};
use mentorbot::platform::Platform;
use mentorbot::store::{ModeSource, NewReflection, Store};

const ENTRIES: i64 = 10_000;
const TEAM: &str = "T0BENCH";
const SAMPLES: usize = 300;

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let store = Store::open(&dir.path().join("bench.db").to_string_lossy()).await?;
    let now = Utc
        .with_ymd_and_hms(2026, 12, 3, 10, 0, 0)
        .single()
        .ok_or_else(|| anyhow::anyhow!("a time"))?;
    let clock = Arc::new(ManualClock::new(now));
    let library = Arc::new(Library::shipped()?);
    let mut mentor = Mentor::new(store.clone(), library, clock);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    mentor = mentor.with_web(&base);

    let leader = MemberRef::new(Platform::Slack, TEAM, "U0LEADER", "Lea");
    let row = store
        .ensure_member(Platform::Slack, TEAM, "U0LEADER", "Lea", now.timestamp())
        .await?;
    let texts = [
        "Groomed the backlog with engineering and agreed acceptance criteria for the sprint",
        "Pitched the vision for the new onboarding flow to the exec team with a customer story",
        "Asked the team what could make the launch fail and wrote down the three likeliest",
    ];
    let span = 2 * 365 * 24 * 3600;
    let entries: Vec<NewReflection> = (0..ENTRIES)
        .map(|n| NewReflection {
            prompt_id: None,
            text: texts[(n % 3) as usize],
            mode: if n % 3 == 0 {
                Mode::Management
            } else {
                Mode::Leadership
            },
            mode_source: ModeSource::Stated,
            created_at: now.timestamp() - span + n * span / ENTRIES,
        })
        .collect();
    store.add_reflections(row.id, &entries).await?;
    mentor.seen_in_team(&leader, TEAM).await?;
    for i in 0..49 {
        let who = MemberRef::new(Platform::Slack, TEAM, &format!("U{i:07}"), "Member");
        mentor.seen_in_team(&who, TEAM).await?;
        mentor
            .handle(
                &who,
                Command::Reflect {
                    text: Some("Shared the roadmap".into()),
                    mode: Some(Mode::Leadership),
                },
            )
            .await?;
    }

    let routes = mentorbot::frontends::web::routes(mentor.clone(), &base);
    tokio::spawn(async move {
        let service = routes.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, service).await
    });
    let reply = mentor
        .handle(
            &leader,
            Command::Web {
                teams: vec![TEAM.to_string()],
            },
        )
        .await?;
    let link = reply
        .text
        .split_whitespace()
        .find(|word| word.contains("/signin/"))
        .ok_or_else(|| anyhow::anyhow!("no link"))?;
    let token = link.rsplit('/').next().unwrap_or_default();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let signed_in = http
        .post(format!("{base}/signin"))
        .form(&[("token", token)])
        .send()
        .await?;
    let cookie = signed_in.headers()["set-cookie"]
        .to_str()?
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    let some_entry = store.reflections_page(row.id, 1, 5_000).await?[0].id;

    println!("web view, {ENTRIES}-entry log, team of 50 ({SAMPLES} requests each, loopback):");
    let pages = [
        ("log, first page", "/log".to_string()),
        ("log, last page", "/log?page=500".to_string()),
        ("log, search", "/log?q=vision+customer".to_string()),
        (
            "log, filtered",
            "/log?mode=leadership&from=2026-01-01&to=2026-06-30".to_string(),
        ),
        ("edit an entry", format!("/entries/{some_entry}/edit")),
        ("progress", "/progress".to_string()),
        ("team", format!("/team/{TEAM}")),
        ("export JSON", "/export/mentorbot-log.json".to_string()),
    ];
    for (name, path) in pages {
        let mut samples = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let started = Instant::now();
            let answer = http
                .get(format!("{base}{path}"))
                .header("cookie", &cookie)
                .send()
                .await?;
            anyhow::ensure!(answer.status().is_success(), "{path}: {}", answer.status());
            answer.bytes().await?;
            samples.push(started.elapsed());
        }
        let p50 = percentile(&mut samples, 0.5);
        let p99 = percentile(&mut samples, 0.99);
        println!("  {name:<18} p50 {:>9}  p99 {:>9}", ms(p50), ms(p99));
    }
    Ok(())
}
