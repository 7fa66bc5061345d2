//! The binary in terminal mode with piped stdin: printed answers, stored rows, and what
//! survives between runs.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn mentorbot(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mentorbot"))
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", dir.join("mentor.db"))
        .env_remove("MENTORBOT_PROMPTS")
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mentorbot starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("commands are written");
    child.wait_with_output().expect("mentorbot finishes")
}

fn session(dir: &Path, commands: &str) -> String {
    let output = mentorbot(dir, &["--as", "Ana"], commands.as_bytes());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}, stderr: {stderr}",
        output.status
    );
    assert!(
        stderr.is_empty(),
        "nothing should be logged on a normal run: {stderr}"
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

async fn count(dir: &Path, sql: &str) -> i64 {
    support::count_rows(&dir.join("mentor.db"), sql).await
}

#[tokio::test]
async fn a_scripted_session_answers_and_stores_and_a_second_run_sees_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = session(
        dir.path(),
        "/stage set senior\n/tip storytelling\n/hat Pitching a new product to the C-suite\n\
         /reflect leadership: I ran a pre-mortem with the team\n/reflect Groomed the backlog in Jira for the sprint\n/balance\n",
    );
    assert!(
        out.starts_with("mentorbot: your product leadership mentor, here in the terminal as Ana.")
    );
    assert!(out.contains("set DISCORD_TOKEN"));
    assert!(out.contains("Stage set: Senior PM"));
    assert!(out.contains("Wear the leader's hat"));
    assert!(out.contains("Saved as entry #1 in your development log"));
    assert!(out.contains("Saved as entry #2 in your development log"));
    assert!(out.contains("Your balance as Senior PM"));
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM members WHERE user_id = 'Ana' AND stage = 'senior'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM reflections WHERE mode = 'leadership' AND mode_source = 'stated'"
        )
        .await,
        1
    );
    assert_eq!(count(dir.path(), "SELECT COUNT(*) FROM reflections WHERE mode = 'management' AND mode_source = 'suggested'").await, 1);

    let second = session(dir.path(), "/log\n/reflect one more\n/export json\n");
    assert!(second.contains("Your development log, page 1 of 1"));
    assert!(second.contains("I ran a pre-mortem with the team"));
    assert!(second.contains("Saved as entry #3"));
    let export_name = second
        .lines()
        .find_map(|l| l.strip_prefix("Saved mentorbot-log"))
        .and_then(|l| l.split(" ").next())
        .map(|rest| format!("mentorbot-log{rest}"))
        .expect("a saved file");
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(export_name)).expect("the export"))
            .expect("JSON");
    assert_eq!(exported["entries"].as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn forget_through_the_terminal_leaves_no_row_behind() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    session(
        dir.path(),
        "/stage set vp\n/reflect\n/reflect the budget pitch went well\n/tip\n",
    );
    let out = session(dir.path(), "/forget\n/log\n");
    assert!(out.contains("Delete everything: /forget confirm"));
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM reflections").await,
        1,
        "asking deletes nothing"
    );
    let out = session(dir.path(), "/forget confirm\n");
    assert!(out.contains("Done. I deleted"));
    for table in support::member_tables(&dir.path().join("mentor.db")).await {
        assert_eq!(
            count(dir.path(), &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table}"
        );
    }
    assert_eq!(count(dir.path(), "SELECT COUNT(*) FROM members").await, 0);
}

#[tokio::test]
async fn bad_input_gets_clear_answers_and_the_session_keeps_going() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut input = Vec::new();
    let emoji = "😀".repeat(10_000);
    for line in [
        "/dance".to_string(),
        "/stage set wizard".into(),
        "/tip astrology".into(),
        "/export pdf".into(),
        "/log -1".into(),
        format!("/reflect {}", "x".repeat(4_001)),
        format!("/reflect {emoji}"),
        "/reflect \u{7}\u{1b}".into(),
        "just some words".into(),
    ] {
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
    }
    input.extend_from_slice(b"/reflect \xff\xfe not utf-8\n");
    input.extend_from_slice("/reflect Robert'); DROP TABLE reflections;--\n/log\n".as_bytes());
    let output = mentorbot(dir.path(), &["--as", "Ana"], &input);
    assert!(output.status.success());
    let out = String::from_utf8(output.stdout).expect("utf-8");
    for expected in [
        "I don't know the command '/dance'",
        "I don't know the stage 'wizard'",
        "No tip matches 'astrology'; try one of:",
        "I can't export as 'pdf'; choose markdown, json or csv.",
        "The page must be a whole number from 1",
        "That reflection is 4001 characters; the limit is 4000. Nothing was saved.",
        "That reflection is 10000 characters",
        "That reflection is empty, so nothing was saved.",
        "Commands start with '/'.",
        "That line is not valid UTF-8 text",
        "Saved as entry #1",
        "Your development log, page 1 of 1",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM reflections").await,
        1
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT COUNT(*) FROM reflections WHERE text = 'Robert''); DROP TABLE reflections;--'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn quit_stops_reading_and_end_of_input_exits_cleanly() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = session(
        dir.path(),
        "/reflect before quitting\n/quit\n/reflect after quitting\n",
    );
    assert!(out.contains("Saved as entry #1"));
    assert!(!out.contains("entry #2"));
    assert_eq!(
        count(dir.path(), "SELECT COUNT(*) FROM reflections").await,
        1
    );
    let empty = mentorbot(dir.path(), &[], b"");
    assert!(empty.status.success());
}

#[test]
fn check_prints_the_content_counts() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = mentorbot(dir.path(), &["check"], b"");
    assert!(output.status.success());
    let out = String::from_utf8(output.stdout).expect("utf-8");
    // The counts come from the shipped library, so content edits never break this test.
    let shipped = mentorbot::content::Library::shipped().expect("the shipped content loads");
    assert!(
        out.contains(&format!("content: {}\n", shipped.summary())),
        "{out}"
    );
    assert!(shipped.tips.len() > 20 && shipped.prompts.len() > 10);
    assert!(
        !dir.path().join("mentor.db").exists(),
        "check does not create the database"
    );
}

#[test]
fn a_malformed_prompts_folder_stops_start_up_before_the_database() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let prompts = dir.path().join("my-prompts");
    std::fs::create_dir(&prompts).expect("a folder");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("prompts");
    for name in mentorbot::content::FILES {
        std::fs::copy(shipped.join(name), prompts.join(name)).expect("copied");
    }
    let tips = std::fs::read_to_string(prompts.join("tips.toml")).expect("tips");
    std::fs::write(
        prompts.join("tips.toml"),
        tips.replacen("mode = \"management\"", "mode = \"micromanagement\"", 1),
    )
    .expect("broken");
    for args in [
        vec!["--prompts", "my-prompts"],
        vec!["--prompts", "my-prompts", "check"],
    ] {
        let output = mentorbot(dir.path(), &args, b"/tip\n");
        assert!(!output.status.success(), "bad content must fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("my-prompts/tips.toml: tip 'two-sprints-ready'"),
            "{stderr}"
        );
        assert!(stderr.contains("micromanagement"), "{stderr}");
        assert!(
            !dir.path().join("mentor.db").exists(),
            "the database is never touched"
        );
    }
}

#[tokio::test]
async fn a_due_nudge_is_printed_at_the_prompt() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = session(dir.path(), "/reflect getting started\n");
    assert!(
        first.contains("Your weekly question"),
        "a new member hears about the weekly question once"
    );
    let store =
        mentorbot::store::Store::open(dir.path().join("mentor.db").to_str().expect("utf-8"))
            .await
            .expect("the store opens");
    let ana = store
        .find_member(mentorbot::platform::Platform::Terminal, "local", "Ana")
        .await
        .expect("read")
        .expect("Ana exists");
    let nudge = mentorbot::store::PlannedDelivery {
        kind: mentorbot::store::DeliveryKind::Nudge,
        recipient: mentorbot::store::Recipient::Member(ana.id),
        due_at: chrono::Utc::now().timestamp() - 30,
    };
    store.plan_delivery(&nudge).await.expect("planned");
    store.close().await;

    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mentorbot"))
        .args(["--as", "Ana"])
        .current_dir(dir.path())
        .env("DATABASE_URL", dir.path().join("mentor.db"))
        .env_remove("DISCORD_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("mentorbot starts");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let printed = tokio::time::timeout(std::time::Duration::from_secs(15), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line == "Your weekly reflection" {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(
        printed,
        Ok(true),
        "the nudge was printed while the session waited for input"
    );
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"/quit\n").await.expect("quit");
    drop(stdin);
    assert!(child.wait().await.expect("exits").success());
    let sent = count(
        dir.path(),
        "SELECT COUNT(*) FROM deliveries WHERE status = 'sent' AND message_id LIKE 'terminal-%'",
    )
    .await;
    assert_eq!(sent, 1);
}
