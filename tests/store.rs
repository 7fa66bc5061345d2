//! The store against a fresh database with the real migrations: SQLite here, PostgreSQL when
//! `store_postgres.rs` includes this file.

pub(crate) mod support;

use mentorbot::content::Mode;
use mentorbot::platform::Platform;
use mentorbot::store::{
    DeliveryKind, DeliveryStatus, Durability, Member, ModeSource, NewReflection, NewTeamPrompt,
    PlannedDelivery, Recipient, Store,
};
use support::{RawPool, TestDb};

fn entry(text: &str, mode: Mode, at: i64) -> NewReflection<'_> {
    NewReflection {
        prompt_id: None,
        text,
        mode,
        mode_source: ModeSource::Stated,
        created_at: at,
    }
}

async fn open() -> (TestDb, Store) {
    let db = TestDb::new();
    let store = db.open().await;
    (db, store)
}

/// Two members of one terminal workspace.
async fn ana_and_bo(store: &Store) -> (Member, Member) {
    let ana = store
        .ensure_member(Platform::Terminal, "w", "ana", "Ana", 0)
        .await
        .expect("ana");
    let bo = store
        .ensure_member(Platform::Terminal, "w", "bo", "Bo", 0)
        .await
        .expect("bo");
    (ana, bo)
}

#[tokio::test]
async fn opening_twice_is_harmless_and_sets_wal() {
    let (db, store) = open().await;
    let expected = if support::on_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(store.backend(), expected);
    store.close().await;
    let again = db.open().await;
    again.close().await;
    if support::on_postgres() {
        return;
    }
    let mode = support::count_rows(
        &db,
        "SELECT COUNT(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'",
    )
    .await;
    assert_eq!(mode, 1);
}

#[tokio::test]
async fn members_are_keyed_by_platform_workspace_and_user() {
    let (_db, store) = open().await;
    let a = store
        .ensure_member(Platform::Discord, "g1", "u1", "Ana", 1)
        .await
        .expect("created");
    let same = store
        .ensure_member(Platform::Discord, "g1", "u1", "Ana again", 2)
        .await
        .expect("found");
    let other_guild = store
        .ensure_member(Platform::Discord, "g2", "u1", "Ana", 3)
        .await
        .expect("created");
    let other_platform = store
        .ensure_member(Platform::Slack, "g1", "u1", "Ana", 4)
        .await
        .expect("created");
    assert_eq!(a.id, same.id);
    assert_eq!(same.display_name, "Ana");
    assert_ne!(a.id, other_guild.id);
    assert_ne!(a.id, other_platform.id);
}

#[tokio::test]
async fn entries_are_numbered_per_member_and_paged_newest_first() {
    let (_db, store) = open().await;
    let (ana, bo) = ana_and_bo(&store).await;
    for i in 0..12 {
        let saved = store
            .add_reflection(ana.id, &entry("a", Mode::Management, i))
            .await
            .expect("saved");
        assert_eq!(saved.number, i + 1);
    }
    let first_of_bo = store
        .add_reflection(bo.id, &entry("b", Mode::Leadership, 5))
        .await
        .expect("saved");
    assert_eq!(first_of_bo.number, 1);
    let page = store
        .reflections_page(ana.id, 10, 10)
        .await
        .expect("page 2");
    assert_eq!(page.iter().map(|r| r.number).collect::<Vec<_>>(), [2, 1]);
    let bulk = [
        entry("c", Mode::Leadership, 20),
        entry("d", Mode::Leadership, 21),
    ];
    store.add_reflections(ana.id, &bulk).await.expect("bulk");
    let all = store.all_reflections(ana.id).await.expect("all");
    assert_eq!(all.len(), 14);
    let mut paged = store
        .reflections_page(ana.id, 100, 0)
        .await
        .expect("one big page");
    paged.reverse();
    assert_eq!(
        all, paged,
        "the whole log matches the paged query field for field"
    );
    assert_eq!(all.last().map(|r| r.number), Some(14));
    let since = store.mode_counts_since(ana.id, 11).await.expect("counts");
    assert_eq!((since.management, since.leadership), (1, 2));
}

#[tokio::test]
async fn a_streak_reads_its_reflections_pauses_and_holidays_together() {
    let (_db, store) = open().await;
    let ana = store
        .ensure_member(Platform::Discord, "g1", "u1", "Ana", 1)
        .await
        .expect("created");
    let bo = store
        .ensure_member(Platform::Discord, "g1", "u2", "Bo", 1)
        .await
        .expect("created");
    let empty = store.streak_inputs(ana.id, 0).await.expect("read");
    assert_eq!(empty, Default::default());

    // Two entries in one 15-minute slot count once; one before `since` not at all.
    for at in [100, 9_000, 9_100, 20_000] {
        store
            .add_reflection(ana.id, &entry("a", Mode::Management, at))
            .await
            .expect("saved");
    }
    store
        .add_reflection(bo.id, &entry("b", Mode::Leadership, 30_000))
        .await
        .expect("saved");
    store
        .ensure_nudge_settings(ana.id, 1)
        .await
        .expect("settings");
    store
        .pause_nudges(ana.id, 50_000, 60_000)
        .await
        .expect("paused");
    store
        .pause_nudges(ana.id, 10_000, 12_000)
        .await
        .expect("paused");
    store
        .seen_in_team(ana.id, Platform::Discord, "g1", 1, Durability::Synced)
        .await
        .expect("noted");
    let holiday = |first: &str, last: &str| mentorbot::store::Holiday {
        first_day: first.into(),
        last_day: last.into(),
        name: "Break".into(),
    };
    for (workspace, first, last) in [
        ("g1", "2026-12-24", "2026-12-26"),
        ("g1", "2026-08-03", "2026-08-07"),
        ("g2", "2026-01-01", "2026-01-01"),
    ] {
        store
            .add_holiday(Platform::Discord, workspace, &holiday(first, last), 1)
            .await
            .expect("added");
    }

    let mut inputs = store.streak_inputs(ana.id, 1_000).await.expect("read");
    inputs.slots.sort();
    assert_eq!(inputs.slots, vec![10, 22]);
    assert_eq!(inputs.pauses, vec![(10_000, 12_000), (50_000, 60_000)]);
    assert_eq!(
        inputs.holidays,
        vec![
            ("2026-08-03".to_string(), "2026-08-07".to_string()),
            ("2026-12-24".to_string(), "2026-12-26".to_string()),
        ]
    );
    // Bo is in no team and never paused.
    let theirs = store.streak_inputs(bo.id, 0).await.expect("read");
    assert_eq!(theirs.slots, vec![33]);
    assert!(theirs.pauses.is_empty() && theirs.holidays.is_empty());
}

#[tokio::test]
async fn the_schema_refuses_an_unknown_mode() {
    let (db, store) = open().await;
    let ana = store
        .ensure_member(Platform::Terminal, "w", "ana", "Ana", 0)
        .await
        .expect("ana");
    let pool = RawPool::connect(&db).await;
    let refused = pool
        .execute(&format!(
            "INSERT INTO reflections (member_id, number, text, mode, mode_source, created_at)
             VALUES ({}, 1, 'x', 'wizardry', 'stated', 0)",
            ana.id
        ))
        .await;
    pool.close().await;
    assert!(
        refused.is_err(),
        "the CHECK refuses a mode mentorbot does not know"
    );
    assert!(
        store
            .all_reflections(ana.id)
            .await
            .expect("read")
            .is_empty()
    );
}

#[tokio::test]
async fn text_with_sql_metacharacters_is_stored_verbatim() {
    let (_db, store) = open().await;
    let ana = store
        .ensure_member(
            Platform::Terminal,
            "w",
            "ana'); DROP TABLE members;--",
            "Ana",
            0,
        )
        .await
        .expect("ana");
    let text = "Robert'); DROP TABLE reflections;-- \" % _ \\ ; \u{1F680} \n\t\u{200B}";
    store
        .add_reflection(ana.id, &entry(text, Mode::Leadership, 0))
        .await
        .expect("saved");
    let all = store.all_reflections(ana.id).await.expect("read");
    assert_eq!(all[0].text, text);
}

#[tokio::test]
async fn forget_removes_every_row_about_the_member_and_only_theirs() {
    let (db, store) = open().await;
    let (ana, bo) = ana_and_bo(&store).await;
    let challenge = store
        .create_challenge(
            &mentorbot::store::NewChallenge {
                platform: Platform::Terminal,
                workspace: "w",
                channel: "c",
                library_id: None,
                title: "t",
                goal: "g",
                check_in: "c",
                done_when: "d",
                starts_at: 0,
                ends_at: 100,
            },
            0,
        )
        .await
        .expect("a challenge");
    for who in [ana.id, bo.id] {
        let reflection = store
            .add_reflection(who, &entry("x", Mode::Leadership, 0))
            .await
            .expect("saved");
        store
            .join_challenge(challenge.id, who, 0)
            .await
            .expect("joined");
        store
            .seen_in_team(who, Platform::Terminal, "w", 0, Durability::Synced)
            .await
            .expect("seen");
        store
            .add_check_in(challenge.id, who, reflection.id, true, 0)
            .await
            .expect("checked in");
        store
            .record_tip_view(who, "press-release-first", 0)
            .await
            .expect("viewed");
        store
            .weekly_prompt(who, "2026-11-16", "might-fail")
            .await
            .expect("chosen");
        store.ensure_nudge_settings(who, 0).await.expect("settings");
        store.pause_nudges(who, 0, 100).await.expect("paused");
        store.set_coach(who, true, 0).await.expect("coach on");
        store
            .add_coach_note(who, Some(reflection.number), "follow_up", "Why?", 0)
            .await
            .expect("a note");
        let call = mentorbot::store::CoachCall::default();
        store
            .count_coach_call(who, "2026-11-16", call)
            .await
            .expect("counted");
        let planned = PlannedDelivery {
            kind: DeliveryKind::Nudge,
            recipient: Recipient::Member(who),
            due_at: 50,
        };
        assert!(store.plan_delivery(&planned).await.expect("planned"));
        assert!(
            !store.plan_delivery(&planned).await.expect("planned twice"),
            "the natural key makes a second plan harmless"
        );
    }
    for who in [ana.id, bo.id] {
        store
            .set_mentoring_optin(who, Platform::Terminal, "w", true)
            .await
            .expect("opted in");
    }
    store
        .set_mentoring_schedule(Platform::Terminal, "w", 1, 0)
        .await
        .expect("rounds");
    let schedule = mentorbot::store::MentoringSchedule {
        platform: Platform::Terminal,
        workspace: "w".into(),
        every_weeks: 1,
        next_round_at: 0,
    };
    let pairs = [
        mentorbot::store::Pairing {
            member_id: ana.id,
            partner_id: Some(bo.id),
            mentors: true,
        },
        mentorbot::store::Pairing {
            member_id: bo.id,
            partner_id: Some(ana.id),
            mentors: false,
        },
    ];
    assert!(
        store
            .save_mentoring_round(&schedule, &pairs)
            .await
            .expect("a round")
    );
    for who in [ana.id, bo.id] {
        let hash = format!("hash-of-{who}");
        store
            .add_web_link(who, &hash, "w", 0, 600)
            .await
            .expect("a link");
        store
            .add_web_session(who, &hash, ("w", "csrf"), 0, 3600)
            .await
            .expect("a session");
    }
    let removed = store.forget_member(ana.id).await.expect("forgotten");
    assert_eq!(removed, 18);
    for table in support::member_tables(&db).await {
        let mine = support::count_rows(
            &db,
            &format!("SELECT COUNT(*) FROM {table} WHERE member_id = {}", ana.id),
        )
        .await;
        let theirs = support::count_rows(
            &db,
            &format!("SELECT COUNT(*) FROM {table} WHERE member_id = {}", bo.id),
        )
        .await;
        assert_eq!(
            mine, 0,
            "{table} still holds rows about the forgotten member"
        );
        assert_eq!(theirs, 1, "{table} lost rows of another member");
    }
    assert_eq!(
        support::count_rows(&db, "SELECT COUNT(*) FROM members").await,
        1
    );
}

#[tokio::test]
async fn a_write_for_a_member_forgotten_meanwhile_fails_as_such_and_spoils_no_other_write() {
    let (_db, store) = open().await;
    let (ana, bo) = ana_and_bo(&store).await;
    store.forget_member(ana.id).await.expect("forgotten");
    // At once, so on SQLite they share a group commit: Ana's fail, Bo's is kept.
    let (late, on_time) = (
        entry("late", Mode::Leadership, 5),
        entry("kept", Mode::Management, 5),
    );
    let (reflected, tipped, kept) = tokio::join!(
        store.add_reflection(ana.id, &late),
        store.record_tip_view(ana.id, "tip", 5),
        store.add_reflection(bo.id, &on_time),
    );
    let reflected = reflected.expect_err("a reflection for a forgotten member");
    assert!(
        mentorbot::store::is_about_a_forgotten_member(&reflected),
        "{reflected:#}"
    );
    let tipped = tipped.expect_err("a tip view for a forgotten member");
    assert!(
        mentorbot::store::is_about_a_forgotten_member(&tipped),
        "{tipped:#}"
    );
    assert_eq!(kept.expect("Bo's reflection").number, 1);
    let log = store
        .reflections_page(bo.id, 10, 0)
        .await
        .expect("Bo's log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].text, "kept");
}

#[tokio::test]
async fn planning_for_a_forgotten_member_is_skipped_without_failing_the_rest() {
    let (_db, store) = open().await;
    let ana = store
        .ensure_member(Platform::Terminal, "w", "ana", "Ana", 0)
        .await
        .expect("ana");
    let gone = PlannedDelivery {
        kind: DeliveryKind::Nudge,
        recipient: Recipient::Member(999),
        due_at: 10,
    };
    let kept = PlannedDelivery {
        kind: DeliveryKind::Nudge,
        recipient: Recipient::Member(ana.id),
        due_at: 10,
    };
    assert_eq!(
        store.plan_deliveries(&[gone, kept]).await.expect("planned"),
        1
    );
}

/// The quoted values of `column IN ('a', 'b')` in a table's CHECK, from the live schema.
async fn check_list(db: &TestDb, table: &str, column: &str) -> Vec<String> {
    let pool = RawPool::connect(db).await;
    let checks: Vec<String> = match &pool {
        RawPool::Sqlite(pool) => {
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = $1")
                .bind(table)
                .fetch_all(pool)
                .await
        }
        RawPool::Postgres(pool) => {
            sqlx::query_scalar(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint
                 WHERE conrelid = $1::regclass AND contype = 'c'",
            )
            .bind(table)
            .fetch_all(pool)
            .await
        }
    }
    .expect("the table exists");
    pool.close().await;
    // SQLite keeps `column IN ('a', 'b')`; PostgreSQL shows `(column = ANY (ARRAY['a'::text, …]))`.
    let found = checks.iter().find_map(|sql| {
        [format!("{column} IN ("), format!("({column} = ANY (ARRAY[")]
            .iter()
            .find_map(|start| sql.find(start.as_str()).map(|at| &sql[at + start.len()..]))
    });
    let list = found.unwrap_or_else(|| panic!("{table} has a CHECK on {column}: {checks:?}"));
    let list = &list[..list.find([')', ']']).expect("the list ends")];
    let mut values: Vec<String> = list
        .split(',')
        .map(|value| {
            let value = value.trim();
            let value = value.strip_suffix("::text").unwrap_or(value);
            value.trim_matches('\'').to_string()
        })
        .collect();
    values.sort();
    values
}

fn sorted(values: impl IntoIterator<Item = &'static str>) -> Vec<String> {
    let mut values: Vec<String> = values.into_iter().map(str::to_string).collect();
    values.sort();
    values
}

#[tokio::test]
async fn every_stored_enum_matches_what_the_schema_allows() {
    let (db, store) = open().await;
    assert_eq!(
        store.stored_delivery_kinds().await.expect("kinds"),
        sorted(DeliveryKind::ALL.map(DeliveryKind::as_str)),
        "a delivery kind needs a variant, a handler and a migration line"
    );
    assert_eq!(
        check_list(&db, "deliveries", "status").await,
        sorted(DeliveryStatus::ALL.map(DeliveryStatus::as_str))
    );
    assert_eq!(
        check_list(&db, "reflections", "mode").await,
        sorted(Mode::ALL.map(Mode::as_str))
    );
    assert_eq!(
        check_list(&db, "reflections", "mode_source").await,
        sorted(ModeSource::ALL.map(ModeSource::as_str))
    );
}

#[tokio::test]
async fn every_delivery_kind_is_written_and_read_back_as_itself() {
    let (_db, store) = open().await;
    let ana = store
        .ensure_member(Platform::Discord, "global", "ana", "Ana", 0)
        .await
        .expect("ana");
    assert_eq!(ana.platform, Platform::Discord);
    let team = store
        .set_team_prompt(
            &NewTeamPrompt {
                platform: Platform::Slack,
                workspace: "T1",
                channel: "C1",
                weekday: 2,
                minute_of_day: 600,
                timezone: "UTC",
            },
            0,
        )
        .await
        .expect("a team question");
    assert_eq!(team.platform, Platform::Slack);
    let challenge = store
        .create_challenge(
            &mentorbot::store::NewChallenge {
                platform: Platform::Slack,
                workspace: "T1",
                channel: "C1",
                library_id: None,
                title: "t",
                goal: "g",
                check_in: "c",
                done_when: "d",
                starts_at: 0,
                ends_at: 100,
            },
            0,
        )
        .await
        .expect("a challenge");
    let planned: Vec<PlannedDelivery> = DeliveryKind::ALL
        .into_iter()
        .map(|kind| PlannedDelivery {
            kind,
            recipient: match kind {
                DeliveryKind::TeamPrompt => Recipient::Team(team.id),
                DeliveryKind::Nudge
                | DeliveryKind::Reminder
                | DeliveryKind::MentoringIntro
                | DeliveryKind::MentoringFollowUp => Recipient::Member(ana.id),
                DeliveryKind::ChallengeKickoff | DeliveryKind::ChallengeDigest => {
                    Recipient::Challenge(challenge.id)
                }
                DeliveryKind::ChallengeReminder => Recipient::Participant {
                    challenge: challenge.id,
                    member: ana.id,
                },
            },
            due_at: 10,
        })
        .collect();
    assert_eq!(
        store.plan_deliveries(&planned).await.expect("planned"),
        DeliveryKind::ALL.len() as u64
    );
    let claimed = store
        .claim_due("a", 20, 15, 10, &Platform::ALL, None)
        .await
        .expect("claimed");
    let mut kinds: Vec<DeliveryKind> = claimed.iter().map(|d| d.kind).collect();
    kinds.sort_by_key(|kind| kind.as_str());
    let mut expected = DeliveryKind::ALL.to_vec();
    expected.sort_by_key(|kind| kind.as_str());
    assert_eq!(kinds, expected);
    for delivery in claimed {
        let expected = planned
            .iter()
            .find(|p| p.kind == delivery.kind)
            .expect("planned");
        assert_eq!(delivery.recipient, expected.recipient);
    }
}

#[tokio::test]
async fn a_database_from_before_typed_kinds_opens_and_keeps_its_outbox() {
    if support::on_postgres() {
        return; // PostgreSQL databases began with the typed kinds.
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shipped = dir.path().join("shipped");
    std::fs::create_dir(&shipped).expect("a folder");
    for name in ["0001_members_and_log.sql", "0002_nudges_and_deliveries.sql"] {
        std::fs::copy(
            std::path::Path::new("migrations/sqlite").join(name),
            shipped.join(name),
        )
        .expect("copied");
    }
    let path = dir.path().join("old.db");
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true),
        )
        .await
        .expect("an old database");
    sqlx::migrate::Migrator::new(shipped.as_path())
        .await
        .expect("the first two migrations")
        .run(&pool)
        .await
        .expect("applied");
    for sql in [
        "INSERT INTO members (id, platform, workspace, user_id, display_name, created_at)
         VALUES (1, 'discord', 'global', '42', 'Ana', 0)",
        "INSERT INTO deliveries (kind, target, member_id, due_at, status, not_before, message_id)
         VALUES ('nudge', 'member:1', 1, 100, 'sent', 100, '9001')",
        "INSERT INTO deliveries (kind, target, member_id, due_at, status, not_before, message_id)
         VALUES ('reminder', 'member:1', 1, 200, 'sent', 200, '')",
        "INSERT INTO deliveries (kind, target, member_id, due_at, not_before)
         VALUES ('nudge', 'member:1', 1, 300, 300)",
    ] {
        sqlx::query(sql).execute(&pool).await.expect("an old row");
    }
    pool.close().await;

    let store = Store::open(path.to_str().expect("utf-8"))
        .await
        .expect("the old database opens and migrates");
    let count = |sql: &'static str| support::count_rows(&path, sql);
    assert_eq!(count("SELECT COUNT(*) FROM deliveries").await, 3);
    assert_eq!(
        count("SELECT COUNT(*) FROM deliveries WHERE message_id = '9001'").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM deliveries WHERE message_id = ''").await,
        0,
        "an empty message id is no id"
    );
    let pending = store
        .claim_due("a", 400, 15, 10, &Platform::ALL, None)
        .await
        .expect("claimed");
    assert_eq!(pending.len(), 1);
    assert_eq!(
        (pending[0].kind, pending[0].recipient),
        (DeliveryKind::Nudge, Recipient::Member(1))
    );
}

#[tokio::test]
async fn the_built_in_migrations_are_the_files_as_sqlx_would_read_them() {
    use mentorbot::store::migrations;
    for (folder, built_in) in [
        ("migrations/sqlite", migrations::SQLITE),
        ("migrations/postgres", migrations::POSTGRES),
    ] {
        let summary = |migrator: sqlx::migrate::Migrator| -> Vec<_> {
            migrator
                .iter()
                .map(|m| {
                    (
                        m.version,
                        m.description.to_string(),
                        m.checksum.to_vec(),
                        m.no_tx,
                    )
                })
                .collect()
        };
        let from_files = sqlx::migrate::Migrator::new(std::path::Path::new(folder))
            .await
            .expect("the folder's migrations");
        let embedded = migrations::migrator(built_in).await.expect("built in");
        let (mut from_files, embedded) = (summary(from_files), summary(embedded));
        // The built-in list is applied in the order of versions, as the folder's would be.
        from_files.sort();
        assert!(from_files.len() >= 3, "{folder}");
        assert_eq!(
            embedded, from_files,
            "a file in {folder} is missing from store::migrations"
        );
    }
}

#[tokio::test]
async fn a_stored_word_outside_the_vocabulary_is_an_error_that_names_it() {
    let (db, store) = open().await;
    let pool = RawPool::connect(&db).await;
    let read: Result<Platform, sqlx::Error> = match &pool {
        RawPool::Sqlite(pool) => sqlx::query_scalar("SELECT 'irc'").fetch_one(pool).await,
        RawPool::Postgres(pool) => {
            sqlx::query_scalar("SELECT CAST('irc' AS TEXT)")
                .fetch_one(pool)
                .await
        }
    };
    let error = read.expect_err("not a platform").to_string();
    assert!(error.contains("\"irc\" is not a known Platform"), "{error}");
    let mode: Result<Mode, sqlx::Error> = match &pool {
        RawPool::Sqlite(pool) => {
            sqlx::query_scalar("SELECT 'leadership'")
                .fetch_one(pool)
                .await
        }
        RawPool::Postgres(pool) => {
            sqlx::query_scalar("SELECT CAST('leadership' AS TEXT)")
                .fetch_one(pool)
                .await
        }
    };
    assert_eq!(mode.expect("a mode"), Mode::Leadership);
    pool.close().await;
    store.close().await;
}
