//! A throwaway PostgreSQL for the tests: one cluster per test binary, started from the Debian
//! `postgresql` package's binaries (`initdb` + `pg_ctl`) in a temporary folder, listening only
//! on a Unix socket there, and a fresh database for each test. A watcher process stops the
//! cluster and removes its folder when the test binary exits, however it exits.
//!
//! Without PostgreSQL binaries the suites that need it say so loudly and pass without running,
//! unless `MENTORBOT_REQUIRE_POSTGRES=1` (set by `.ci/run`), which makes that a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The one command that installs what these suites need.
pub const INSTALL: &str = "sudo apt-get install -y postgresql";

pub struct Cluster {
    /// The folder holding the data and the socket.
    folder: PathBuf,
}

static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();
static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// A new empty database on this binary's cluster, as a `postgres://` URL. When PostgreSQL is
/// not installed here, says so loudly and ends the test binary (successfully, unless
/// `MENTORBOT_REQUIRE_POSTGRES=1`): none of its tests could run.
pub fn fresh_database(suite: &str) -> String {
    database_on(suite, false)
}

/// As `fresh_database`, on a cluster that flushes every commit to disk as a production server
/// does (the tests' cluster skips fsync), for benchmarks. A binary uses one kind or the other.
pub fn fresh_durable_database(suite: &str) -> String {
    database_on(suite, true)
}

fn database_on(suite: &str, durable: bool) -> String {
    let Some(cluster) = CLUSTER.get_or_init(|| start(suite, durable)) else {
        std::process::exit(0);
    };
    let name = format!("test_{}", DATABASES.fetch_add(1, Ordering::SeqCst));
    let created = Command::new(binary("psql").expect("psql beside initdb"))
        .args([
            "-h",
            cluster.socket_dir(),
            "-U",
            "postgres",
            "-d",
            "postgres",
        ])
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-c"])
        .arg(format!("CREATE DATABASE {name}"))
        .output()
        .expect("psql runs");
    assert!(
        created.status.success(),
        "creating a test database: {}",
        String::from_utf8_lossy(&created.stderr)
    );
    cluster.url(&name)
}

impl Cluster {
    fn socket_dir(&self) -> &str {
        self.folder.to_str().expect("a UTF-8 temporary path")
    }

    /// The URL of `database` over the cluster's Unix socket.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres@localhost/{database}?host={}",
            self.socket_dir()
        )
    }
}

fn start(suite: &str, durable: bool) -> Option<Cluster> {
    let Some(initdb) = binary("initdb") else {
        let required = std::env::var("MENTORBOT_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
        let notice = format!(
            "\n{bar}\n  POSTGRESQL NOT FOUND: the {suite} suite on PostgreSQL DID NOT RUN.\n  \
             Install it with: {INSTALL}\n{bar}\n",
            bar = "!".repeat(78)
        );
        assert!(!required, "{notice}");
        // Straight to the terminal: the test harness would hide a printed line.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), notice.as_bytes());
        return None;
    };
    // Under /tmp, whatever TMPDIR says: the `postgres` user must reach it, and a Unix socket's
    // path must stay short.
    let folder = tempfile::Builder::new()
        .prefix("mentorbot-pg-")
        .tempdir_in("/tmp")
        .expect("a temporary folder")
        .keep();
    let as_root = is_root();
    if as_root {
        // initdb refuses root: the cluster belongs to the package's `postgres` user.
        let owned = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&folder)
            .status()
            .expect("chown runs");
        assert!(owned.success(), "handing {} to postgres", folder.display());
    }
    let data = folder.join("data");
    let run = |program: &Path, args: &[&str]| {
        let mut command = if as_root {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        };
        let output = command
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("a PostgreSQL program runs");
        assert!(
            output.status.success(),
            "{} {args:?}: {}",
            program.display(),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let data_arg = data.to_str().expect("a UTF-8 path");
    run(
        &initdb,
        &[
            "-D",
            data_arg,
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
    );
    let socket_options = format!(
        "-k {} -c listen_addresses='' -c fsync={} -c max_connections=300 -c shared_buffers=128MB",
        folder.display(),
        if durable { "on" } else { "off" }
    );
    let log = folder.join("server.log");
    let pg_ctl = binary("pg_ctl").expect("pg_ctl beside initdb");
    run(
        &pg_ctl,
        &[
            "-D",
            data_arg,
            "-o",
            &socket_options,
            "-l",
            log.to_str().expect("a UTF-8 path"),
            "-w",
            "start",
        ],
    );
    watch_for_exit(&folder, &pg_ctl, as_root);
    Some(Cluster { folder })
}

/// Starts a detached shell that waits for this process to end, then stops the cluster at once
/// and deletes its folder.
fn watch_for_exit(folder: &Path, pg_ctl: &Path, as_root: bool) {
    let stop = format!(
        "{}{} -D {}/data stop -m immediate",
        if as_root {
            "runuser -u postgres -- "
        } else {
            ""
        },
        pg_ctl.display(),
        folder.display()
    );
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {folder}",
        pid = std::process::id(),
        folder = folder.display()
    );
    // `setsid -f` forks the watcher into a session of its own and returns at once.
    let started = Command::new("setsid")
        .args(["-f", "sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("the cluster's watcher starts");
    assert!(started.success(), "starting the cluster's watcher");
}

/// The newest installed PostgreSQL's `name` program (Debian keeps them per version, outside
/// the PATH), or the one on the PATH.
fn binary(name: &str) -> Option<PathBuf> {
    let on_path = || {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|folder| folder.join(name))
                .find(|program| program.is_file())
        })
    };
    let Ok(installed) = std::fs::read_dir("/usr/lib/postgresql") else {
        return on_path();
    };
    let mut versions: Vec<(u32, PathBuf)> = installed
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version = entry.file_name().to_str()?.parse().ok()?;
            let program = entry.path().join("bin").join(name);
            program.exists().then_some((version, program))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, program)| program).or_else(on_path)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}
