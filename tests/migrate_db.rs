//! `mentorbot migrate-db --to postgres://…`, run as the real binary: a SQLite community filled
//! through the terminal (and, for team tables the terminal never writes, by SQL) arrives whole
//! in PostgreSQL, ids, times and links included; a second run refuses and changes nothing.

mod support;

use std::path::Path;
use std::process::Output;

use support::{RawPool, count_rows, on_raw_pool, run_terminal};

fn mentorbot(dir: &Path, database: &str, args: &[&str], stdin: &str) -> Output {
    run_terminal(dir, database, args, stdin.as_bytes(), &[])
}

/// A small community: two members with logs, nudges, a pause, a challenge with a shared
/// check-in, and the team tables (written by SQL: the terminal has no team).
async fn populate(dir: &Path, sqlite: &str) {
    for (name, lines) in [
        (
            "Ana",
            "/stage set senior\n/reflect lead I wrote the vision memo for Q3 — draft 2\n\
             /reflect manage Cleared the sprint backlog; 'quotes' and ; semicolons\n\
             /tip\n/nudge set monday 09:30 Europe/Paris\n/nudge pause 2 weeks\n\
             /challenge start pre-mortem\n/challenge join 1\n/challenge checkin share:yes Ran it with design\n\
             /mentoring optin\n",
        ),
        (
            "Ben",
            "/stage set early\n/reflect lead Coached a new PM through her first launch\n\
             /nudge set friday 16:00 America/New_York\n/log\n",
        ),
    ] {
        let out = mentorbot(dir, sqlite, &["--as", name], lines);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let pool = RawPool::connect(Path::new(sqlite)).await;
    for sql in [
        "INSERT INTO team_prompts (platform, workspace, channel, weekday, minute_of_day, timezone, updated_at)
         VALUES ('discord', '81', '82', 2, 600, 'Europe/Berlin', 1700000000)",
        "INSERT INTO member_teams (member_id, platform, workspace, first_seen)
         SELECT id, 'discord', '81', 1700000000 FROM members",
        "INSERT INTO team_holidays (platform, workspace, first_day, last_day, name, created_at)
         VALUES ('discord', '81', '2026-12-24', '2026-12-26', 'Winter break', 1700000000)",
        "INSERT INTO mentoring_schedules (platform, workspace, every_weeks, next_round_at)
         VALUES ('discord', '81', 2, 1800000000)",
        "INSERT INTO mentoring_optins (member_id, platform, workspace, opted_in)
         SELECT id, 'discord', '81', 1 FROM members",
        "INSERT INTO weekly_prompts (member_id, week_start, prompt_id)
         SELECT id, '2026-11-23', 'one-reason-to-fail' FROM members WHERE true ON CONFLICT DO NOTHING",
        "INSERT INTO mentoring_pairs (member_id, platform, workspace, round_at, partner_id, mentors)
         VALUES (1, 'discord', '81', 1700000000, 2, 1), (2, 'discord', '81', 1700000000, 1, 0)",
        "INSERT INTO team_leaders (platform, workspace, leader_group) VALUES ('discord', '81', '83')",
        // The coach's tables, as a member with the coach on leaves them.
        "INSERT INTO coach_members (member_id, enabled_at) SELECT id, 1700000000 FROM members",
        "INSERT INTO coach_notes (member_id, entry, kind, text, created_at)
         VALUES (1, 1, 'follow_up', 'Who reads the vision memo first?', 1700000000),
                (1, NULL, 'review', '# Your review: the last 12 weeks', 1700000100)",
        "INSERT INTO coach_usage (member_id, day, calls, failures, prompt_tokens, completion_tokens, latency_ms)
         VALUES (1, '2026-11-18', 3, 1, 900, 60, 4200)",
        // The web view's, as a member signed in on the web leaves them (hashes only).
        "INSERT INTO web_links (token_hash, member_id, teams, created_at, expires_at, used_at)
         VALUES ('aa11', 1, '81', 1700000000, 1700000600, 1700000100)",
        "INSERT INTO web_sessions (token_hash, member_id, teams, csrf, created_at, expires_at)
         VALUES ('bb22', 1, '81', 'cc33', 1700000100, 1700043300)",
        "INSERT INTO deliveries (kind, target, team_id, due_at, not_before)
         SELECT 'team_prompt', 'team:' || id, id, 1800000000, 1800000000 FROM team_prompts",
    ] {
        pool.execute(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    pool.close().await;
}

async fn all_rows(db: &str, sql: &str) -> Vec<(i64, i64, i64, String)> {
    let pool = RawPool::connect(&db.to_string()).await;
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    let rows =
        on_raw_pool!(&pool, pool => sqlx::query_as(sql).fetch_all(pool).await).expect("rows");
    pool.close().await;
    rows
}

#[tokio::test]
async fn a_sqlite_community_arrives_whole_and_a_second_run_refuses() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sqlite = dir.path().join("community.db");
    let sqlite = sqlite.to_str().expect("utf-8").to_string();
    populate(dir.path(), &sqlite).await;
    let postgres = support::postgres::fresh_database("migrate_db");

    // Every table the schema has, so a new one cannot be left behind unnoticed.
    let pool = RawPool::connect(&sqlite).await;
    let RawPool::Sqlite(schema) = &pool else {
        unreachable!("the source is SQLite")
    };
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(schema)
    .await
    .expect("the schema");
    pool.close().await;
    assert!(
        tables.len() >= 19,
        "the schema query found too few: {tables:?}"
    );
    let mut before = Vec::new();
    for table in &tables {
        let rows = count_rows(&sqlite, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert!(rows > 0, "the fixture leaves {table} empty");
        before.push(rows);
    }

    let reflections = before[tables
        .iter()
        .position(|t| t == "reflections")
        .expect("reflections")];
    let out = mentorbot(dir.path(), &sqlite, &["migrate-db", "--to", &postgres], "");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("checksum verified"), "{report}");
    for (table, rows) in tables.iter().zip(&before) {
        let arrived = count_rows(&postgres, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(arrived, *rows, "{table}");
        if *table != "delivery_kinds" {
            assert!(
                report.contains(&format!("{table} ")) && report.contains(&format!("{rows} rows")),
                "{table} is reported with {rows} rows: {report}"
            );
        }
    }
    // Ids, numbers, times and text as they were, and each check-in still names its entry.
    let entries = "SELECT id, member_id, created_at, text FROM reflections ORDER BY id";
    assert_eq!(
        all_rows(&postgres, entries).await,
        all_rows(&sqlite, entries).await
    );
    let links = "SELECT k.id, k.reflection_id, r.created_at, r.text FROM challenge_checkins k
                 JOIN reflections r ON r.id = k.reflection_id ORDER BY k.id";
    let linked = all_rows(&postgres, links).await;
    assert_eq!(linked.len(), 1);
    assert_eq!(linked, all_rows(&sqlite, links).await);

    // The moved community works: Ana reads her log and writes on from where the ids were.
    let out = mentorbot(
        dir.path(),
        &postgres,
        &["--as", "Ana"],
        "/log\n/reflect Wrote the next memo\n",
    );
    let session = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(session.contains("vision memo"), "{session}");
    let newest = "SELECT id, member_id, created_at, text FROM reflections ORDER BY id DESC LIMIT 1";
    let newest = all_rows(&postgres, newest).await;
    assert_eq!(newest[0].3, "Wrote the next memo");
    assert!(
        newest[0].0 > reflections,
        "a new id follows the copied ones"
    );

    let again = mentorbot(dir.path(), &sqlite, &["migrate-db", "--to", &postgres], "");
    let refusal = String::from_utf8_lossy(&again.stderr);
    assert!(!again.status.success(), "a second run must refuse");
    assert!(refusal.contains("not empty"), "{refusal}");
    assert_eq!(
        count_rows(&postgres, "SELECT COUNT(*) FROM reflections").await,
        reflections + 1,
        "the refused run changed nothing"
    );
}

#[tokio::test]
async fn a_database_with_other_tables_is_refused_before_anything_is_created() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sqlite = dir.path().join("community.db");
    let sqlite = sqlite.to_str().expect("utf-8").to_string();
    populate(dir.path(), &sqlite).await;
    let postgres = support::postgres::fresh_database("migrate_db");
    let pool = RawPool::connect(&postgres).await;
    pool.execute("CREATE TABLE invoices (id BIGINT)")
        .await
        .expect("someone else's table");
    pool.close().await;

    let out = mentorbot(dir.path(), &sqlite, &["migrate-db", "--to", &postgres], "");
    let refusal = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(refusal.contains("invoices"), "{refusal}");
    let ours = count_rows(
        &postgres,
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'members'",
    )
    .await;
    assert_eq!(ours, 0, "no mentorbot table was created");

    let out = mentorbot(
        dir.path(),
        &sqlite,
        &["migrate-db", "--to", "mysql://root@db/x"],
        "",
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("postgres://"));

    // A mistyped source is refused, not created empty and copied.
    let typo = dir.path().join("comunity.db");
    let out = mentorbot(
        dir.path(),
        typo.to_str().expect("utf-8"),
        &["migrate-db", "--to", &postgres],
        "",
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no SQLite database"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!typo.exists(), "no file was created");

    // A table this binary does not know (a newer mentorbot's) stops the copy before it begins.
    let pool = RawPool::connect(&sqlite).await;
    pool.execute("CREATE TABLE newer_feature (id INTEGER)")
        .await
        .expect("a newer table");
    pool.close().await;
    let empty = support::postgres::fresh_database("migrate_db");
    let out = mentorbot(dir.path(), &sqlite, &["migrate-db", "--to", &empty], "");
    let refusal = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(refusal.contains("newer_feature"), "{refusal}");
    assert_eq!(
        count_rows(&empty, "SELECT COUNT(*) FROM members").await,
        0,
        "nothing was copied"
    );
}
