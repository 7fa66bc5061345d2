//! Weekly nudges end to end: settings through the mentor, the scheduler on a manual clock, and
//! the Discord messenger talking to the fake Discord on loopback.

mod support;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Datelike, Duration, TimeZone, Timelike, Utc};
use mentorbot::error::Error;
use mentorbot::frontends::discord::messenger::DiscordMessenger;
use mentorbot::mentor::{Command, DISCORD_WORKSPACE, MemberRef, Notice, NudgeCommand, TeamCommand};
use mentorbot::platform::Platform;
use mentorbot::schedule::runner::{Pass, Scheduler, SchedulerSettings};
use poise::serenity_prelude::HttpBuilder;
use serde_json::json;
use support::fake_discord::{Created, FakeDiscord};
use support::{RawPool, TestMentor, count_rows, on_raw_pool, test_mentor};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("a valid time")
}

fn member(id: u64) -> MemberRef {
    MemberRef::new(
        Platform::Discord,
        DISCORD_WORKSPACE,
        &id.to_string(),
        &format!("member {id}"),
    )
}

fn scheduler(t: &TestMentor, fake: &FakeDiscord, owner: &str) -> Scheduler {
    let http = Arc::new(
        HttpBuilder::new("fake-token")
            .proxy(fake.base.clone())
            .ratelimiter_disabled(true)
            .build(),
    );
    let messenger = Arc::new(DiscordMessenger::new(http, 1_000.0));
    Scheduler::new(
        t.mentor.clone(),
        t.clock.clone(),
        owner.to_string(),
        SchedulerSettings::default(),
    )
    .with_messenger(Platform::Discord, messenger)
}

async fn tick(scheduler: &Scheduler) -> Pass {
    scheduler.plan().await.expect("planning works");
    scheduler.dispatch().await.expect("dispatching works")
}

async fn set_nudge(t: &TestMentor, who: &MemberRef, day: &str, time: &str, zone: &str) {
    let command = Command::Nudge(NudgeCommand::Set {
        day: day.into(),
        time: time.into(),
        zone: Some(zone.into()),
    });
    t.mentor
        .handle(who, command)
        .await
        .expect("the nudge is set");
}

/// (kind, due_at, status, finished_at, error) of every delivery for a member, oldest first.
async fn deliveries(
    t: &TestMentor,
    member_id: i64,
) -> Vec<(String, i64, String, Option<i64>, Option<String>)> {
    let pool = RawPool::connect(&t.db).await;
    let rows = on_raw_pool!(&pool, pool => sqlx::query_as(
        "SELECT kind, due_at, status, finished_at, error FROM deliveries WHERE member_id = $1 ORDER BY due_at, id",
    )
    .bind(member_id)
    .fetch_all(pool)
    .await)
    .expect("deliveries");
    pool.close().await;
    rows
}

fn nudges_to(created: &[Created], user: u64) -> Vec<Created> {
    created
        .iter()
        .filter(|c| c.recipient.as_deref() == Some(user.to_string().as_str()))
        .filter(|c| c.body["embeds"][0]["title"] == "Your weekly reflection")
        .cloned()
        .collect()
}

/// Steps the clock from `from` to `to` in `step`s, running the scheduler at each.
async fn run_clock(
    t: &TestMentor,
    scheduler: &Scheduler,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    step: Duration,
) {
    t.clock.set(from);
    while t.clock_now() < to {
        t.clock.advance(step);
        tick(scheduler).await;
    }
}

trait ClockNow {
    fn clock_now(&self) -> DateTime<Utc>;
}

impl ClockNow for TestMentor {
    fn clock_now(&self) -> DateTime<Utc> {
        use mentorbot::clock::Clock;
        self.clock.now()
    }
}

async fn check_weekly_at_nine(
    t: &TestMentor,
    fake: &FakeDiscord,
    user: u64,
    zone: chrono_tz::Tz,
    weeks: usize,
) {
    let rows: Vec<_> = deliveries(t, 1)
        .await
        .into_iter()
        .filter(|r| r.0 == "nudge" && r.2 == "sent")
        .collect();
    assert_eq!(rows.len(), weeks, "one nudge a week: {rows:?}");
    for (_, due_at, _, finished_at, _) in &rows {
        let local = DateTime::from_timestamp(*due_at, 0)
            .expect("a time")
            .with_timezone(&zone);
        assert_eq!(
            (local.weekday(), local.hour(), local.minute()),
            (chrono::Weekday::Mon, 9, 0),
            "{local}"
        );
        assert!(
            finished_at.is_some_and(|at| at - due_at < 15 * 60),
            "sent on time"
        );
    }
    for pair in rows.windows(2) {
        let days = (pair[1].1 - pair[0].1) as f64 / 86_400.0;
        assert!(
            (days - 7.0).abs() <= 1.0 / 24.0 + 1e-9,
            "a week apart (an hour either way at a change): {days}"
        );
    }
    assert_eq!(
        nudges_to(&fake.created(), user).len(),
        weeks,
        "each nudge reached Discord once"
    );
}

#[tokio::test]
async fn berlin_monday_nine_arrives_once_a_week_across_the_march_change() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 3, 13, 12, 0));
    set_nudge(&t, &member(501), "monday", "09:00", "Europe/Berlin").await;
    run_clock(
        &t,
        &s,
        utc(2026, 3, 13, 12, 0),
        utc(2026, 4, 8, 0, 0),
        Duration::minutes(10),
    )
    .await;
    // Mondays 16, 23, 30 March and 6 April; the clocks changed on 29 March.
    check_weekly_at_nine(&t, &fake, 501, chrono_tz::Europe::Berlin, 4).await;
}

#[tokio::test]
async fn new_york_monday_nine_arrives_once_a_week_across_the_november_change() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 10, 16, 12, 0));
    set_nudge(&t, &member(502), "mon", "09:00", "America/New_York").await;
    run_clock(
        &t,
        &s,
        utc(2026, 10, 16, 12, 0),
        utc(2026, 11, 11, 0, 0),
        Duration::minutes(10),
    )
    .await;
    // Mondays 19 and 26 October, 2 and 9 November; the clocks changed on 1 November.
    check_weekly_at_nine(&t, &fake, 502, chrono_tz::America::New_York, 4).await;
}

#[tokio::test]
async fn two_schedulers_on_one_database_send_each_nudge_once() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    t.clock.set(utc(2026, 11, 22, 12, 0));
    for id in 0..40 {
        set_nudge(&t, &member(600 + id), "monday", "09:00", "UTC").await;
    }
    let (a, b) = (scheduler(&t, &fake, "a"), scheduler(&t, &fake, "b"));
    a.plan().await.expect("planned");
    b.plan().await.expect("planned twice, harmlessly");
    assert_eq!(
        count_rows(&t.db, "SELECT COUNT(*) FROM deliveries").await,
        40
    );
    t.clock.set(utc(2026, 11, 23, 9, 1));
    let (pass_a, pass_b) = tokio::join!(a.dispatch(), b.dispatch());
    let (pass_a, pass_b) = (pass_a.expect("a sends"), pass_b.expect("b sends"));
    assert_eq!(pass_a.sent + pass_b.sent, 40, "{pass_a:?} {pass_b:?}");
    let created = fake.created();
    assert_eq!(created.len(), 40);
    let recipients: std::collections::HashSet<_> =
        created.iter().filter_map(|c| c.recipient.clone()).collect();
    assert_eq!(recipients.len(), 40, "nobody got two");
}

#[tokio::test]
async fn after_three_hours_down_the_nudge_is_sent_after_two_days_it_is_skipped() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 11, 22, 12, 0));
    set_nudge(&t, &member(700), "monday", "09:00", "UTC").await;
    tick(&s).await;
    // Down from Sunday until Monday 12:00: three hours late.
    t.clock.set(utc(2026, 11, 23, 12, 0));
    assert_eq!(tick(&s).await.sent, 1);
    // Down again until Sunday: the first week's reminder (due Wednesday) is four days stale.
    t.clock.set(utc(2026, 11, 29, 12, 0));
    let sunday = tick(&s).await;
    assert_eq!((sunday.sent, sunday.skipped), (0, 1), "{sunday:?}");
    // Next week, down from Sunday until Wednesday: the Monday nudge is two days late.
    t.clock.set(utc(2026, 12, 2, 9, 0));
    let pass = tick(&s).await;
    assert_eq!((pass.sent, pass.skipped), (0, 1), "{pass:?}");
    let rows = deliveries(&t, 1).await;
    let stale = rows
        .iter()
        .find(|r| r.0 == "nudge" && r.1 == utc(2026, 11, 30, 9, 0).timestamp())
        .expect("the missed nudge");
    assert_eq!(stale.2, "skipped");
    assert!(
        stale
            .4
            .as_deref()
            .is_some_and(|e| e.contains("more than 12 hours late")),
        "{stale:?}"
    );
    assert!(
        rows.iter().any(|r| r.0 == "nudge"
            && r.1 == utc(2026, 12, 7, 9, 0).timestamp()
            && r.2 == "pending"),
        "next week is planned"
    );
    assert_eq!(nudges_to(&fake.created(), 700).len(), 1);
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_and_a_server_error_retried() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 11, 22, 12, 0));
    for id in 0..3 {
        set_nudge(&t, &member(800 + id), "monday", "09:00", "UTC").await;
    }
    s.plan().await.expect("planned");
    let limited_at = utc(2026, 11, 23, 9, 1);
    t.clock.set(limited_at);
    // One route's limit (not the bot's global one): only that message waits, in the outbox,
    // on the scheduler's clock.
    fake.fail_next(
        "/messages",
        429,
        json!({"message": "You are being rate limited.", "retry_after": 2.5, "global": false}),
        1,
    );
    fake.fail_next(
        "/messages",
        500,
        json!({"message": "Internal Server Error", "code": 0}),
        1,
    );
    let first = s.dispatch().await.expect("dispatch");
    assert_eq!((first.sent, first.retried), (1, 2), "{first:?}");
    let limited = pending_rows(&t, "rate limited").await;
    assert_eq!(
        limited,
        [(limited_at.timestamp() + 3, 0)],
        "held for retry_after (2.5 s, rounded up), and not counted as a failed attempt"
    );
    t.clock.advance(Duration::seconds(2));
    let early = s.dispatch().await.expect("dispatch");
    assert_eq!(early.sent, 1, "the 500 is retried after 2 s: {early:?}");
    assert_eq!(
        fake.created().len(),
        2,
        "the rate-limited message still waits"
    );
    t.clock.advance(Duration::seconds(1));
    let later = s.dispatch().await.expect("dispatch");
    assert_eq!(later.sent, 1, "sent once retry_after has passed: {later:?}");
    let created = fake.created();
    assert_eq!(created.len(), 3, "all delivered, none twice");
    assert_eq!(
        created
            .iter()
            .filter_map(|c| c.recipient.clone())
            .collect::<std::collections::HashSet<_>>()
            .len(),
        3
    );
}

#[tokio::test]
async fn the_bots_global_rate_limit_holds_every_send_back() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 11, 22, 12, 0));
    set_nudge(&t, &member(850), "monday", "09:00", "UTC").await;
    s.plan().await.expect("planned");
    t.clock.set(utc(2026, 11, 23, 9, 1));
    fake.fail_next(
        "/messages",
        429,
        json!({"message": "You are being rate limited.", "retry_after": 0.3, "global": true}),
        1,
    );
    let pass = s.dispatch().await.expect("dispatch");
    assert_eq!(pass.sent, 1, "waited out in place: {pass:?}");
    let requests = fake.requests();
    let limited = requests.iter().find(|r| r.status == 429).expect("a 429");
    let resent = requests
        .iter()
        .filter(|r| r.path == limited.path && r.at > limited.at)
        .map(|r| r.at)
        .min()
        .expect("the same message sent again");
    assert!(
        resent.duration_since(limited.at) >= StdDuration::from_secs_f64(0.3),
        "the resend waited retry_after"
    );
}

/// (not_before, attempts) of pending rows whose last error contains `error`.
async fn pending_rows(t: &TestMentor, error: &str) -> Vec<(i64, i64)> {
    let pool = RawPool::connect(&t.db).await;
    let rows = on_raw_pool!(&pool, pool => sqlx::query_as(
        "SELECT not_before, attempts FROM deliveries WHERE status = 'pending' AND error LIKE '%' || $1 || '%'",
    )
    .bind(error)
    .fetch_all(pool)
    .await)
    .expect("rows");
    pool.close().await;
    rows
}

#[tokio::test]
async fn a_member_who_refuses_dms_is_marked_unreachable_and_told() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 11, 22, 12, 0));
    let closed = member(900);
    set_nudge(&t, &closed, "monday", "09:00", "UTC").await;
    fake.refuse_dms(900);
    tick(&s).await;
    t.clock.set(utc(2026, 11, 23, 9, 1));
    assert_eq!(tick(&s).await.unreachable, 1);
    assert_eq!(deliveries(&t, 1).await[0].2, "unreachable");
    t.clock.set(utc(2026, 11, 30, 9, 1));
    assert_eq!(tick(&s).await, Pass::default(), "no more tries");
    let next = t
        .mentor
        .handle(&closed, Command::Balance)
        .await
        .expect("balance");
    assert_eq!(next.notices, [Notice::Unreachable], "{next:?}");
    let again = t
        .mentor
        .handle(&closed, Command::Balance)
        .await
        .expect("balance");
    assert!(again.notices.is_empty(), "told once: {again:?}");
    t.mentor
        .handle(&closed, Command::Nudge(NudgeCommand::Resume))
        .await
        .expect("resume");
    assert_eq!(
        s.plan().await.expect("planned"),
        1,
        "planned again after /nudge resume"
    );
}

#[tokio::test]
async fn bad_settings_are_refused_and_change_nothing() {
    let t = test_mentor().await;
    let ana = member(1000);
    let set = |day: &str, time: &str, zone: &str| {
        Command::Nudge(NudgeCommand::Set {
            day: day.into(),
            time: time.into(),
            zone: Some(zone.into()),
        })
    };
    let expect_user_error = |result: Result<_, Error>| match result {
        Err(Error::User(message)) => message,
        other => panic!("expected a user error, got {other:?}"),
    };
    let time = expect_user_error(t.mentor.handle(&ana, set("monday", "25:61", "UTC")).await);
    assert!(time.contains("'25:61' is not a time"), "{time}");
    let zone = expect_user_error(
        t.mentor
            .handle(&ana, set("monday", "09:00", "Berlin"))
            .await,
    );
    assert!(zone.contains("Did you mean Europe/Berlin"), "{zone}");
    let day = expect_user_error(t.mentor.handle(&ana, set("someday", "09:00", "UTC")).await);
    assert!(day.contains("I don't know the day 'someday'"), "{day}");
    let weeks = expect_user_error(
        t.mentor
            .handle(&ana, Command::Nudge(NudgeCommand::PauseWeeks(0)))
            .await,
    );
    assert!(weeks.contains("1 to 52"));
    let date = expect_user_error(
        t.mentor
            .handle(
                &ana,
                Command::Nudge(NudgeCommand::PauseUntil("2020-01-01".into())),
            )
            .await,
    );
    assert!(date.contains("in the future"));
    let shown = t
        .mentor
        .handle(&ana, Command::Nudge(NudgeCommand::Show))
        .await
        .expect("show");
    assert!(
        shown
            .fields
            .iter()
            .any(|f| f.name == "When" && f.value == "Monday 09:30 (UTC)"),
        "the default stands: {shown:?}"
    );
}

#[tokio::test]
async fn pause_freezes_resume_restarts_and_off_stops() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    let ana = member(1100);
    t.clock.set(utc(2026, 11, 18, 12, 0));
    set_nudge(&t, &ana, "monday", "09:00", "UTC").await;
    let paused = t
        .mentor
        .handle(&ana, Command::Nudge(NudgeCommand::PauseWeeks(2)))
        .await
        .expect("paused");
    assert!(paused.text.starts_with("Paused until"), "{}", paused.text);
    run_clock(
        &t,
        &s,
        utc(2026, 11, 18, 12, 0),
        utc(2026, 12, 3, 0, 0),
        Duration::hours(1),
    )
    .await;
    assert!(
        nudges_to(&fake.created(), 1100).is_empty(),
        "nothing while paused"
    );
    run_clock(
        &t,
        &s,
        utc(2026, 12, 3, 0, 0),
        utc(2026, 12, 8, 0, 0),
        Duration::hours(1),
    )
    .await;
    assert_eq!(
        nudges_to(&fake.created(), 1100).len(),
        1,
        "back after the pause"
    );
    t.mentor
        .handle(&ana, Command::Nudge(NudgeCommand::Off))
        .await
        .expect("off");
    run_clock(
        &t,
        &s,
        utc(2026, 12, 8, 0, 0),
        utc(2026, 12, 22, 0, 0),
        Duration::hours(1),
    )
    .await;
    assert_eq!(
        nudges_to(&fake.created(), 1100).len(),
        1,
        "nothing once off"
    );
    t.mentor
        .handle(&ana, Command::Nudge(NudgeCommand::Resume))
        .await
        .expect("resume");
    run_clock(
        &t,
        &s,
        utc(2026, 12, 22, 0, 0),
        utc(2026, 12, 29, 0, 0),
        Duration::hours(1),
    )
    .await;
    assert_eq!(nudges_to(&fake.created(), 1100).len(), 2, "resumed");
}

#[tokio::test]
async fn the_reminder_comes_once_and_only_without_an_answer() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 11, 20, 12, 0));
    let quiet = member(1200);
    let keen = member(1201);
    set_nudge(&t, &quiet, "monday", "09:00", "UTC").await;
    set_nudge(&t, &keen, "monday", "09:00", "UTC").await;
    run_clock(
        &t,
        &s,
        utc(2026, 11, 20, 12, 0),
        utc(2026, 11, 23, 10, 0),
        Duration::minutes(30),
    )
    .await;
    let nudge = nudges_to(&fake.created(), 1201)
        .pop()
        .expect("keen was nudged");
    assert_eq!(
        nudge.body["components"][0]["components"][0]["custom_id"], "reflect:answer:1201",
        "one click to answer"
    );
    assert_eq!(nudge.body["enforce_nonce"], true);
    assert!(nudge.body["nonce"].as_str().is_some_and(|n| n.len() <= 25));
    assert_eq!(nudge.body["allowed_mentions"]["parse"], json!([]));
    let answer = Command::Reflect {
        text: Some("The migration might slip".into()),
        mode: None,
    };
    t.mentor.handle(&keen, answer).await.expect("answered");
    run_clock(
        &t,
        &s,
        utc(2026, 11, 23, 10, 0),
        utc(2026, 11, 27, 0, 0),
        Duration::minutes(30),
    )
    .await;
    let reminders = |user: u64| {
        fake.created()
            .into_iter()
            .filter(|c| {
                c.recipient.as_deref() == Some(user.to_string().as_str())
                    && c.body["embeds"][0]["title"] == "A gentle reminder"
            })
            .count()
    };
    assert_eq!((reminders(1200), reminders(1201)), (1, 0));
}

#[tokio::test]
async fn the_team_question_is_posted_in_its_channel_weekly() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 11, 18, 12, 0));
    let admin = member(1300);
    let channel = "555000555000555000";
    let set = TeamCommand::Set {
        workspace: "42".into(),
        channel: channel.into(),
        day: "tuesday".into(),
        time: "10:00".into(),
        zone: "Europe/Berlin".into(),
    };
    t.mentor
        .handle(&admin, Command::Team(set))
        .await
        .expect("set");
    run_clock(
        &t,
        &s,
        utc(2026, 11, 18, 12, 0),
        utc(2026, 12, 2, 12, 0),
        Duration::hours(1),
    )
    .await;
    let posts: Vec<Created> = fake
        .created()
        .into_iter()
        .filter(|c| c.channel == channel)
        .collect();
    assert_eq!(posts.len(), 2, "Tuesdays 24 November and 1 December");
    assert!(
        posts[0].body["embeds"][0]["description"]
            .as_str()
            .is_some_and(|d| d.starts_with("In your next meeting, ask:"))
    );
    t.mentor
        .handle(
            &admin,
            Command::Team(TeamCommand::Off {
                workspace: "42".into(),
            }),
        )
        .await
        .expect("off");
    run_clock(
        &t,
        &s,
        utc(2026, 12, 2, 12, 0),
        utc(2026, 12, 16, 12, 0),
        Duration::hours(1),
    )
    .await;
    assert_eq!(
        fake.created()
            .into_iter()
            .filter(|c| c.channel == channel)
            .count(),
        2,
        "none after off"
    );
}

#[tokio::test]
async fn a_send_that_keeps_failing_is_given_up_with_the_error_recorded() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 11, 22, 12, 0));
    set_nudge(&t, &member(1400), "monday", "09:00", "UTC").await;
    s.plan().await.expect("planned");
    t.clock.set(utc(2026, 11, 23, 9, 1));
    fake.fail_next(
        "/messages",
        502,
        json!({"message": "Bad Gateway", "code": 0}),
        10,
    );
    let mut passes = Vec::new();
    for _ in 0..6 {
        passes.push(s.dispatch().await.expect("dispatch"));
        t.clock.advance(Duration::minutes(5));
    }
    let retried: u64 = passes.iter().map(|p| p.retried).sum();
    let failed: u64 = passes.iter().map(|p| p.failed).sum();
    assert_eq!(
        (retried, failed),
        (4, 1),
        "five attempts, then given up: {passes:?}"
    );
    let row = deliveries(&t, 1).await.pop().expect("the nudge");
    assert_eq!(row.2, "failed");
    assert!(
        row.4
            .as_deref()
            .is_some_and(|e| e.contains("gave up after 5 attempts") && e.contains("HTTP 502")),
        "{row:?}"
    );
    assert!(fake.created().is_empty());
}

#[tokio::test]
async fn a_sent_nudge_records_the_discord_message_id() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t, &fake, "a");
    t.clock.set(utc(2026, 11, 22, 12, 0));
    set_nudge(&t, &member(1500), "monday", "09:00", "UTC").await;
    s.plan().await.expect("planned");
    t.clock.set(utc(2026, 11, 23, 9, 1));
    assert_eq!(s.dispatch().await.expect("dispatch").sent, 1);
    let created = fake.created().pop().expect("a message");
    let stored = count_rows(
        &t.db,
        &format!(
            "SELECT COUNT(*) FROM deliveries WHERE message_id = '{}'",
            created.id
        ),
    )
    .await;
    assert_eq!(stored, 1);
}
