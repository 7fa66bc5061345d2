//! The mentor core through its public API, on a real SQLite file and a manual clock.

mod support;

use std::collections::HashSet;

use chrono::{Duration, TimeZone, Utc};
use mentorbot::error::Error;
use mentorbot::mentor::export::{CSV_HEADER, ExportedEntry, ExportedLog};
use mentorbot::mentor::{
    Action, Command, ExportFormat, ForgetStep, MemberRef, Mentor, NudgeCommand, Reply,
};
use support::{RawPool, count_rows, member, on_raw_pool, test_mentor};

async fn run(mentor: &Mentor, who: &MemberRef, command: Command) -> Reply {
    mentor
        .handle(who, command.clone())
        .await
        .unwrap_or_else(|e| panic!("{command:?} failed: {e}"))
}

async fn user_error(mentor: &Mentor, who: &MemberRef, command: Command) -> String {
    match mentor.handle(who, command.clone()).await {
        Err(Error::User(message)) => message,
        other => panic!("expected a user error for {command:?}, got {other:?}"),
    }
}

fn field<'a>(reply: &'a Reply, name: &str) -> &'a str {
    reply
        .fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no field {name} in {reply:?}"))
}

fn reflect(text: &str) -> Command {
    Command::Reflect {
        text: Some(text.to_string()),
        mode: None,
    }
}

async fn reflections(t: &support::TestMentor) -> i64 {
    count_rows(&t.db, "SELECT COUNT(*) FROM reflections").await
}

#[tokio::test]
async fn a_topic_tip_matches_the_topic_and_the_stage() {
    let t = test_mentor().await;
    let ana = member("ana");
    run(
        &t.mentor,
        &ana,
        Command::StageSet {
            stage: "director".into(),
        },
    )
    .await;
    for (query, topic) in [
        ("storytelling", "storytelling"),
        ("story", "storytelling"),
        ("delegation", "delegation"),
        ("Risk", "risk"),
    ] {
        let reply = run(
            &t.mentor,
            &ana,
            Command::Tip {
                query: Some(query.into()),
            },
        )
        .await;
        let tip = t
            .mentor
            .library()
            .tips
            .iter()
            .find(|tip| tip.title == reply.title)
            .expect("a library tip");
        assert!(tip.topics.iter().any(|t| t == topic), "{query}: {tip:?}");
        assert!(
            tip.stages.iter().any(|s| s == "director"),
            "{query}: {} does not fit a director",
            tip.id
        );
    }
    let words = run(
        &t.mentor,
        &ana,
        Command::Tip {
            query: Some("how do I write a press release".into()),
        },
    )
    .await;
    assert!(
        words.title.to_lowercase().contains("press release"),
        "{}",
        words.title
    );
}

#[tokio::test]
async fn no_match_lists_the_topics_and_bad_queries_are_refused() {
    let t = test_mentor().await;
    let ana = member("ana");
    let message = user_error(
        &t.mentor,
        &ana,
        Command::Tip {
            query: Some("xyzzy".into()),
        },
    )
    .await;
    assert!(
        message.starts_with("No tip matches 'xyzzy'; try one of:"),
        "{message}"
    );
    assert!(message.contains("storytelling") && message.contains("delegation"));
    let message = user_error(
        &t.mentor,
        &ana,
        Command::Tip {
            query: Some("a".repeat(500)),
        },
    )
    .await;
    assert!(message.contains("500 characters"), "{message}");
}

#[tokio::test]
async fn tips_without_a_topic_do_not_repeat_until_the_stage_is_exhausted() {
    let t = test_mentor().await;
    let ana = member("ana");
    run(
        &t.mentor,
        &ana,
        Command::StageSet {
            stage: "senior".into(),
        },
    )
    .await;
    let fitting = t
        .mentor
        .library()
        .tips
        .iter()
        .filter(|tip| tip.stages.iter().any(|s| s == "senior"))
        .count();
    let mut seen = HashSet::new();
    for _ in 0..fitting {
        t.clock.advance(Duration::minutes(1));
        let reply = run(&t.mentor, &ana, Command::Tip { query: None }).await;
        assert!(
            seen.insert(reply.title.clone()),
            "repeated '{}' after {} tips",
            reply.title,
            seen.len()
        );
    }
    t.clock.advance(Duration::minutes(1));
    let again = run(&t.mentor, &ana, Command::Tip { query: None }).await;
    assert!(
        seen.contains(&again.title),
        "after the stage is exhausted, the oldest comes back"
    );
}

#[tokio::test]
async fn tips_lean_toward_the_weaker_side_of_the_balance() {
    let t = test_mentor().await;
    let ana = member("ana");
    run(
        &t.mentor,
        &ana,
        Command::StageSet {
            stage: "principal".into(),
        },
    )
    .await;
    for i in 0..6 {
        let text = format!("management: sprint {i} went fine");
        run(
            &t.mentor,
            &ana,
            mentorbot::mentor::command::parse(&format!("/reflect {text}")).expect("parses"),
        )
        .await;
    }
    for _ in 0..5 {
        let reply = run(&t.mentor, &ana, Command::Tip { query: None }).await;
        assert!(field(&reply, "Hat").starts_with("Leadership"), "{reply:?}");
        assert!(field(&reply, "Why this tip").contains("leaning toward leadership"));
    }
}

#[tokio::test]
async fn hat_explains_its_answer_and_refuses_empty_situations() {
    let t = test_mentor().await;
    let ana = member("ana");
    let reply = run(
        &t.mentor,
        &ana,
        Command::Hat {
            situation: "Grooming the backlog in Jira before sprint planning".into(),
        },
    )
    .await;
    assert!(reply.title.contains("manager"), "{}", reply.title);
    assert!(field(&reply, "Tools").contains("'jira'"));
    assert!(!field(&reply, "Next step").is_empty());
    let reply = run(
        &t.mentor,
        &ana,
        Command::Hat {
            situation: "Pitching the vision for a new market to the exec team".into(),
        },
    )
    .await;
    assert!(reply.title.contains("leader"), "{}", reply.title);
    let unclear = run(
        &t.mentor,
        &ana,
        Command::Hat {
            situation: "lunch on Tuesday".into(),
        },
    )
    .await;
    assert!(unclear.title.contains("can't tell"), "{}", unclear.title);
    let sheet = run(
        &t.mentor,
        &ana,
        Command::Hat {
            situation: "  \u{7} ".into(),
        },
    )
    .await;
    assert_eq!(sheet.title, "Manage or lead? The cheat sheet");
    assert!(field(&sheet, "Success metric").contains("Lead:"));
    assert!(field(&sheet, "Try it").contains("Describe the situation"));
}

#[tokio::test]
async fn stage_shows_focus_and_can_be_set_by_alias() {
    let t = test_mentor().await;
    let ana = member("ana");
    let before = run(&t.mentor, &ana, Command::Stage).await;
    assert!(before.text.contains("not chosen a stage"));
    assert!(before.private);
    let set = run(
        &t.mentor,
        &ana,
        Command::StageSet {
            stage: "Group PM".into(),
        },
    )
    .await;
    assert_eq!(set.title, "Stage set: Principal / Group PM");
    let after = run(&t.mentor, &ana, Command::Stage).await;
    assert_eq!(
        field(&after, "Target mix"),
        "30% management · 70% leadership"
    );
    assert!(field(&after, "Next actions").lines().count() >= 3);
    let message = user_error(
        &t.mentor,
        &ana,
        Command::StageSet {
            stage: "wizard".into(),
        },
    )
    .await;
    assert!(
        message.contains("I don't know the stage 'wizard'")
            && message.contains("senior (Senior PM)"),
        "{message}"
    );
}

#[tokio::test]
async fn a_reflection_is_saved_numbered_and_answered_with_a_follow_up() {
    let t = test_mentor().await;
    let ana = member("ana");
    let first = run(
        &t.mentor,
        &ana,
        reflect("Shipped the release on time and closed every bug in Jira"),
    )
    .await;
    assert_eq!(first.title, "Saved as entry #1 in your development log");
    assert_eq!(first.text, "A free-standing note.");
    assert!(field(&first, "Mode").starts_with("management, suggested from"));
    let stated = run(
        &t.mentor,
        &ana,
        Command::Reflect {
            text: Some("Shipped the release".into()),
            mode: Some(mentorbot::content::Mode::Leadership),
        },
    )
    .await;
    assert_eq!(stated.title, "Saved as entry #2 in your development log");
    assert_eq!(field(&stated, "Mode"), "leadership (as you said)");
    let rows = count_rows(
        &t.db,
        "SELECT COUNT(*) FROM reflections WHERE mode = 'leadership' AND mode_source = 'stated'",
    )
    .await;
    assert_eq!(rows, 1);
}

#[tokio::test]
async fn a_shown_prompt_is_answered_once_then_notes_are_free_standing() {
    let t = test_mentor().await;
    let ana = member("ana");
    let shown = run(
        &t.mentor,
        &ana,
        Command::Reflect {
            text: None,
            mode: None,
        },
    )
    .await;
    assert_eq!(shown.buttons[0].action, Action::AnswerPrompt);
    let prompt = t
        .mentor
        .library()
        .prompts
        .iter()
        .find(|p| p.question == shown.text)
        .expect("a library prompt");
    let answer = run(
        &t.mentor,
        &ana,
        reflect("The vendor integration could slip"),
    )
    .await;
    assert_eq!(answer.text, format!("Your answer to: {}", prompt.question));
    assert_eq!(field(&answer, "To think about next"), prompt.follow_up);
    let stored = count_rows(
        &t.db,
        &format!(
            "SELECT COUNT(*) FROM reflections WHERE prompt_id = '{}'",
            prompt.id
        ),
    )
    .await;
    assert_eq!(stored, 1);
    let note = run(&t.mentor, &ana, reflect("Another thought")).await;
    assert_eq!(note.text, "A free-standing note.");
    let done = run(
        &t.mentor,
        &ana,
        Command::Reflect {
            text: None,
            mode: None,
        },
    )
    .await;
    assert!(done.title.contains("answered this week's prompt"));
}

/// At the turn of a week, each member answers their own week's prompt, however far their zone is
/// from UTC: on Sunday at 11:00 UTC, Monday has begun at UTC+14 and Sunday has just begun at
/// UTC-11.
#[tokio::test]
async fn at_the_turn_of_a_week_each_member_answers_their_own_weeks_prompt() {
    let t = test_mentor().await;
    let sunday = Utc.with_ymd_and_hms(2026, 11, 22, 11, 0, 0).single();
    t.clock.set(sunday.expect("a valid time"));
    for (name, zone) in [
        ("kiri", "Pacific/Kiritimati"),
        ("pago", "Pacific/Pago_Pago"),
        ("utc", "UTC"),
    ] {
        let who = member(name);
        let zone_set = Command::Nudge(NudgeCommand::Set {
            day: "Friday".into(),
            time: "09:00".into(),
            zone: Some(zone.into()),
        });
        run(&t.mentor, &who, zone_set).await;
        let shown = run(
            &t.mentor,
            &who,
            Command::Reflect {
                text: None,
                mode: None,
            },
        )
        .await;
        let answer = run(&t.mentor, &who, reflect("A risk I had not named")).await;
        assert_eq!(
            answer.text,
            format!("Your answer to: {}", shown.text),
            "in {zone}"
        );
        let note = run(&t.mentor, &who, reflect("Another thought")).await;
        assert_eq!(note.text, "A free-standing note.", "in {zone}");
    }
    let weeks: Vec<(String, String)> = {
        let pool = RawPool::connect(&t.db).await;
        on_raw_pool!(&pool, pool => sqlx::query_as(
            "SELECT m.user_id, w.week_start FROM weekly_prompts w
             JOIN members m ON m.id = w.member_id ORDER BY m.user_id",
        )
        .fetch_all(pool)
        .await)
        .expect("the weeks")
    };
    let expected = [
        ("kiri", "2026-11-23"),
        ("pago", "2026-11-16"),
        ("utc", "2026-11-16"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(who, week)| (who.to_string(), week.to_string()))
        .collect();
    assert_eq!(weeks, expected);
}

#[tokio::test]
async fn weekly_prompts_do_not_repeat_until_the_library_is_exhausted() {
    let t = test_mentor().await;
    let ana = member("ana");
    // This member never answers, so prompts that follow up on an answer are never due; they
    // have not chosen a stage, so they get the first stage's questions.
    let first_stage = t.mentor.library().first_stage().id.clone();
    let total = t
        .mentor
        .library()
        .prompts
        .iter()
        .filter(|p| p.follows_up.is_none() && p.stages.contains(&first_stage))
        .count();
    let mut seen = HashSet::new();
    for _ in 0..total {
        let shown = run(
            &t.mentor,
            &ana,
            Command::Reflect {
                text: None,
                mode: None,
            },
        )
        .await;
        assert!(
            seen.insert(shown.text.clone()),
            "'{}' repeated after {} weeks",
            shown.text,
            seen.len()
        );
        let same_week = run(
            &t.mentor,
            &ana,
            Command::Reflect {
                text: None,
                mode: None,
            },
        )
        .await;
        assert_eq!(
            same_week.text, shown.text,
            "the prompt stays put within a week"
        );
        t.clock.advance(Duration::weeks(1));
    }
    let next = run(
        &t.mentor,
        &ana,
        Command::Reflect {
            text: None,
            mode: None,
        },
    )
    .await;
    assert!(seen.contains(&next.text));
}

#[tokio::test]
async fn bad_reflections_are_refused_and_nothing_is_stored() {
    let t = test_mentor().await;
    let ana = member("ana");
    for text in ["", "   \n\t ", "\u{7}\u{1b}\u{0}"] {
        let message = user_error(&t.mentor, &ana, reflect(text)).await;
        assert!(message.contains("empty, so nothing was saved"), "{message}");
    }
    let message = user_error(&t.mentor, &ana, reflect(&"a".repeat(4_001))).await;
    assert!(
        message.contains("4001 characters; the limit is 4000. Nothing was saved."),
        "{message}"
    );
    let message = user_error(&t.mentor, &ana, reflect(&"🚀".repeat(10_000))).await;
    assert!(message.contains("10000 characters"), "{message}");
    assert_eq!(reflections(&t).await, 0);

    run(&t.mentor, &ana, reflect(&"é".repeat(4_000))).await;
    run(&t.mentor, &ana, reflect("bell\u{7} and\u{1b}[31m escape")).await;
    let tricky = "'; DROP TABLE reflections; -- \"quoted\" 100% _under_ \\back";
    run(&t.mentor, &ana, reflect(tricky)).await;
    let texts: Vec<String> = t
        .mentor
        .store()
        .all_reflections(1)
        .await
        .expect("read")
        .into_iter()
        .map(|r| r.text)
        .collect();
    // A control character between two words leaves one space, never glued words.
    assert_eq!(texts[1], "bell and [31m escape");
    assert_eq!(texts[2], tricky);
}

#[tokio::test]
async fn the_log_pages_newest_first_with_buttons_and_totals() {
    let t = test_mentor().await;
    let ana = member("ana");
    assert!(
        run(&t.mentor, &ana, Command::Log { page: 1 })
            .await
            .text
            .contains("empty")
    );
    for i in 1..=25 {
        let mode = if i % 5 == 0 {
            "leadership"
        } else {
            "management"
        };
        run(
            &t.mentor,
            &ana,
            mentorbot::mentor::command::parse(&format!(
                "/reflect {mode}: entry {i} @everyone <@123>"
            ))
            .expect("parses"),
        )
        .await;
    }
    let first = run(&t.mentor, &ana, Command::Log { page: 1 }).await;
    assert_eq!(first.title, "Your development log, page 1 of 3");
    assert_eq!(
        first.text,
        "25 entries: 20 management · 5 leadership (20% leadership).\nStreak: 1 week: keep it going next week."
    );
    assert_eq!(first.fields.len(), 10);
    assert!(
        first.fields[0]
            .name
            .starts_with("#25 · 18 Nov 2026 · leadership")
    );
    assert!(
        !first.fields[0].value.contains("@everyone") && !first.fields[0].value.contains("<@123>")
    );
    assert_eq!(
        first.buttons.iter().map(|b| b.action).collect::<Vec<_>>(),
        [Action::LogPage(2)]
    );
    let last = t
        .mentor
        .press(&ana, Action::LogPage(3))
        .await
        .expect("page 3");
    assert_eq!(last.fields.len(), 5);
    assert_eq!(
        last.buttons.iter().map(|b| b.action).collect::<Vec<_>>(),
        [Action::LogPage(2)]
    );
    assert!(
        user_error(&t.mentor, &ana, Command::Log { page: 4 })
            .await
            .contains("no page 4: your log has 3 pages")
    );
}

async fn export(t: &support::TestMentor, who: &MemberRef, format: ExportFormat) -> String {
    let reply = run(&t.mentor, who, Command::Export { format }).await;
    let attachment = reply.attachment.expect("an attachment");
    String::from_utf8(attachment.data).expect("utf-8")
}

async fn three_months_of_entries(t: &support::TestMentor, who: &MemberRef) {
    run(
        &t.mentor,
        who,
        Command::StageSet {
            stage: "senior".into(),
        },
    )
    .await;
    run(
        &t.mentor,
        who,
        Command::Reflect {
            text: None,
            mode: None,
        },
    )
    .await;
    run(
        &t.mentor,
        who,
        reflect("Line one, \"quoted\"\nline two; with a comma, and 'apostrophes'"),
    )
    .await;
    for (days, text) in [
        (20, "leadership: pitched the vision"),
        (25, "management: sprint planning"),
        (50, "leadership: coached Sam"),
    ] {
        t.clock.set(support::start_time() + Duration::days(days));
        run(
            &t.mentor,
            who,
            mentorbot::mentor::command::parse(&format!("/reflect {text}")).expect("parses"),
        )
        .await;
    }
}

#[tokio::test]
async fn json_and_csv_exports_round_trip_every_field() {
    let t = test_mentor().await;
    let ana = member("ana");
    three_months_of_entries(&t, &ana).await;
    let stored = t.mentor.store().all_reflections(1).await.expect("read");
    let expected: Vec<(i64, i64, String, String, Option<String>, String)> = stored
        .iter()
        .map(|r| {
            (
                r.number,
                r.created_at,
                r.mode.as_str().to_string(),
                r.mode_source.as_str().to_string(),
                r.prompt_id.clone(),
                r.text.clone(),
            )
        })
        .collect();
    let as_tuple = |e: &ExportedEntry| {
        let at = chrono::DateTime::parse_from_rfc3339(&e.created_at)
            .expect("RFC 3339")
            .timestamp();
        (
            e.number,
            at,
            e.mode.clone(),
            e.mode_source.clone(),
            e.prompt_id.clone(),
            e.text.clone(),
        )
    };

    let json: ExportedLog =
        serde_json::from_str(&export(&t, &ana, ExportFormat::Json).await).expect("valid JSON");
    assert_eq!(json.stage.as_deref(), Some("senior"));
    assert_eq!(
        json.entries.iter().map(as_tuple).collect::<Vec<_>>(),
        expected
    );
    assert!(json.entries[0].prompt.is_some());

    let csv_text = export(&t, &ana, ExportFormat::Csv).await;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader
            .headers()
            .expect("a header")
            .iter()
            .collect::<Vec<_>>(),
        CSV_HEADER
    );
    let rows: Vec<ExportedEntry> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    assert_eq!(rows.iter().map(as_tuple).collect::<Vec<_>>(), expected);
    assert_eq!(rows, json.entries);
}

#[tokio::test]
async fn markdown_export_is_grouped_by_month_with_each_months_mix() {
    let t = test_mentor().await;
    let ana = member("ana");
    three_months_of_entries(&t, &ana).await;
    let markdown = export(&t, &ana, ExportFormat::Markdown).await;
    assert!(markdown.starts_with("# Development log: ana\n"));
    assert!(markdown.contains("Target for Senior PM: 30% management, 70% leadership."));
    let november = markdown.find("## November 2026").expect("November");
    let december = markdown.find("## December 2026").expect("December");
    let january = markdown.find("## January 2027").expect("January");
    assert!(november < december && december < january);
    assert!(markdown[december..january].contains("1 management · 1 leadership (50% leadership)"));
    assert!(markdown.contains("> "), "the prompt is quoted");
    let empty = export(&t, &member("nobody"), ExportFormat::Csv).await;
    assert_eq!(empty.trim(), CSV_HEADER.join(","));
}

#[tokio::test]
async fn balance_compares_four_and_twelve_weeks_with_the_target() {
    let t = test_mentor().await;
    let ana = member("ana");
    let empty = run(&t.mentor, &ana, Command::Balance).await;
    assert!(empty.text.contains("No reflections in the last 12 weeks"));
    run(
        &t.mentor,
        &ana,
        Command::StageSet {
            stage: "senior".into(),
        },
    )
    .await;
    // A senior PM aims for about 30% management and 70% leadership (seed 000).
    for _ in 0..9 {
        run(&t.mentor, &ana, reflect("leadership: coached a newer PM")).await;
    }
    t.clock.advance(Duration::weeks(6));
    for _ in 0..4 {
        run(&t.mentor, &ana, reflect("management: groomed the backlog")).await;
    }
    let reply = run(&t.mentor, &ana, Command::Balance).await;
    assert!(field(&reply, "Last 4 weeks").ends_with("4 management · 0 leadership (0% leadership)"));
    assert!(
        field(&reply, "Last 12 weeks").ends_with("4 management · 9 leadership (69% leadership)")
    );
    assert!(reply.text.contains("on target"), "{}", reply.text);
    t.clock.advance(Duration::weeks(7));
    run(&t.mentor, &ana, reflect("management: sprint review")).await;
    let reply = run(&t.mentor, &ana, Command::Balance).await;
    assert!(
        reply.text.contains("leaning on management"),
        "{}",
        reply.text
    );
    assert_eq!(
        reply.fields.last().map(|f| f.name.as_str()),
        Some("Try this challenge")
    );
}

#[tokio::test]
async fn forget_asks_first_then_removes_everything() {
    let t = test_mentor().await;
    let ana = member("ana");
    let bo = member("bo");
    for who in [&ana, &bo] {
        run(
            &t.mentor,
            who,
            Command::Reflect {
                text: None,
                mode: None,
            },
        )
        .await;
        run(&t.mentor, who, reflect("something worth keeping")).await;
        run(&t.mentor, who, Command::Tip { query: None }).await;
    }
    let ask = run(
        &t.mentor,
        &ana,
        Command::Forget {
            step: ForgetStep::Ask,
        },
    )
    .await;
    assert_eq!(
        ask.buttons.iter().map(|b| b.action).collect::<Vec<_>>(),
        [Action::ForgetConfirm, Action::ForgetCancel]
    );
    run(
        &t.mentor,
        &ana,
        Command::Forget {
            step: ForgetStep::Cancel,
        },
    )
    .await;
    assert_eq!(reflections(&t).await, 2);
    let done = t
        .mentor
        .press(&ana, Action::ForgetConfirm)
        .await
        .expect("forgotten");
    assert_eq!(
        done.text,
        "Done. I deleted 6 rows: everything mentorbot stored about you."
    );
    for table in support::member_tables(&t.db).await {
        let left = count_rows(
            &t.db,
            &format!("SELECT COUNT(*) FROM {table} WHERE member_id = 1"),
        )
        .await;
        assert_eq!(left, 0, "{table}");
    }
    assert_eq!(reflections(&t).await, 1, "the other member keeps their log");
    let again = run(
        &t.mentor,
        &ana,
        Command::Forget {
            step: ForgetStep::Confirm,
        },
    )
    .await;
    assert!(again.text.contains("nothing stored about you"));
}

#[tokio::test]
async fn a_follow_up_prompt_waits_for_its_answer_and_quotes_it() {
    let t = test_mentor().await;
    let ana = member("ana");
    let follow_up = t
        .mentor
        .library()
        .prompt("might-fail-since")
        .expect("a follow-up prompt")
        .clone();
    let mut answered_might_fail = false;
    for week in 0..t.mentor.library().prompts.len() {
        let shown = run(
            &t.mentor,
            &ana,
            Command::Reflect {
                text: None,
                mode: None,
            },
        )
        .await;
        if shown.text.ends_with(&follow_up.question) {
            assert!(
                answered_might_fail,
                "asked before its earlier prompt had an answer"
            );
            assert!(shown.text.starts_with("On "), "{}", shown.text);
            assert!(
                shown.text.contains("you wrote: \"The vendor may be late"),
                "{}",
                shown.text
            );
            return;
        }
        let answer = if shown.text == "What is one reason this project might fail?" {
            answered_might_fail = true;
            format!("The vendor may be late (week {week})")
        } else {
            format!("An answer for week {week}")
        };
        run(&t.mentor, &ana, reflect(&answer)).await;
        t.clock.advance(Duration::weeks(1));
    }
    panic!("the follow-up prompt never came");
}
