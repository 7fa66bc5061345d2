//! The scheduler as one process runs it: daylight-saving days to the minute, two front ends at
//! once each sending only to its own members, and a supervisor that outlives a panic.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use mentorbot::clock::Clock;
use mentorbot::frontends::discord::messenger::DiscordMessenger;
use mentorbot::frontends::terminal::{self, TerminalMessenger};
use mentorbot::mentor::{Command, MemberRef, NudgeCommand, Reply};
use mentorbot::outbound::{Messenger, SendFuture};
use mentorbot::platform::Platform;
use mentorbot::schedule::runner::{Scheduler, SchedulerSettings};
use poise::serenity_prelude::HttpBuilder;
use support::fake_discord::FakeDiscord;
use support::{TestMentor, count_rows, test_mentor};

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("a valid time")
}

fn discord_member(id: u64) -> MemberRef {
    MemberRef::new(Platform::Discord, "global", &id.to_string(), "member")
}

fn discord_messenger(fake: &FakeDiscord) -> Arc<DiscordMessenger> {
    let http = Arc::new(
        HttpBuilder::new("fake-token")
            .proxy(fake.base.clone())
            .ratelimiter_disabled(true)
            .build(),
    );
    Arc::new(DiscordMessenger::new(http, 1_000.0))
}

fn scheduler(t: &TestMentor) -> Scheduler {
    Scheduler::new(
        t.mentor.clone(),
        t.clock.clone(),
        "test".to_string(),
        SchedulerSettings::default(),
    )
}

async fn set_nudge(t: &TestMentor, who: &MemberRef, day: &str, time: &str, zone: &str) {
    let command = Command::Nudge(NudgeCommand::Set {
        day: day.into(),
        time: time.into(),
        zone: Some(zone.into()),
    });
    t.mentor.handle(who, command).await.expect("set");
}

/// Steps the clock to `to` a few minutes at a time, planning and sending at each step.
async fn run_until(t: &TestMentor, s: &Scheduler, to: DateTime<Utc>) {
    while t.clock.now() < to {
        t.clock.advance(Duration::minutes(5));
        s.plan().await.expect("planned");
        s.dispatch().await.expect("dispatched");
    }
}

/// The local times at which the fake Discord received weekly questions, by due time.
async fn sent_due_times(t: &TestMentor) -> Vec<i64> {
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite:{}", t.db.url))
        .await
        .expect("the database opens");
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT due_at FROM deliveries WHERE kind = 'nudge' AND status = 'sent' ORDER BY due_at",
    )
    .fetch_all(&pool)
    .await
    .expect("rows");
    pool.close().await;
    due
}

/// Weekly questions the fake Discord received (reminders not counted).
fn weekly_questions(fake: &FakeDiscord) -> usize {
    fake.created()
        .iter()
        .filter(|c| c.body["embeds"][0]["title"] == "Your weekly reflection")
        .count()
}

#[tokio::test]
async fn a_nudge_in_the_spring_gap_is_sent_once_at_the_first_valid_minute() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t).with_messenger(Platform::Discord, discord_messenger(&fake));
    t.clock.set(utc(2026, 3, 20, 12, 0));
    set_nudge(&t, &discord_member(1), "sunday", "02:30", "Europe/Berlin").await;
    run_until(&t, &s, utc(2026, 4, 6, 0, 0)).await;
    let berlin = chrono_tz::Europe::Berlin;
    let local: Vec<String> = sent_due_times(&t)
        .await
        .into_iter()
        .map(|due| {
            DateTime::from_timestamp(due, 0)
                .expect("a time")
                .with_timezone(&berlin)
                .format("%d %b %H:%M")
                .to_string()
        })
        .collect();
    // 02:30 does not exist on 29 March in Berlin: clocks go from 02:00 to 03:00.
    assert_eq!(local, ["22 Mar 02:30", "29 Mar 03:00", "05 Apr 02:30"]);
    assert_eq!(weekly_questions(&fake), 3, "one question each Sunday");
}

#[tokio::test]
async fn a_nudge_in_the_autumn_overlap_is_sent_once() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let s = scheduler(&t).with_messenger(Platform::Discord, discord_messenger(&fake));
    t.clock.set(utc(2026, 10, 16, 12, 0));
    set_nudge(&t, &discord_member(2), "sunday", "02:30", "Europe/Berlin").await;
    run_until(&t, &s, utc(2026, 11, 3, 0, 0)).await;
    let due = sent_due_times(&t).await;
    let days: Vec<(u32, u32)> = due
        .iter()
        .map(|due| {
            let local = DateTime::from_timestamp(*due, 0)
                .expect("a time")
                .with_timezone(&chrono_tz::Europe::Berlin);
            (
                chrono::Datelike::day(&local),
                local.hour() * 60 + local.minute(),
            )
        })
        .collect();
    // 02:30 happens twice on 25 October in Berlin (summer time, then winter time): once only.
    assert_eq!(days, [(18, 150), (25, 150), (1, 150)], "{due:?}");
    assert_eq!(weekly_questions(&fake), 3);
}

#[tokio::test]
async fn two_front_ends_in_one_process_each_reach_only_their_own_members() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    let (terminal_messenger, mut printed) = terminal::messenger();
    let s = scheduler(&t)
        .with_messenger(Platform::Discord, discord_messenger(&fake))
        .with_messenger(Platform::Terminal, Arc::new(terminal_messenger));
    t.clock.set(utc(2026, 11, 20, 12, 0));
    let on_discord = [discord_member(11), discord_member(12)];
    let in_terminal = MemberRef::new(Platform::Terminal, "local", "Ana", "Ana");
    for who in on_discord.iter().chain([&in_terminal]) {
        set_nudge(&t, who, "monday", "09:00", "UTC").await;
    }
    // A Slack member while no Slack front end runs: planned for nobody, sent to nobody.
    let on_slack = MemberRef::new(Platform::Slack, "T1", "U1", "Sam");
    set_nudge(&t, &on_slack, "monday", "09:00", "UTC").await;
    run_until(&t, &s, utc(2026, 11, 23, 10, 0)).await;

    let recipients: Vec<String> = fake
        .created()
        .into_iter()
        .filter_map(|c| c.recipient)
        .collect();
    assert_eq!(recipients.len(), 2, "{recipients:?}");
    assert!(recipients.contains(&"11".to_string()) && recipients.contains(&"12".to_string()));
    let mut terminal_messages = Vec::new();
    while let Ok(text) = printed.try_recv() {
        terminal_messages.push(text);
    }
    assert_eq!(terminal_messages.len(), 1, "{terminal_messages:?}");
    assert!(terminal_messages[0].contains("Your weekly reflection"));
    assert_eq!(
        count_rows(&t.db, "SELECT COUNT(*) FROM deliveries WHERE member_id = 4").await,
        0,
        "nothing is planned for a platform this process does not serve"
    );
}

/// A front end whose first send panics, as a bug in it would; later sends go through.
struct PanicsOnce {
    panicked: AtomicBool,
    inner: TerminalMessenger,
}

impl Messenger for PanicsOnce {
    fn send_direct<'a>(
        &'a self,
        user: &'a str,
        message: &'a Reply,
        key: &'a str,
    ) -> SendFuture<'a> {
        if !self.panicked.swap(true, Ordering::SeqCst) {
            panic!("a bug in a front end");
        }
        self.inner.send_direct(user, message, key)
    }

    fn post<'a>(&'a self, channel: &'a str, message: &'a Reply, key: &'a str) -> SendFuture<'a> {
        self.inner.post(channel, message, key)
    }
}

#[tokio::test]
async fn the_scheduler_restarts_after_a_panic_and_the_nudge_still_goes_out() {
    let t = test_mentor().await;
    let (inner, mut printed) = terminal::messenger();
    let messenger = Arc::new(PanicsOnce {
        panicked: AtomicBool::new(false),
        inner,
    });
    let settings = SchedulerSettings {
        tick: StdDuration::from_millis(10),
        restart_after: StdDuration::from_millis(10),
        ..SchedulerSettings::default()
    };
    let s = Scheduler::new(t.mentor.clone(), t.clock.clone(), "test".into(), settings)
        .with_messenger(Platform::Terminal, messenger.clone());
    t.clock.set(utc(2026, 11, 22, 12, 0));
    let ana = MemberRef::new(Platform::Terminal, "local", "Ana", "Ana");
    set_nudge(&t, &ana, "monday", "09:00", "UTC").await;
    t.clock.set(utc(2026, 11, 23, 9, 1));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(s.run(async {
        let _ = stopped.await;
    }));
    // The first send panics with the row leased; once the lease runs out, the restarted loop
    // takes the row up again.
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(20);
    while !messenger.panicked.load(Ordering::SeqCst) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the first send never came"
        );
        tokio::time::sleep(StdDuration::from_millis(10)).await;
    }
    t.clock.advance(Duration::seconds(16));
    let nudge = tokio::time::timeout(StdDuration::from_secs(20), printed.recv())
        .await
        .expect("the nudge went out after the restart")
        .expect("a message");
    assert!(nudge.contains("Your weekly reflection"), "{nudge}");
    let _ = stop.send(());
    tokio::time::timeout(StdDuration::from_secs(20), running)
        .await
        .expect("the scheduler stops when told")
        .expect("the supervisor itself never panics");
    assert_eq!(
        count_rows(
            &t.db,
            "SELECT COUNT(*) FROM deliveries WHERE status = 'sent' AND attempts = 2"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_process_claims_only_what_it_can_deliver() {
    let t = test_mentor().await;
    let fake = FakeDiscord::start().await;
    t.clock.set(utc(2026, 11, 20, 12, 0));
    let on_discord = discord_member(21);
    let ana = MemberRef::new(Platform::Terminal, "local", "Ana", "Ana");
    let ben = MemberRef::new(Platform::Terminal, "local", "Ben", "Ben");
    for who in [&on_discord, &ana, &ben] {
        set_nudge(&t, who, "monday", "09:00", "UTC").await;
    }
    // Ana's terminal session and the Discord service share the database.
    let (messenger, mut printed) = terminal::messenger();
    let anas_session = scheduler(&t)
        .with_messenger(Platform::Terminal, Arc::new(messenger))
        .only_for("Ana");
    let service = scheduler(&t).with_messenger(Platform::Discord, discord_messenger(&fake));
    service.plan().await.expect("planned");
    anas_session.plan().await.expect("planned");
    t.clock.set(utc(2026, 11, 23, 9, 1));
    let session_pass = anas_session.dispatch().await.expect("dispatched");
    assert_eq!(session_pass.sent, 1, "only Ana's own: {session_pass:?}");
    assert!(
        printed
            .try_recv()
            .is_ok_and(|text| text.contains("Your weekly reflection"))
    );
    assert!(
        printed.try_recv().is_err(),
        "Ben's question is not shown to Ana"
    );
    let service_pass = service.dispatch().await.expect("dispatched");
    assert_eq!(
        service_pass.sent, 1,
        "the Discord member's own: {service_pass:?}"
    );
    assert_eq!(fake.created().len(), 1);
    assert_eq!(
        count_rows(
            &t.db,
            "SELECT COUNT(*) FROM deliveries WHERE status = 'pending' AND kind = 'nudge'"
        )
        .await,
        1,
        "Ben's waits for his own session; nothing was failed for want of a front end"
    );
}

#[tokio::test]
async fn turning_the_reminder_off_stops_one_already_planned() {
    let t = test_mentor().await;
    let (messenger, mut printed) = terminal::messenger();
    let s = scheduler(&t).with_messenger(Platform::Terminal, Arc::new(messenger));
    let ana = MemberRef::new(Platform::Terminal, "local", "Ana", "Ana");
    t.clock.set(utc(2026, 11, 20, 12, 0));
    set_nudge(&t, &ana, "monday", "09:00", "UTC").await;
    run_until(&t, &s, utc(2026, 11, 23, 10, 0)).await;
    assert!(printed.try_recv().is_ok(), "the nudge came");
    t.mentor
        .handle(&ana, Command::Nudge(NudgeCommand::Reminder(false)))
        .await
        .expect("reminder off");
    run_until(&t, &s, utc(2026, 11, 26, 12, 0)).await;
    assert!(
        printed.try_recv().is_err(),
        "no reminder after turning it off"
    );
    assert_eq!(
        count_rows(
            &t.db,
            "SELECT COUNT(*) FROM deliveries WHERE kind = 'reminder' AND status = 'skipped'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_saturday_question_is_reminded_on_sunday_evening() {
    let t = test_mentor().await;
    let (messenger, mut printed) = terminal::messenger();
    let s = scheduler(&t).with_messenger(Platform::Terminal, Arc::new(messenger));
    let ana = MemberRef::new(Platform::Terminal, "local", "Ana", "Ana");
    t.clock.set(utc(2026, 11, 25, 12, 0));
    set_nudge(&t, &ana, "saturday", "09:00", "Europe/Berlin").await;
    run_until(&t, &s, utc(2026, 11, 30, 12, 0)).await;
    let mut shown = Vec::new();
    while let Ok(text) = printed.try_recv() {
        shown.push(text);
    }
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(shown[0].contains("Your weekly reflection"));
    assert!(shown[1].contains("A gentle reminder"));
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite:{}", t.db.url))
        .await
        .expect("the database opens");
    let due: i64 = sqlx::query_scalar("SELECT due_at FROM deliveries WHERE kind = 'reminder'")
        .fetch_one(&pool)
        .await
        .expect("the reminder");
    pool.close().await;
    // Sunday 29 November, 21:00 in Berlin (20:00 UTC): the same week as the question.
    assert_eq!(due, utc(2026, 11, 29, 20, 0).timestamp());
}
