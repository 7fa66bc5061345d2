//! mentorbot side by side with a small Python bot (discord.py + aiosqlite, `benches/python_bot`):
//! each bot in turn against its own fake Discord on loopback, the same members and commands.
//! Prints, per bot: CPU per `/tip`, `/reflect`, `/log` and `/balance` (the process's user plus
//! system time from /proc over 1,000 of each, one after another, in four interleaved rounds),
//! 200 concurrent `/reflect`s per second (median of five rounds; `COMPARE_ROUNDS` for more), resident memory after connecting and after the run, and
//! for mentorbot the SQL statements per command (from sqlx's statement log, in a separate run).
//! Run with `cargo bench --bench compare`. The Python bot runs when `COMPARE_PYTHON` (default
//! `target/python-bench/bin/python`, see `benches/python_bot/README.md`) imports discord.py.

#[path = "../tests/support/fake_discord.rs"]
#[allow(dead_code, reason = "the benchmark uses part of the fake")]
mod fake_discord;

mod support;
use support::resident_mib;

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fake_discord::FakeDiscord;
use serde_json::{Value, json};
use tokio::io::AsyncBufReadExt;
use tokio::process::{Child, Command};

const SERIES: usize = 1_000;
const CONCURRENT: usize = 200;
const ROUNDS: usize = 5;

/// Rounds of concurrent `/reflect`s; `COMPARE_ROUNDS` raises it, e.g. to profile the bursts.
fn rounds() -> usize {
    std::env::var("COMPARE_ROUNDS")
        .ok()
        .and_then(|rounds| rounds.parse().ok())
        .unwrap_or(ROUNDS)
}
const MEMBERS: u64 = 50;
const WAIT: Duration = Duration::from_secs(60);
const KINDS: [&str; 4] = ["tip", "reflect", "log", "balance"];

#[derive(Clone, Copy, PartialEq)]
enum Bot {
    Mentorbot,
    Python,
}

struct Figures {
    cpu_ms: Vec<f64>,
    switches: Vec<f64>,
    per_second: Vec<f64>,
    /// CPU per reflection in the bursts: the bot's, and the fake Discord's (this process).
    burst_cpu_ms: f64,
    fake_cpu_ms: f64,
    connected: f64,
    at_thousand: f64,
    /// The first command on a new database (it creates the member), the first from a known
    /// member after a restart on the same database, and the p99 of the measured series.
    first_ms: f64,
    restart_first_ms: Vec<f64>,
    /// A `/tip` half a second after each of those, in the same process: what a pause alone
    /// costs, to tell it from what a restart costs.
    restart_later_ms: Vec<f64>,
    /// For the first `/tip` after each restart, and for one half a second later (as a person
    /// would send it, when the CPU's caches have cooled but nothing is done for the first
    /// time): the bot's time on a CPU (ms) and the page faults it took.
    restart_costs: Vec<[(f64, f64); 2]>,
    steady_p99_ms: f64,
    after: f64,
}

#[tokio::main]
async fn main() {
    let ours = measure(Bot::Mentorbot).await;
    let queries = count_queries().await;
    let python = match python() {
        Some(_) => Some(measure(Bot::Python).await),
        None => {
            println!("(no Python bot: set up benches/python_bot as its README says to compare)\n");
            None
        }
    };
    report(&ours, python.as_ref(), &queries);
}

fn python() -> Option<String> {
    let python = std::env::var("COMPARE_PYTHON").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/python-bench/bin/python"
        )
        .into()
    });
    let imports = std::process::Command::new(&python)
        .args(["-c", "import discord, aiosqlite, PIL"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    imports
        .is_ok_and(|status| status.success())
        .then_some(python)
}

async fn start(bot: Bot, fake: &FakeDiscord, dir: &std::path::Path, log_sql: bool) -> Child {
    let mut command = match bot {
        Bot::Mentorbot => {
            let mut command = Command::new(support::mentorbot_binary());
            command
                .env("DATABASE_URL", dir.join("bench.db"))
                .env("DISCORD_API_BASE", &fake.base)
                .env_remove("DISCORD_GUILD_ID")
                .env(
                    "RUST_LOG",
                    if log_sql {
                        "warn,sqlx::query=debug,mentorbot::store::direct=debug"
                    } else {
                        "warn"
                    },
                );
            command
        }
        Bot::Python => {
            let mut command = Command::new(python().expect("the Python bot's interpreter"));
            command
                .arg(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/benches/python_bot/bot.py"
                ))
                .env("DATABASE_PATH", dir.join("bench.db"))
                .env("DISCORD_API_BASE", &fake.base)
                .env(
                    "PROMPTS_DIR",
                    concat!(env!("CARGO_MANIFEST_DIR"), "/prompts"),
                );
            command
        }
    };
    let child = command
        .env("DISCORD_TOKEN", "bench-token")
        .stdin(Stdio::null())
        .stderr(if log_sql {
            Stdio::piped()
        } else {
            Stdio::inherit()
        })
        .kill_on_drop(true)
        .spawn()
        .expect("the bot starts");
    fake.wait_gateway("the bot's IDENTIFY", WAIT, |identifies, _, _| {
        identifies > 0
    })
    .await;
    // Both bots register their commands right after READY; give that a moment to settle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    child
}

fn interaction(fake: &FakeDiscord, kind: &str, member: u64, n: usize) -> (Value, String) {
    let user = fake_discord::user(400_000_000_000_000_000 + member, "member");
    let options = match kind {
        "reflect" => json!([{"name": "text", "type": 3,
            "value": format!("Ran a pre-mortem with the team on the launch plan, entry {n}")}]),
        "tip" => json!([{"name": "topic", "type": 3, "value": "storytelling"}]),
        _ => json!([]),
    };
    let id = fake.id();
    let mut interaction = fake_discord::interaction_base(id, 2, &user, false);
    interaction["data"] = json!({"id": "1", "name": kind, "type": 1, "options": options});
    (
        interaction,
        format!("/api/v10/interactions/{id}/token-{id}/callback"),
    )
}

/// Sends one interaction and waits for its callback.
async fn one(fake: &FakeDiscord, kind: &str, member: u64, n: usize) {
    let (interaction, path) = interaction(fake, kind, member, n);
    let from = fake.recorded();
    fake.dispatch("INTERACTION_CREATE", interaction);
    fake.wait_until(&path, WAIT, |log| {
        log[from.min(log.len())..].iter().any(|r| r.path == path)
    })
    .await;
}

/// Field `index` of /proc/PID/stat counted after the command name (which is in parentheses
/// and may hold spaces), or 0.
fn stat_field(pid: u32, index: usize) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let rest = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    rest.split_whitespace()
        .nth(index)
        .and_then(|f| f.parse::<f64>().ok())
        .unwrap_or(0.0)
}

/// User plus system CPU time of a process so far, in milliseconds.
fn cpu_ms(pid: u32) -> f64 {
    // utime and stime are fields 14 and 15 of the whole line; clock ticks are 1/100 s here.
    (stat_field(pid, 11) + stat_field(pid, 12)) * 10.0
}

/// Minor page faults of a process so far (pages mapped in without reading the disk): minflt,
/// field 10 of the whole line.
fn minor_faults(pid: u32) -> f64 {
    stat_field(pid, 7)
}

/// The sum over a process's threads of what `read` finds in each thread's `file` under
/// /proc/PID/task.
fn over_threads(pid: u32, file: &str, read: impl Fn(&str) -> f64) -> f64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0.0;
    };
    tasks
        .flatten()
        .map(|task| read(&std::fs::read_to_string(task.path().join(file)).unwrap_or_default()))
        .sum()
}

/// Time all of a process's threads have spent on a CPU so far, in milliseconds (the scheduler's
/// nanosecond count, where `cpu_ms` has the kernel's 10 ms ticks).
fn run_ms(pid: u32) -> f64 {
    over_threads(pid, "schedstat", |schedstat| {
        let nanoseconds = schedstat.split_whitespace().next().unwrap_or("0");
        nanoseconds.parse::<f64>().unwrap_or(0.0) / 1e6
    })
}

/// Time on a CPU so far (ms) by thread name, e.g. tokio's workers, SQLite's connections.
fn run_ms_by_thread(pid: u32) -> std::collections::BTreeMap<String, f64> {
    let mut by_name = std::collections::BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return by_name;
    };
    for task in tasks.flatten() {
        let read = |file| std::fs::read_to_string(task.path().join(file)).unwrap_or_default();
        let name = read("comm")
            .trim()
            .trim_end_matches(char::is_numeric)
            .to_string();
        let nanoseconds = read("schedstat");
        let nanoseconds = nanoseconds.split_whitespace().next().unwrap_or("0");
        *by_name.entry(name).or_insert(0.0) += nanoseconds.parse::<f64>().unwrap_or(0.0) / 1e6;
    }
    by_name
}

/// Context switches of all of a process's threads so far.
fn switches(pid: u32) -> f64 {
    over_threads(pid, "status", |status| {
        status
            .lines()
            .filter_map(|line| {
                line.strip_prefix("voluntary_ctxt_switches:")
                    .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
            })
            .map(|count| count.trim().parse::<f64>().unwrap_or(0.0))
            .sum()
    })
}

async fn measure(bot: Bot) -> Figures {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut child = start(bot, &fake, dir.path(), false).await;
    let pid = child.id().expect("a pid");
    let connected = resident_mib(pid);

    // Every member has used every command once before the measured series.
    let started = Instant::now();
    one(&fake, "tip", 0, 0).await;
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut latencies = Vec::new();
    let mut n = 1;
    for member in 0..MEMBERS {
        for kind in KINDS {
            one(&fake, kind, member, n).await;
            n += 1;
        }
    }
    // Four rounds of 250 of each command, interleaved, so a slow moment of the host is shared.
    let mut cpu = vec![0.0; KINDS.len()];
    let mut switched = vec![0.0; KINDS.len()];
    let mut at_thousand = 0.0;
    for _ in 0..4 {
        for (k, kind) in KINDS.iter().enumerate() {
            // `COMPARE_ONLY=reflect` measures one command alone, e.g. to profile it.
            if std::env::var("COMPARE_ONLY").is_ok_and(|only| only != *kind) {
                continue;
            }
            let before = cpu_ms(pid);
            let switches_before = switches(pid);
            let threads_before = run_ms_by_thread(pid);
            for i in 0..SERIES / 4 {
                let sent = Instant::now();
                one(&fake, kind, i as u64 % MEMBERS, n).await;
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                n += 1;
                if n == 1_000 {
                    at_thousand = resident_mib(pid);
                    eprintln!(
                        "  after 1,000, the largest mappings: {}",
                        largest_mappings(pid)
                    );
                    // `COMPARE_SMAPS=FILE` keeps the whole map at this point, to study memory.
                    if let Ok(file) = std::env::var("COMPARE_SMAPS") {
                        let smaps = std::fs::read(format!("/proc/{pid}/smaps")).unwrap_or_default();
                        std::fs::write(file, smaps).expect("the map written");
                    }
                }
            }
            // Work done after the reply (a coach's follow-up, a chart upload) is counted too.
            tokio::time::sleep(Duration::from_millis(100)).await;
            cpu[k] += (cpu_ms(pid) - before) / SERIES as f64;
            switched[k] += (switches(pid) - switches_before) / SERIES as f64;
            // `COMPARE_THREADS=1` shows which threads spent each command's CPU.
            if std::env::var_os("COMPARE_THREADS").is_some() {
                let per_thread: Vec<String> = run_ms_by_thread(pid)
                    .into_iter()
                    .map(|(name, ms)| {
                        let spent = ms - threads_before.get(&name).copied().unwrap_or(0.0);
                        format!("{name} {:.3}", spent * 4.0 / SERIES as f64)
                    })
                    .collect();
                eprintln!(
                    "  /{kind} ms per command by thread: {}",
                    per_thread.join(", ")
                );
            }
        }
    }

    let mut per_second = Vec::new();
    let (bot_before, fake_before) = (cpu_ms(pid), cpu_ms(std::process::id()));
    for round in 0..rounds() {
        let mut paths = Vec::new();
        // Only what arrives from here on is searched, so the fake's own work stays small.
        let recorded_before = fake.recorded();
        let started = Instant::now();
        for member in 0..CONCURRENT {
            let member = 1_000 + (round * CONCURRENT + member) as u64;
            let (interaction, path) = interaction(&fake, "reflect", member, n);
            n += 1;
            fake.dispatch("INTERACTION_CREATE", interaction);
            paths.push(path);
        }
        let paths: std::collections::HashSet<String> = paths.into_iter().collect();
        fake.wait_until("200 concurrent callbacks", WAIT, |log| {
            log[recorded_before.min(log.len())..]
                .iter()
                .filter(|r| paths.contains(&r.path))
                .count()
                >= CONCURRENT
        })
        .await;
        per_second.push(CONCURRENT as f64 / started.elapsed().as_secs_f64());
    }
    let burst = (CONCURRENT * rounds()) as f64;
    let burst_cpu_ms = (cpu_ms(pid) - bot_before) / burst;
    let fake_cpu_ms = (cpu_ms(std::process::id()) - fake_before) / burst;
    let after = resident_mib(pid);
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| {
        rollup
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map_or(0.0, |kib| kib / 1024.0)
    };
    eprintln!(
        "resident at the end: {after:.1} MiB, of which anonymous {:.1} MiB, files {:.1} MiB",
        field("Anonymous:"),
        field("Pss_File:")
    );
    eprintln!("  the largest mappings: {}", largest_mappings(pid));
    let mut restart_first_ms = Vec::new();
    let mut restart_later_ms = Vec::new();
    let mut restart_costs = Vec::new();
    for _ in 0..RESTARTS {
        child = restart(bot, &fake, dir.path(), child).await;
        let pid = child.id().expect("a pid");
        let mut costs = [(0.0, 0.0); 2];
        for (i, cost) in costs.iter_mut().enumerate() {
            if i == 1 {
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            let (ran, faulted) = (run_ms(pid), minor_faults(pid));
            let started = Instant::now();
            one(&fake, "tip", 0, n).await;
            let took = started.elapsed().as_secs_f64() * 1000.0;
            match i {
                0 => restart_first_ms.push(took),
                _ => restart_later_ms.push(took),
            }
            *cost = (run_ms(pid) - ran, minor_faults(pid) - faulted);
            n += 1;
        }
        restart_costs.push(costs);
    }
    child.start_kill().expect("stopped");
    let _ = child.wait().await;
    Figures {
        cpu_ms: cpu,
        switches: switched,
        per_second,
        burst_cpu_ms,
        fake_cpu_ms,
        connected,
        at_thousand,
        first_ms,
        restart_first_ms,
        restart_later_ms,
        restart_costs,
        steady_p99_ms: percentile(&latencies, 0.99),
        after,
    }
}

/// Restarts after the measured series: each stops the bot as a service manager would (SIGTERM)
/// and starts it again on the same database.
const RESTARTS: usize = 5;

async fn restart(bot: Bot, fake: &FakeDiscord, dir: &std::path::Path, mut child: Child) -> Child {
    let pid = child.id().expect("a pid").to_string();
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    assert!(stopped.is_ok_and(|s| s.success()), "SIGTERM sent");
    tokio::time::timeout(WAIT, child.wait())
        .await
        .expect("the bot stops on SIGTERM")
        .expect("its exit status");
    let identified = fake.identified_shards().len();
    let child = start(bot, fake, dir, false).await;
    fake.wait_gateway("a new IDENTIFY", WAIT, |identifies, _, _| {
        identifies as usize > identified
    })
    .await;
    // As after the first start: the commands are registered right after READY.
    tokio::time::sleep(Duration::from_millis(500)).await;
    child
}

/// The five mappings with the most resident memory, by file (or `[anonymous]`), in MiB.
fn largest_mappings(pid: u32) -> String {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut by_name: std::collections::BTreeMap<String, f64> = Default::default();
    let mut name = String::new();
    for line in smaps.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [range, _, _, _, _, rest @ ..] if range.contains('-') && !range.ends_with(':') => {
                name = rest
                    .first()
                    .map_or("[anonymous]".to_string(), |n| n.to_string());
            }
            ["Rss:", kib, "kB"] => {
                *by_name.entry(name.clone()).or_default() +=
                    kib.parse::<f64>().unwrap_or(0.0) / 1024.0
            }
            _ => {}
        }
    }
    let mut sizes: Vec<(String, f64)> = by_name.into_iter().collect();
    sizes.sort_by(|a, b| b.1.total_cmp(&a.1));
    sizes
        .iter()
        .take(5)
        .map(|(name, mib)| format!("{name} {mib:.1}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// SQL statements per command, from sqlx's statement log, averaged over 20 of each.
async fn count_queries() -> Vec<f64> {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut child = start(Bot::Mentorbot, &fake, dir.path(), true).await;
    let statements = Arc::new(AtomicUsize::new(0));
    let mut lines = tokio::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
    let counter = statements.clone();
    tokio::spawn(async move {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("sqlx::query") || line.contains("statement run directly") {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    for kind in KINDS {
        one(&fake, kind, 0, 0).await;
    }
    let mut counts = Vec::new();
    for kind in KINDS {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let before = statements.load(Ordering::Relaxed);
        for i in 0..20 {
            one(&fake, kind, i % 5, i as usize).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        counts.push((statements.load(Ordering::Relaxed) - before) as f64 / 20.0);
    }
    child.start_kill().expect("stopped");
    let _ = child.wait().await;
    counts
}

fn median(values: &[f64]) -> f64 {
    percentile(values, 0.5)
}

fn percentile(values: &[f64], at: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[((sorted.len() - 1) as f64 * at).round() as usize]
}

fn report(ours: &Figures, python: Option<&Figures>, queries: &[f64]) {
    let ratio = |a: f64, b: Option<f64>| b.map_or("".to_string(), |b| format!("{:.2}×", a / b));
    let theirs = |f: fn(&Figures) -> f64| python.map(f);
    let cell =
        |v: Option<f64>, unit: &str| v.map_or("–".to_string(), |v| format!("{v:.2}{unit}"));
    println!("| measure | mentorbot | Python bot | mentorbot ÷ Python |");
    println!("| --- | --- | --- | --- |");
    for (i, kind) in KINDS.iter().enumerate() {
        let python_cpu = python.map(|p| p.cpu_ms[i]);
        println!(
            "| CPU per `/{kind}` ({} SQL statements) | {:.3} ms | {} | {} |",
            queries[i],
            ours.cpu_ms[i],
            python_cpu.map_or("–".to_string(), |v| format!("{v:.3} ms")),
            ratio(ours.cpu_ms[i], python_cpu)
        );
    }
    for (i, kind) in KINDS.iter().enumerate() {
        let python_switches = python.map(|p| p.switches[i]);
        println!(
            "| thread switches per `/{kind}` | {:.1} | {} | {} |",
            ours.switches[i],
            python_switches.map_or("–".to_string(), |v| format!("{v:.1}")),
            ratio(ours.switches[i], python_switches)
        );
    }
    let range = |f: &Figures| {
        let lo = f.per_second.iter().copied().fold(f64::MAX, f64::min);
        let hi = f.per_second.iter().copied().fold(0.0, f64::max);
        format!("{:.0} ({lo:.0}–{hi:.0})", median(&f.per_second))
    };
    println!(
        "| {CONCURRENT} concurrent `/reflect`, per second: median (range) | {} | {} | {} |",
        range(ours),
        python.map_or("–".to_string(), range),
        ratio(median(&ours.per_second), theirs(|p| median(&p.per_second)))
    );
    println!(
        "| CPU per concurrent `/reflect`: the bot's, the fake Discord's | {:.3} ms, {:.3} ms | {} | {} |",
        ours.burst_cpu_ms,
        ours.fake_cpu_ms,
        python.map_or("–".to_string(), |p| format!(
            "{:.3} ms, {:.3} ms",
            p.burst_cpu_ms, p.fake_cpu_ms
        )),
        ratio(ours.burst_cpu_ms, theirs(|p| p.burst_cpu_ms))
    );
    println!(
        "| first `/tip` on a new database (creates the member), then the series' p99 | {:.2} ms, {:.2} ms | {} | |",
        ours.first_ms,
        ours.steady_p99_ms,
        python.map_or("–".to_string(), |p| format!(
            "{:.2} ms, {:.2} ms",
            p.first_ms, p.steady_p99_ms
        )),
    );
    let times = |ms: &[f64]| {
        let times: Vec<String> = ms.iter().map(|ms| format!("{ms:.2}")).collect();
        format!("{} ms", times.join(", "))
    };
    let restarts = |f: &Figures| times(&f.restart_first_ms);
    println!(
        "| first `/tip` after each of {RESTARTS} restarts (a known member) | {} | {} | |",
        restarts(ours),
        python.map_or("–".to_string(), restarts),
    );
    let later = |f: &Figures| times(&f.restart_later_ms);
    println!(
        "| a `/tip` half a second after each of those (no restart between) | {} | {} | |",
        later(ours),
        python.map_or("–".to_string(), later),
    );
    let costs = |f: &Figures| {
        let median = |which: usize, of: fn(&(f64, f64)) -> f64| {
            let mut values: Vec<f64> = f.restart_costs.iter().map(|c| of(&c[which])).collect();
            values.sort_by(f64::total_cmp);
            values.get(values.len() / 2).copied().unwrap_or(0.0)
        };
        format!(
            "{:.2} ms, {:.0} faults; {:.2} ms, {:.0} faults",
            median(0, |c| c.0),
            median(0, |c| c.1),
            median(1, |c| c.0),
            median(1, |c| c.1)
        )
    };
    println!(
        "| CPU and page faults of the first `/tip` after a restart; of one half a second later (medians) | {} | {} | |",
        costs(ours),
        python.map_or("–".to_string(), costs),
    );
    println!(
        "| resident after connecting | {:.1} MiB | {} | {} |",
        ours.connected,
        cell(theirs(|p| p.connected), " MiB"),
        ratio(ours.connected, theirs(|p| p.connected))
    );
    println!(
        "| resident after 1,000 interactions | {:.1} MiB | {} | {} |",
        ours.at_thousand,
        cell(theirs(|p| p.at_thousand), " MiB"),
        ratio(ours.at_thousand, theirs(|p| p.at_thousand))
    );
    println!(
        "| resident after {} interactions | {:.1} MiB | {} | {} |",
        MEMBERS as usize * KINDS.len() + SERIES * KINDS.len() + CONCURRENT * rounds(),
        ours.after,
        cell(theirs(|p| p.after), " MiB"),
        ratio(ours.after, theirs(|p| p.after))
    );
}
