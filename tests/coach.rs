//! The coach against a fake OpenAI-compatible server on loopback: opt-in, the follow-up, the
//! pre-mortem, the review and the second opinion, every server quirk and failure falling back
//! to the ordinary answer, privacy between members, budgets, export and forget. The terminal
//! binary is driven end to end at the bottom.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mentorbot::content::Library;
use mentorbot::mentor::{
    Action, CoachCommand, Command, ExportFormat, ForgetStep, Later, MemberRef, Reply, messages,
};
use serde_json::{Value, json};
use support::coached;
use support::fake_model::{FakeModel, Scripted, typical_answer};
use support::{TestMentor, count_rows, member, test_mentor};

const VENDOR: &str = "the vendor integration could slip and nobody owns it";
const COACH_QUESTION: &str =
    "Who will own the vendor integration if it slips, and when will you ask them?";

async fn run(t: &TestMentor, who: &MemberRef, command: Command) -> Reply {
    t.mentor.handle(who, command).await.expect("an answer")
}

async fn coach_on(t: &TestMentor, who: &MemberRef) {
    run(t, who, Command::Coach(CoachCommand::On)).await;
}

fn reflect(text: &str) -> Command {
    Command::Reflect {
        text: Some(text.into()),
        mode: None,
    }
}

/// Reflects, then carries out what the reply left for later, as a front end does.
async fn reflect_and_follow(t: &TestMentor, who: &MemberRef, text: &str) -> (Reply, Reply) {
    let mut saved = run(t, who, reflect(text)).await;
    let later = saved.later.take().expect("a follow-up is due");
    let follow_up = t
        .mentor
        .later(who, later)
        .await
        .expect("never an error")
        .expect("a follow-up");
    (saved, follow_up)
}

fn field<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply
        .fields
        .iter()
        .find(|f| f.name == name)
        .map(|f| f.value.as_str())
}

#[tokio::test]
async fn nothing_is_sent_for_a_member_who_has_not_opted_in() {
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 5, 30).await;
    let ana = member("ana");
    let saved = run(&t, &ana, reflect(VENDOR)).await;
    assert!(saved.later.is_none());
    assert!(field(&saved, messages::FOLLOW_UP_TITLE).is_some());
    let premortem = run(
        &t,
        &ana,
        Command::Premortem {
            project: "the launch".into(),
        },
    )
    .await;
    assert!(field(&premortem, messages::PREMORTEM_QUESTIONS).is_some());
    let review = run(&t, &ana, Command::Review { weeks: None }).await;
    assert!(field(&review, messages::REVIEW_FROM_COACH).is_none());
    let hat = run(
        &t,
        &ana,
        Command::Hat {
            situation: "xyzzy plugh".into(),
        },
    )
    .await;
    assert!(hat.later.is_none());
    assert!(fake.seen().is_empty(), "nothing of hers reached the model");
    let status = run(&t, &ana, Command::Coach(CoachCommand::Status)).await;
    assert_eq!(status.title, "Your coach is off");
    assert!(field(&status, "Where your words go").is_some_and(|w| w.contains("coach-model")));
}

#[tokio::test]
async fn without_a_model_the_coach_says_it_is_not_set_up() {
    let t = test_mentor().await;
    let ana = member("ana");
    let on = run(&t, &ana, Command::Coach(CoachCommand::On)).await;
    assert_eq!(on.text, messages::COACH_NOT_SET_UP);
    let saved = run(&t, &ana, reflect(VENDOR)).await;
    assert!(saved.later.is_none());
    assert_eq!(
        count_rows(&t.db, "SELECT COUNT(*) FROM coach_members").await,
        0
    );
}

#[tokio::test]
async fn the_follow_up_is_written_for_what_they_wrote() {
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 5, 30).await;
    let ana = member("ana");
    coach_on(&t, &ana).await;
    let (saved, follow_up) = reflect_and_follow(&t, &ana, VENDOR).await;
    assert!(saved.title.contains("#1"));
    assert_eq!(
        field(&saved, "Your coach"),
        Some(messages::COACH_IS_READING)
    );
    assert!(field(&saved, messages::FOLLOW_UP_TITLE).is_none());
    assert_eq!(follow_up.title, "A question from your coach (entry #1)");
    assert_eq!(follow_up.text, COACH_QUESTION, "thinking is never shown");
    assert!(follow_up.private);
    assert_eq!(follow_up.buttons[0].action, Action::AnswerFollowUp(1));

    let seen = fake.seen();
    assert_eq!(seen.len(), 1);
    let body = &seen[0].body;
    assert_eq!(body["model"], "coach-model");
    assert!(
        body["max_tokens"]
            .as_u64()
            .is_some_and(|n| (1..=1000).contains(&n))
    );
    assert!(body["temperature"].is_number() && body["top_p"].is_number());
    assert!(body.get("tools").is_none() && body.get("functions").is_none());
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer sk-test-key"));
    let prompt = seen[0].prompt();
    assert!(prompt.contains(VENDOR) && prompt.contains("Stage: "));

    let question = t
        .mentor
        .question_about(&ana, 1)
        .await
        .expect("the question");
    assert_eq!(question, COACH_QUESTION);
    let usage = "SELECT calls * 1000000 + prompt_tokens * 100 + completion_tokens FROM coach_usage";
    assert_eq!(count_rows(&t.db, usage).await, 1_000_000 + 32_100 + 21);
}

#[tokio::test]
async fn every_failure_falls_back_to_the_ordinary_follow_up() {
    let loading = json!({"error": "llama runner process is still loading the model"});
    let cases = [
        ("503 while loading", Scripted::Status(503, loading)),
        (
            "vLLM's old error object",
            Scripted::Status(
                500,
                json!({"object": "error", "message": "internal", "code": 50001}),
            ),
        ),
        (
            "OpenAI's error with a null code",
            Scripted::Status(
                404,
                json!({"error": {"message": "no such model", "code": null}}),
            ),
        ),
        ("an error inside a 200 stream", Scripted::StreamError),
        ("a stream cut without finish_reason", Scripted::CutStream),
        ("a body that is not JSON", Scripted::Garbage),
        ("a redirect", Scripted::Redirect),
        (
            "an answer with no question",
            Scripted::Whole("Great reflection. Keep going.".into()),
        ),
        (
            "an oversized answer",
            Scripted::Stream("word ".repeat(60_000)),
        ),
        (
            "a slow model",
            Scripted::Slow(
                Duration::from_secs(3),
                Box::new(Scripted::Stream(COACH_QUESTION.into())),
            ),
        ),
    ];
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 1, 100).await;
    let ana = member("ana");
    coach_on(&t, &ana).await;
    for (what, scripted) in cases {
        fake.respond_with(move |_| scripted.clone());
        let (_, follow_up) = reflect_and_follow(&t, &ana, VENDOR).await;
        assert!(
            follow_up.title.starts_with(messages::FOLLOW_UP_TITLE),
            "{what}: {follow_up:?}"
        );
        assert_eq!(follow_up.text, messages::FREE_FOLLOW_UP, "{what}");
        assert!(
            !follow_up.buttons.is_empty(),
            "{what}: still one click to answer"
        );
    }
    assert_eq!(fake.followed_redirects(), 0, "redirects are never followed");
    let counted = "SELECT calls * 100 + failures FROM coach_usage";
    assert_eq!(
        count_rows(&t.db, counted).await,
        10 * 100 + 9,
        "every call and failure is counted (an answer without a question was no failure)"
    );
}

#[tokio::test]
async fn a_server_that_ignores_stream_is_read_too() {
    let fake = FakeModel::start(|_| Scripted::Whole(format!("Question: {COACH_QUESTION}"))).await;
    let t = coached(&fake, 5, 30).await;
    let ana = member("ana");
    coach_on(&t, &ana).await;
    let (_, follow_up) = reflect_and_follow(&t, &ana, VENDOR).await;
    assert_eq!(follow_up.text, COACH_QUESTION);
}

#[tokio::test]
async fn hostile_output_is_defused_and_cut() {
    let fake = FakeModel::start(|_| {
        Scripted::Stream(format!(
            "@everyone <@123456> <!channel> \u{1b}[2J\u{202e} what is {} now?",
            "really ".repeat(45)
        ))
    })
    .await;
    let t = coached(&fake, 5, 30).await;
    let ana = member("ana");
    coach_on(&t, &ana).await;
    let (_, follow_up) = reflect_and_follow(&t, &ana, VENDOR).await;
    assert!(follow_up.title.starts_with(messages::COACH_QUESTION_TITLE));
    let text = &follow_up.text;
    for live in ["@everyone", "<@1", "<!channel", "\u{1b}", "\u{202e}"] {
        assert!(!text.contains(live), "{live:?} in {text:?}");
    }
    assert!(text.chars().count() <= 300, "cut to a bounded length");
}

#[tokio::test]
async fn a_context_length_refusal_is_retried_once_with_less_and_oldest_entries_go_first() {
    let fake = FakeModel::coaching().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = calls.clone();
    fake.respond_with(move |seen| match counted.fetch_add(1, Ordering::SeqCst) {
        0 => Scripted::Status(
            400,
            json!({"error": {"message": "This model's maximum context length is 4096 tokens", "code": 400}}),
        ),
        _ => Scripted::Stream(typical_answer(&seen.user_message())),
    });
    let t = coached(&fake, 5, 30).await;
    let ana = member("ana");
    for n in 1..=60 {
        let text = format!("entry-{n:02}-marker {}", "word ".repeat(80));
        run(&t, &ana, reflect(&text)).await;
    }
    coach_on(&t, &ana).await;
    let review = run(&t, &ana, Command::Review { weeks: Some(12) }).await;
    let seen = fake.seen();
    assert_eq!(seen.len(), 2, "one retry");
    let (first, second) = (seen[0].user_message(), seen[1].user_message());
    assert!(
        second.len() < first.len() * 2 / 3,
        "{} then {}",
        first.len(),
        second.len()
    );
    assert!(first.chars().count() <= 12_000);
    assert!(first.contains("entry-60-marker") && !first.contains("entry-01-marker"));
    assert!(second.contains("entry-60-marker") && !second.contains("entry-30-marker"));
    assert!(field(&review, messages::REVIEW_FROM_COACH).is_some());
}

#[tokio::test]
async fn a_prompt_never_holds_another_members_words() {
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 5, 30).await;
    let (ana, bo) = (member("ana"), member("quokka"));
    for who in [&ana, &bo] {
        coach_on(&t, who).await;
    }
    let marker = |who: &MemberRef| format!("QZX{}-qzv", who.user);
    for who in [&bo, &ana, &bo, &ana] {
        reflect_and_follow(&t, who, &format!("{} {VENDOR}", marker(who))).await;
    }
    run(
        &t,
        &ana,
        Command::Premortem {
            project: format!("{} launch", marker(&ana)),
        },
    )
    .await;
    run(&t, &ana, Command::Review { weeks: None }).await;
    let mut hat = run(
        &t,
        &ana,
        Command::Hat {
            situation: format!("xyzzy {}", marker(&ana)),
        },
    )
    .await;
    let second = t
        .mentor
        .later(&ana, hat.later.take().expect("a second opinion"))
        .await;
    assert!(second.expect("no error").is_some());
    let seen = fake.seen();
    let of_ana: Vec<String> = seen
        .iter()
        .map(|s| s.prompt())
        .filter(|p| p.contains(&marker(&ana)))
        .collect();
    assert_eq!(of_ana.len(), 5, "follow-ups, pre-mortem, review and hat");
    for prompt in &of_ana {
        assert!(
            !prompt.contains(&marker(&bo)),
            "Bo's words in Ana's request"
        );
        assert!(!prompt.contains("quokka"), "Bo's name in Ana's request");
    }
}

#[tokio::test]
async fn a_daily_quota_and_one_call_at_a_time_per_member() {
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 5, 2).await;
    let ana = member("ana");
    coach_on(&t, &ana).await;
    for _ in 0..3 {
        reflect_and_follow(&t, &ana, VENDOR).await;
    }
    assert_eq!(fake.seen().len(), 2, "the third call waits for tomorrow");
    t.clock.advance(chrono::Duration::days(1));

    fake.respond_with(|seen| {
        Scripted::Slow(
            Duration::from_millis(500),
            Box::new(Scripted::Stream(typical_answer(&seen.user_message()))),
        )
    });
    run(&t, &ana, reflect(VENDOR)).await;
    run(&t, &ana, reflect(VENDOR)).await;
    let (first, second) = tokio::join!(
        t.mentor.later(&ana, Later::FollowUp { entry: 4 }),
        t.mentor.later(&ana, Later::FollowUp { entry: 5 }),
    );
    let titles = [first, second].map(|r| r.expect("no error").expect("a reply").title);
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with(messages::COACH_QUESTION_TITLE)),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with(messages::FOLLOW_UP_TITLE)),
        "{titles:?}"
    );
    assert_eq!(fake.seen().len(), 3, "the second waited for nobody");
}

#[tokio::test]
async fn a_review_cites_only_entries_in_the_log_with_their_dates() {
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 5, 30).await;
    let ana = member("ana");
    run(
        &t,
        &ana,
        reflect("leadership: I led the pricing debate with sales and the exec team"),
    )
    .await;
    run(
        &t,
        &ana,
        reflect("management: shipped the release on time and ran the sprint review"),
    )
    .await;
    let plain = run(&t, &ana, Command::Review { weeks: Some(4) }).await;
    assert!(field(&plain, "Leadership moments").is_some_and(|m| m.starts_with("#1 (2026-11-18)")));
    assert!(field(&plain, "Management moments").is_some_and(|m| m.starts_with("#2 (")));
    assert!(field(&plain, "Balance").is_some_and(|b| b.contains("50% leadership")));
    assert!(field(&plain, messages::REVIEW_FROM_COACH).is_none());

    coach_on(&t, &ana).await;
    let review = run(&t, &ana, Command::Review { weeks: Some(4) }).await;
    let words = field(&review, messages::REVIEW_FROM_COACH).expect("the coach's lines");
    assert!(
        words.contains("pricing debate with sales. (#1, 2026-11-18)"),
        "{words}"
    );
    assert!(
        !words.contains("#999") && !words.contains("rescued"),
        "{words}"
    );
    assert!(
        !words.contains("#404") && words.contains("(#2, 2026-11-18)"),
        "{words}"
    );
    let file = review.attachment.expect("the review as a file");
    assert!(file.filename.starts_with("mentorbot-review-") && file.filename.ends_with(".md"));
    let markdown = String::from_utf8(file.data).expect("text");
    assert!(markdown.contains("## In your coach's words") && !markdown.contains("#999"));

    let empty = run(&t, &member("cy"), Command::Review { weeks: None }).await;
    assert_eq!(empty.text, messages::REVIEW_EMPTY);
    for bad in ["0", "53", "soon"] {
        let parsed = mentorbot::mentor::command::parse(&format!("/review {bad}"));
        assert!(parsed.is_err(), "{bad}");
    }
}

#[tokio::test]
async fn a_premortem_is_a_leadership_entry_with_or_without_the_coach() {
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 5, 30).await;
    let (ana, bo) = (member("ana"), member("bo"));
    let guided = run(
        &t,
        &bo,
        Command::Premortem {
            project: "the January launch".into(),
        },
    )
    .await;
    let library = Library::shipped().expect("content");
    let questions = field(&guided, messages::PREMORTEM_QUESTIONS).expect("the questions");
    assert!(questions.contains(&library.coach.premortem.questions[0]));
    coach_on(&t, &ana).await;
    // This week's question is open (shown, not answered) while she does the pre-mortem.
    let weekly = Command::Reflect {
        text: None,
        mode: None,
    };
    run(&t, &ana, weekly).await;
    let coached = run(
        &t,
        &ana,
        Command::Premortem {
            project: "the vendor integration".into(),
        },
    )
    .await;
    let reasons = field(&coached, messages::PREMORTEM_FROM_COACH).expect("the reasons");
    assert!(
        reasons.starts_with("1. Nobody owns the vendor integration"),
        "{reasons}"
    );
    assert_eq!(reasons.lines().count(), 3);
    assert_eq!(coached.buttons[0].action, Action::AnswerFollowUp(1));
    assert_eq!(
        t.mentor.question_about(&ana, 1).await.expect("question"),
        library.coach.premortem.ask
    );
    let stored = count_rows(
        &t.db,
        "SELECT COUNT(*) FROM reflections WHERE mode = 'leadership' AND mode_source = 'stated' AND text LIKE 'Pre-mortem: %'",
    )
    .await;
    assert_eq!(stored, 2);
    let answer = Command::Answer {
        entry: 1,
        text: "Dana owns the vendor work from Monday".into(),
    };
    let answered = run(&t, &ana, answer).await;
    let said = &answered.text;
    assert!(
        said.starts_with("Your answer to the question about entry #1."),
        "{said}"
    );
    assert!(
        answered.later.is_none(),
        "an answer gets no further question"
    );
    let weekly_answers = "SELECT COUNT(*) FROM reflections WHERE prompt_id IS NOT NULL";
    assert_eq!(
        count_rows(&t.db, weekly_answers).await,
        0,
        "not this week's answer"
    );
    for bad in ["", "   ", &"x".repeat(1_001)] {
        let refused = t
            .mentor
            .handle(
                &ana,
                Command::Premortem {
                    project: bad.to_string(),
                },
            )
            .await;
        assert!(
            matches!(refused, Err(mentorbot::error::Error::User(_))),
            "{bad:?}"
        );
    }
}

#[tokio::test]
async fn an_undecided_hat_gets_a_second_opinion_marked_as_such() {
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 5, 30).await;
    let ana = member("ana");
    coach_on(&t, &ana).await;
    let mut hat = run(
        &t,
        &ana,
        Command::Hat {
            situation: "xyzzy plugh".into(),
        },
    )
    .await;
    assert_eq!(hat.title, messages::HAT_UNDECIDED_TITLE);
    let later = hat.later.take().expect("a second opinion is due");
    let second = t
        .mentor
        .later(&ana, later)
        .await
        .expect("no error")
        .expect("a reply");
    assert_eq!(second.title, messages::SECOND_OPINION_TITLE);
    assert!(
        second.text.starts_with("leadership: Nobody has decided"),
        "{}",
        second.text
    );
    assert!(second.private);
    fake.respond_with(|_| Scripted::Stream("Hard to say, it depends.".into()));
    let mut again = run(
        &t,
        &ana,
        Command::Hat {
            situation: "xyzzy plugh".into(),
        },
    )
    .await;
    let none = t
        .mentor
        .later(&ana, again.later.take().expect("due"))
        .await
        .expect("no error");
    assert!(none.is_none(), "an answer naming no hat is not shown");
}

#[tokio::test]
async fn export_carries_the_coach_and_forget_leaves_nothing_readable() {
    let fake = FakeModel::coaching().await;
    let t = coached(&fake, 5, 30).await;
    let ana = member("ana");
    coach_on(&t, &ana).await;
    reflect_and_follow(&t, &ana, VENDOR).await;
    run(&t, &ana, Command::Review { weeks: None }).await;
    let export = run(
        &t,
        &ana,
        Command::Export {
            format: ExportFormat::Json,
        },
    )
    .await;
    let json: Value = serde_json::from_slice(&export.attachment.expect("file").data).expect("JSON");
    assert_eq!(json["entries"][0]["coach_question"], COACH_QUESTION);
    assert_eq!(json["coach_notes"][0]["kind"], "review");
    let markdown = run(
        &t,
        &ana,
        Command::Export {
            format: ExportFormat::Markdown,
        },
    )
    .await;
    let markdown = String::from_utf8(markdown.attachment.expect("file").data).expect("text");
    assert!(
        markdown.contains(&format!("> Asked next: {COACH_QUESTION}")),
        "{markdown}"
    );
    assert!(markdown.contains("## Reviews and second opinions"));
    assert!(
        markdown.contains("\n### Your review: the last 12 weeks"),
        "{markdown}"
    );

    let confirm = Command::Forget {
        step: ForgetStep::Confirm,
    };
    run(&t, &ana, confirm).await;
    for table in ["coach_members", "coach_notes", "coach_usage"] {
        let left = count_rows(&t.db, &format!("SELECT COUNT(*) FROM {table}")).await;
        assert_eq!(left, 0, "{table}");
    }
    if !support::on_postgres() {
        let mut bytes = Vec::new();
        for suffix in ["", "-wal"] {
            bytes.extend(std::fs::read(format!("{}{suffix}", t.db.url)).unwrap_or_default());
        }
        let secret = "when will you ask them";
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "the coach's words are still in the file");
    }
}

/// The terminal binary with the coach on the fake model: the whole exchange, and logs that
/// keep counts and latencies but never a prompt, an answer or the key.
#[tokio::test]
async fn the_terminal_coaches_end_to_end_and_logs_no_text() {
    let fake = FakeModel::coaching().await;
    let dir = tempfile::tempdir().expect("a folder");
    let database = dir.path().join("mentor.db");
    let database = database.to_str().expect("utf-8");
    let url: &'static str = Box::leak(fake.url.clone().into_boxed_str());
    let env = [
        ("MENTORBOT_COACH_URL", url),
        ("MENTORBOT_COACH_MODEL", "coach-model"),
        ("MENTORBOT_COACH_API_KEY", "sk-secret-4711"),
        ("RUST_LOG", "info"),
    ];
    let input = format!(
        "/coach on\n/reflect {VENDOR}\n/answer 1 Dana owns it from Monday\n/premortem the vendor integration\n/review 4\n/coach off\n/reflect another note\n"
    );
    let dir_path = dir.path().to_path_buf();
    let database_owned = database.to_string();
    let output = tokio::task::spawn_blocking(move || {
        support::run_terminal(
            &dir_path,
            &database_owned,
            &["--as", "Ana"],
            input.as_bytes(),
            &env,
        )
    })
    .await
    .expect("the session ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let saved = stdout.find("Saved as entry #1").expect("saved first");
    let asked = stdout
        .find(COACH_QUESTION)
        .expect("then the coach's question");
    assert!(saved < asked);
    assert!(
        stdout.contains("Answer: /answer 1 <your answer>"),
        "{stdout}"
    );
    assert!(stdout.contains("Your answer to the question about entry #1."));
    assert!(stdout.contains("1. Nobody owns the vendor integration end to end."));
    assert!(stdout.contains("In your coach's words"));
    let after_off = &stdout[stdout.find("Your coach is off").expect("turned off")..];
    assert!(after_off.contains(messages::FOLLOW_UP_TITLE));
    assert_eq!(fake.seen().len(), 3, "nothing after /coach off");
    assert!(stderr.contains("the coach answered"), "{stderr}");
    for private in ["sk-secret-4711", "vendor", "Nobody owns", "pricing"] {
        assert!(!stderr.contains(private), "{private:?} logged: {stderr}");
    }

    let dir_path = dir.path().to_path_buf();
    let database_owned = database.to_string();
    let check = tokio::task::spawn_blocking(move || {
        support::run_terminal(&dir_path, &database_owned, &["check"], b"", &env[..3])
    })
    .await
    .expect("check ran");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(
        report.contains("coach: coach-model at http://127.0.0.1:"),
        "{report}"
    );
    assert!(
        report.contains("an API key is set") && report.contains("lists the model"),
        "{report}"
    );
    assert!(!report.contains("sk-secret-4711"));
}

#[tokio::test]
async fn start_up_refuses_a_coach_it_cannot_use_and_says_why() {
    let dir = tempfile::tempdir().expect("a folder");
    let database = dir.path().join("mentor.db");
    let database = database.to_str().expect("utf-8");
    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[("MENTORBOT_COACH_URL", "http://127.0.0.1:9/v1")],
            "MENTORBOT_COACH_MODEL is required",
        ),
        (
            &[
                ("MENTORBOT_COACH_URL", "https://8.8.8.8/v1"),
                ("MENTORBOT_COACH_MODEL", "m"),
            ],
            "MENTORBOT_COACH_ALLOW_REMOTE",
        ),
        (
            &[
                ("MENTORBOT_COACH_URL", "localhost:11434"),
                ("MENTORBOT_COACH_MODEL", "m"),
            ],
            "http://",
        ),
        (
            &[
                ("MENTORBOT_COACH_URL", "http://127.0.0.1:9/v1"),
                ("MENTORBOT_COACH_MODEL", "m"),
                ("MENTORBOT_COACH_TIMEOUT_SECS", "0"),
            ],
            "between 1 and 600",
        ),
    ];
    for (env, reason) in cases {
        let output = support::run_terminal(dir.path(), database, &[], b"/help\n", env);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{env:?} started");
        assert!(stderr.contains(reason), "{env:?}: {stderr}");
    }
    assert!(
        !dir.path().join("mentor.db").exists(),
        "refused before the database opened"
    );
}

#[tokio::test]
async fn a_review_file_shows_html_as_text() {
    let t = test_mentor().await;
    let ana = member("ana");
    run(
        &t,
        &ana,
        reflect("leadership: pitched <b>the vision</b> & the why to sales"),
    )
    .await;
    let review = run(&t, &ana, Command::Review { weeks: Some(4) }).await;
    let file = String::from_utf8(review.attachment.expect("a file").data).expect("text");
    assert!(
        file.contains("&lt;b&gt;the vision&lt;/b&gt; &amp; the why"),
        "{file}"
    );
    assert!(!file.contains("<b>"), "{file}");
}
