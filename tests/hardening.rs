//! Trying to break the binary and the store as an attacker or a careless operator would: a
//! crowd of first starts, escape sequences, racing exports and links, spreadsheet formulas,
//! forget, bad configuration, and the small things a terminal user trips over.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn mentorbot_with(dir: &Path, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let database = dir.join("mentor.db");
    support::run_terminal(dir, database.to_str().expect("utf-8"), args, stdin, env)
}

fn mentorbot(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    mentorbot_with(dir, args, stdin, &[])
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

/// ESC, BEL, the other C0 controls but newline and tab, DEL, and C1: none may be printed.
fn control_characters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect()
}

fn saved_files(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|line| line.strip_prefix("Saved "))
        .filter(|rest| rest.starts_with("mentorbot-log-"))
        .filter_map(|rest| rest.split(" (").next())
        .map(str::to_string)
        .collect()
}

#[test]
fn eight_first_starts_on_a_new_file_all_succeed_and_migrate_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let children: Vec<_> = (0..8)
        .map(|i| {
            let mut child = Command::new(env!("CARGO_BIN_EXE_mentorbot"))
                .args(["--as", &format!("member{i}")])
                .current_dir(dir.path())
                .env("DATABASE_URL", dir.path().join("new.db"))
                .env_remove("DISCORD_TOKEN")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("mentorbot starts");
            let _ = child
                .stdin
                .take()
                .expect("stdin")
                .write_all(format!("/reflect note from {i}\n").as_bytes());
            child
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().expect("finished");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let db = dir.path().join("new.db");
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let migrations = std::fs::read_dir("migrations/sqlite")
        .expect("the migrations")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count() as i64;
    assert_eq!(
        rt.block_on(support::count_rows(
            &db,
            "SELECT COUNT(*) FROM _sqlx_migrations WHERE success"
        )),
        migrations
    );
    assert_eq!(
        rt.block_on(support::count_rows(&db, "SELECT COUNT(*) FROM reflections")),
        8
    );
}

#[test]
fn typed_escape_sequences_never_reach_the_terminal_or_a_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let name = "Ana\u{1b}]0;pwned\u{7}\u{1b}[2J";
    let input = "/\u{1b}]0;pwned\u{7}\u{1b}[2J\n\
                 /export \u{1b}[2J\n\
                 /nudge set \u{1b}[2J 09:30\n\
                 /nudge set monday 09:30 \u{1b}]0;title\u{7}\n\
                 /nudge pause until \u{1b}[2J\n\
                 /tip \u{9b}31m\n\
                 /reflect a note \u{202E}reversed\n\
                 /log\n\
                 /export markdown\n";
    let out = stdout(&mentorbot(dir.path(), &["--as", name], input.as_bytes()));
    assert_eq!(control_characters(&out), [] as [char; 0], "{out:?}");
    assert!(
        out.contains("[U+202E]"),
        "the reordering mark is shown, not obeyed"
    );
    let files = saved_files(&out);
    assert_eq!(files.len(), 1, "{out}");
    let exported = std::fs::read_to_string(dir.path().join(&files[0])).expect("the export");
    assert_eq!(
        control_characters(&exported),
        [] as [char; 0],
        "{exported:?}"
    );
    assert!(!exported.contains('\u{202E}'));
}

#[test]
fn two_exports_at_once_in_one_folder_keep_every_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    stdout(&mentorbot(
        dir.path(),
        &["--as", "Ana"],
        b"/reflect ana-writes-this\n",
    ));
    stdout(&mentorbot(
        dir.path(),
        &["--as", "Bo"],
        b"/reflect bo-writes-this\n",
    ));
    let exports = "/export markdown\n".repeat(20);
    let spawn = |who: &str| {
        let dir = dir.path().to_path_buf();
        let who = who.to_string();
        let exports = exports.clone();
        std::thread::spawn(move || stdout(&mentorbot(&dir, &["--as", &who], exports.as_bytes())))
    };
    let (ana, bo) = (spawn("Ana"), spawn("Bo"));
    let (ana, bo) = (ana.join().expect("ana"), bo.join().expect("bo"));
    for (out, mine, theirs) in [
        (&ana, "ana-writes-this", "bo-writes-this"),
        (&bo, "bo-writes-this", "ana-writes-this"),
    ] {
        let files = saved_files(out);
        assert_eq!(files.len(), 20, "{out}");
        for file in files {
            let text = std::fs::read_to_string(dir.path().join(&file)).expect("the file exists");
            assert!(text.contains(mine) && !text.contains(theirs), "{file}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_link_at_the_export_name_is_never_written_through() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let outside = tempfile::tempdir().expect("another directory");
    let target = outside.path().join("precious.txt");
    std::fs::write(&target, "keep me").expect("written");
    let today = chrono::Utc::now().format("%Y-%m-%d");
    let name = format!("mentorbot-log-{today}.md");
    std::os::unix::fs::symlink(&target, dir.path().join(&name)).expect("a link");
    let out = stdout(&mentorbot(
        dir.path(),
        &["--as", "Ana"],
        b"/reflect something\n/export markdown\n",
    ));
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");
    let files = saved_files(&out);
    assert_eq!(files, [format!("mentorbot-log-{today}-2.md")], "{out}");
}

#[test]
fn a_bad_public_url_stops_start_up_and_a_good_one_shows_in_check() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (url, says) in [
        ("ftp://mentor.example.com", "http:// or https://"),
        ("https://ana:s3cret@mentor.example.com", "credentials"),
        ("https://mentor.example.com/?next=/log", "query"),
        ("not a url", "is not a URL"),
    ] {
        let output = mentorbot_with(
            dir.path(),
            &["check"],
            b"",
            &[("MENTORBOT_PUBLIC_URL", url)],
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.status.success(), "{url:?} passed: {all}");
        assert!(all.contains(says), "{url:?}: {all}");
        assert!(!all.contains("s3cret"), "a password was printed: {all}");
    }
    let output = mentorbot_with(
        dir.path(),
        &["check"],
        b"",
        &[
            ("MENTORBOT_PUBLIC_URL", "https://mentor.example.com/"),
            ("MENTORBOT_HTTP_ADDR", "127.0.0.1:0"),
        ],
    );
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{out}");
    assert!(
        out.contains("web view: https://mentor.example.com, pages served on 127.0.0.1:0"),
        "{out}"
    );
}

#[test]
fn bad_configuration_stops_at_start_up_with_a_reason() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cases: [(&str, &[&str], &str); 4] = [
        ("", &[], "DATABASE_URL is empty"),
        (".", &[], "folder"),
        (".", &["check"], "folder"),
        (
            "mysql://ana:s3cret@db.example/mentor",
            &["check"],
            "nor a postgres:// URL",
        ),
    ];
    for (url, args, says) in cases {
        let output = mentorbot_with(
            dir.path(),
            args,
            b"/reflect lost?\n",
            &[("DATABASE_URL", url)],
        );
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.status.success(), "{url:?} {args:?} started: {all}");
        assert!(all.contains(says), "{url:?}: {all}");
        assert!(!all.contains("s3cret"), "a password was printed: {all}");
    }
    let postgres = mentorbot_with(
        dir.path(),
        &[],
        b"",
        &[("DATABASE_URL", "postgres://ana:s3cret@db.example/mentor")],
    );
    assert!(!postgres.status.success());
    assert!(!String::from_utf8_lossy(&postgres.stderr).contains("s3cret"));
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("listed").count(),
        0,
        "no database file was created"
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_database_file_stops_at_start_up() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    stdout(&mentorbot(
        dir.path(),
        &["--as", "Ana"],
        b"/reflect first\n",
    ));
    let db = dir.path().join("mentor.db");
    let before = std::fs::read(&db).expect("the database");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).expect("read-only");
    let output = mentorbot(dir.path(), &["--as", "Ana"], b"/reflect second\n");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("read-only"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        std::fs::read(&db).expect("the database"),
        before,
        "unchanged"
    );
}

#[test]
fn the_small_things_a_terminal_user_trips_over() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = stdout(&mentorbot(
        dir.path(),
        &["--as", "Ana"],
        b"/reflect before\0after\n/reflect one\rtwo\n/export markdown\n/forget\n/nudge pause until\n/quit now\n/help\n",
    ));
    assert!(out.contains("Say the date to pause until"), "{out}");
    assert!(!out.contains("What I can do"), "/quit now quits: {out}");
    assert!(out.contains("(2 entries)"), "{out}");
    let files = saved_files(&out);
    let exported = std::fs::read_to_string(dir.path().join(&files[0])).expect("export");
    assert!(exported.contains("2 entries:"), "{exported}");
    assert!(
        exported.contains("before after"),
        "a NUL parts words: {exported}"
    );
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let db = dir.path().join("mentor.db");
    assert_eq!(
        rt.block_on(support::count_rows(
            &db,
            "SELECT COUNT(*) FROM reflections WHERE text = 'one'"
        )),
        1,
        "a bare carriage return ends the line: 'two' is the next line, not part of the entry"
    );
    assert!(
        out.contains("Commands start with '/'"),
        "'two' was read as its own line"
    );

    let sentence = stdout(&mentorbot(
        dir.path(),
        &["--as", "Ana"],
        b"Exit criteria for the beta are unclear\n/help\n",
    ));
    assert!(
        sentence.contains("What I can do"),
        "a sentence starting with 'exit' does not end the session: {sentence}"
    );

    let single = stdout(&mentorbot(
        dir.path(),
        &["--as", "Solo"],
        b"/reflect just one\n/export markdown\n/forget\n",
    ));
    assert!(single.contains("(1 entry)"), "{single}");
    let files = saved_files(&single);
    let exported = std::fs::read_to_string(dir.path().join(&files[0])).expect("export");
    assert!(exported.contains("1 entry:"), "{exported}");

    let long_line = format!("/reflect {}\n/log\n", "x".repeat(1_000_000));
    let out = stdout(&mentorbot(
        dir.path(),
        &["--as", "Long"],
        long_line.as_bytes(),
    ));
    assert!(
        out.contains("longer than 64 KiB"),
        "{}",
        &out[..out.len().min(500)]
    );
    assert!(
        out.contains("Your development log is empty"),
        "the next line is read"
    );

    let long_name = "N".repeat(500);
    let out = stdout(&mentorbot_with(
        dir.path(),
        &["--as", &long_name],
        b"/reflect hi\n",
        &[("USER", "osuser")],
    ));
    assert!(!out.contains(&"N".repeat(101)), "the name is capped");
    let out = stdout(&mentorbot_with(
        dir.path(),
        &["--as", ""],
        b"",
        &[("USER", "osuser")],
    ));
    assert!(out.contains("in the terminal as osuser."), "{out}");

    let logged = mentorbot_with(
        dir.path(),
        &["--as", "Ana"],
        b"/help\n",
        &[("RUST_LOG", "info")],
    );
    let stderr = String::from_utf8_lossy(&logged.stderr);
    assert!(!stderr.is_empty(), "info logs were written");
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour codes in a pipe: {stderr:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_reader_that_goes_away_early_is_not_a_crash() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for args in [&["check"][..], &["--as", "Ana"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mentorbot"))
            .args(args)
            .current_dir(dir.path())
            .env("DATABASE_URL", dir.path().join("mentor.db"))
            .env_remove("DISCORD_TOKEN")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mentorbot starts");
        // Like `| head -1`: the reader closes before anything is written.
        drop(child.stdout.take());
        let _ = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(b"/help\n/tip\n");
        let output = child.wait_with_output().expect("finished");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            output.status.success(),
            "{args:?}: {:?} {stderr}",
            output.status
        );
    }
}

mod in_process {
    use mentorbot::error::Error;
    use mentorbot::mentor::export::{ExportedEntry, ExportedLog};
    use mentorbot::mentor::{Command, ExportFormat, ForgetStep, NudgeCommand};

    use super::support::{member, test_mentor};

    async fn export(t: &super::support::TestMentor, who: &str, format: ExportFormat) -> String {
        let reply = t
            .mentor
            .handle(&member(who), Command::Export { format })
            .await
            .expect("exported");
        String::from_utf8(reply.attachment.expect("a file").data).expect("utf-8")
    }

    async fn reflect(t: &super::support::TestMentor, who: &str, text: &str) {
        let command = Command::Reflect {
            text: Some(text.into()),
            mode: None,
        };
        t.mentor.handle(&member(who), command).await.expect("saved");
    }

    #[tokio::test]
    async fn spreadsheet_formulas_are_neutralised_in_csv_and_kept_exact_in_json() {
        let t = test_mentor().await;
        let payloads = [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(1+1)",
        ];
        for payload in payloads {
            reflect(&t, "ana", payload).await;
        }
        let csv = export(&t, "ana", ExportFormat::Csv).await;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let texts: Vec<String> = reader
            .deserialize::<ExportedEntry>()
            .map(|row| row.expect("a row").text)
            .collect();
        assert_eq!(texts.len(), payloads.len());
        for text in &texts {
            assert!(text.starts_with('\''), "{text}");
        }
        let json: ExportedLog =
            serde_json::from_str(&export(&t, "ana", ExportFormat::Json).await).expect("json");
        let exact: Vec<&str> = json.entries.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(exact, payloads);
    }

    #[tokio::test]
    async fn markdown_keeps_its_own_structure_whatever_is_typed() {
        let t = test_mentor().await;
        reflect(
            &t,
            "ana",
            "# Not a heading\n<script>alert(1)</script>\n> not a quote\n---",
        )
        .await;
        let markdown = export(&t, "ana", ExportFormat::Markdown).await;
        assert!(!markdown.contains("\n# Not a heading"), "{markdown}");
        assert!(markdown.contains("\\# Not a heading"), "{markdown}");
        assert!(!markdown.contains("<script>"), "{markdown}");
        assert!(markdown.contains("&lt;script&gt;"), "{markdown}");
        assert!(!markdown.contains("\n> not a quote"), "{markdown}");
        assert!(!markdown.contains("\n---"), "{markdown}");
    }

    #[tokio::test]
    async fn forget_leaves_no_trace_of_the_text_in_the_database_files() {
        let t = test_mentor().await;
        let secret = "my-secret-plan-to-leave-in-march";
        for n in 0..20 {
            reflect(&t, "ana", &format!("{secret} number {n}")).await;
        }
        let confirm = Command::Forget {
            step: ForgetStep::Confirm,
        };
        t.mentor
            .handle(&member("ana"), confirm)
            .await
            .expect("forgotten");
        let mut bytes = Vec::new();
        for suffix in ["", "-wal"] {
            let path = format!("{}{suffix}", t.db.url);
            bytes.extend(std::fs::read(&path).unwrap_or_default());
        }
        assert!(bytes.len() > 4096, "the database was read");
        let found = bytes
            .windows(secret.len())
            .any(|window| window == secret.as_bytes());
        assert!(!found, "the forgotten text is still in the file");
    }

    #[tokio::test]
    async fn a_reflection_racing_forget_gets_a_clear_answer_not_an_apology() {
        let t = test_mentor().await;
        reflect(&t, "ana", "first").await;
        let mut writes = Vec::new();
        for n in 0..100 {
            let mentor = t.mentor.clone();
            writes.push(tokio::spawn(async move {
                let command = Command::Reflect {
                    text: Some(format!("note {n}")),
                    mode: None,
                };
                mentor.handle(&member("ana"), command).await
            }));
            if n == 30 {
                let confirm = Command::Forget {
                    step: ForgetStep::Confirm,
                };
                t.mentor
                    .handle(&member("ana"), confirm)
                    .await
                    .expect("forgotten");
            }
        }
        for write in writes {
            match write.await.expect("the task ran") {
                Ok(_) => {}
                Err(Error::User(message)) => {
                    assert!(message.contains("forget you"), "{message}")
                }
                Err(Error::Internal(error)) => panic!("an internal error: {error:#}"),
            }
        }
    }

    #[tokio::test]
    async fn a_date_in_another_year_shows_its_year() {
        let t = test_mentor().await;
        let pause = Command::Nudge(NudgeCommand::PauseUntil("2027-02-01".into()));
        let reply = t
            .mentor
            .handle(&member("ana"), pause)
            .await
            .expect("paused");
        assert!(reply.text.contains("1 February 2027"), "{}", reply.text);
        let soon = Command::Nudge(NudgeCommand::PauseUntil("2026-12-01".into()));
        let reply = t.mentor.handle(&member("ana"), soon).await.expect("paused");
        assert!(reply.text.contains("1 December."), "{}", reply.text);
    }
}
