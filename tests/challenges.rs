//! Team challenges end to end: real serenity/poise against the fake Discord for the
//! commands, and the scheduler (on a manual clock) for the kickoff, the mid-way reminder and
//! the digest; then the bad inputs, in the core.

mod support;

use std::sync::Arc;
use std::time::Duration;

use mentorbot::config::Secret;
use mentorbot::frontends::discord::messenger::DiscordMessenger;
use mentorbot::frontends::discord::{self, Settings};
use mentorbot::mentor::challenge::{CustomChallenge, StartChallenge};
use mentorbot::mentor::{ChallengeAction, ChallengeCommand, Command, Place};
use mentorbot::platform::Platform;
use mentorbot::schedule::runner::{Scheduler, SchedulerSettings};
use poise::serenity_prelude::HttpBuilder;
use serde_json::{Value, json};
use support::fake_discord::{self as fake, FakeDiscord, Recorded};
use support::{TestMentor, count_rows, member, test_mentor};

const WAIT: Duration = Duration::from_secs(15);
const LEAD: u64 = 300_000_000_000_000_010;
const ANA: u64 = 300_000_000_000_000_011;
const BO: u64 = 300_000_000_000_000_012;
const CY: u64 = 300_000_000_000_000_013;
const DEV: u64 = 300_000_000_000_000_014;

struct Bot {
    fake: FakeDiscord,
    t: TestMentor,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Bot {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn start_bot() -> Bot {
    let fake = FakeDiscord::start().await;
    let t = test_mentor().await;
    let settings = Settings {
        token: Secret::new("fake-token"),
        api_base: fake.base.clone(),
        guild_id: None,
        shards: Default::default(),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(discord::run(settings, t.mentor.clone(), async {
        let _ = stopped.await;
    }));
    fake.wait_for("command registration", WAIT, |r| {
        r.method == "PUT" && r.path.ends_with("/commands")
    })
    .await;
    Bot {
        fake,
        t,
        stop: Some(stop),
    }
}

/// Sends a slash command's `data` from `user` in the test server, letting `tweak` change the
/// interaction (permissions, roles); returns the callback that answered it.
async fn send_as(bot: &Bot, user: u64, data: Value, tweak: impl FnOnce(&mut Value)) -> Recorded {
    let id = bot.fake.id();
    let person = fake::user(user, &format!("member{}", user % 100));
    let mut interaction = fake::interaction_base(id, 2, &person, false);
    interaction["data"] = data;
    tweak(&mut interaction);
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let path = format!("/api/v10/interactions/{id}/token-{id}/callback");
    bot.fake
        .wait_for(&path, WAIT, |r| r.path == path && r.status == 204)
        .await
}

/// Sends `data` from `user`, with Manage Server when `leader`.
async fn send(bot: &Bot, user: u64, leader: bool, data: Value) -> Recorded {
    send_as(bot, user, data, |interaction| {
        if leader {
            interaction["member"]["permissions"] = json!("32");
        }
    })
    .await
}

/// The data of `/<name> <sub> …`.
fn sub(name: &str, sub: &str, options: Value) -> Value {
    json!({"id": "1", "name": name, "type": 1,
        "options": [{"name": sub, "type": 1, "options": options}]})
}

/// `/challenge <sub> …` from `user`, with Manage Server when `leader`.
async fn challenge(bot: &Bot, user: u64, leader: bool, sub_name: &str, options: Value) -> Recorded {
    send(bot, user, leader, sub("challenge", sub_name, options)).await
}

/// Everything a callback or a message shows: content, embed title, text and fields.
fn shown(body: &Value) -> String {
    let data = if body["data"].is_object() {
        &body["data"]
    } else {
        body
    };
    let mut out = data["content"].as_str().unwrap_or_default().to_string();
    for embed in data["embeds"].as_array().into_iter().flatten() {
        out.push_str(embed["title"].as_str().unwrap_or_default());
        out.push('\n');
        out.push_str(embed["description"].as_str().unwrap_or_default());
        for field in embed["fields"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "\n{}: {}",
                field["name"].as_str().unwrap_or_default(),
                field["value"].as_str().unwrap_or_default()
            ));
        }
    }
    out
}

fn scheduler(bot: &Bot) -> Scheduler {
    let http = Arc::new(
        HttpBuilder::new("fake-token")
            .proxy(bot.fake.base.clone())
            .ratelimiter_disabled(true)
            .build(),
    );
    Scheduler::new(
        bot.t.mentor.clone(),
        bot.t.clock.clone(),
        "test".to_string(),
        SchedulerSettings::default(),
    )
    .with_messenger(
        Platform::Discord,
        Arc::new(DiscordMessenger::new(http, 1_000.0)),
    )
}

async fn run_for(bot: &Bot, s: &Scheduler, hours: i64) {
    for _ in 0..hours {
        bot.t.clock.advance(chrono::Duration::hours(1));
        s.plan().await.expect("planned");
        s.dispatch().await.expect("dispatched");
    }
}

/// Messages the fake received in the team channel.
fn channel_posts(bot: &Bot) -> Vec<String> {
    bot.fake
        .created()
        .iter()
        .filter(|c| c.channel == fake::CHANNEL_ID.to_string())
        .map(|c| shown(&c.body))
        .collect()
}

/// How many messages the fake received that show `text`.
fn messages_containing(bot: &Bot, text: &str) -> usize {
    bot.fake
        .created()
        .iter()
        .filter(|c| shown(&c.body).contains(text))
        .count()
}

/// Challenge reminders the member received by DM (their weekly questions not counted).
fn dms_to(bot: &Bot, user: u64) -> Vec<String> {
    bot.fake
        .created()
        .iter()
        .filter(|c| c.recipient.as_deref() == Some(user.to_string().as_str()))
        .map(|c| shown(&c.body))
        .filter(|text| text.contains("Half-way through"))
        .collect()
}

#[tokio::test]
async fn a_team_runs_a_challenge_from_kickoff_to_digest_without_exposing_private_check_ins() {
    let bot = start_bot().await;
    let start = json!([{"name": "challenge", "type": 3, "value": "pre-mortem"},
                       {"name": "days", "type": 4, "value": 10}]);
    let refused = challenge(&bot, ANA, false, "start", start.clone()).await;
    assert!(shown(&refused.body).contains("Only the team's leaders"));
    assert_eq!(
        count_rows(&bot.t.db, "SELECT COUNT(*) FROM challenges").await,
        0
    );

    let started = challenge(&bot, LEAD, true, "start", start).await;
    assert!(
        shown(&started.body).contains("Challenge started"),
        "{}",
        shown(&started.body)
    );

    for user in [ANA, BO, CY, DEV] {
        let joined = challenge(&bot, user, false, "join", json!([])).await;
        assert!(
            shown(&joined.body).contains("You joined"),
            "{}",
            shown(&joined.body)
        );
    }
    // A member who leaves counts nowhere: not on the board, not in the digest.
    challenge(&bot, DEV, false, "leave", json!([])).await;
    let shared_text = "Ran the pre-mortem: the data migration is our biggest risk.";
    let private_text = "PRIVATE-NOTE my manager does not back this launch.";
    let checkin = |text: &str, share: bool| {
        json!([{"name": "text", "type": 3, "value": text},
               {"name": "share", "type": 5, "value": share}])
    };
    challenge(&bot, ANA, false, "checkin", checkin(shared_text, true)).await;
    let second = challenge(&bot, BO, false, "checkin", checkin(private_text, false)).await;
    assert!(shown(&second.body).contains("Only you can see it"));
    let again = challenge(&bot, BO, false, "checkin", checkin("and one more", false)).await;
    assert!(shown(&again.body).contains("both are kept"));
    challenge(&bot, ANA, false, "done", json!([])).await;
    // Check-ins are entries in each member's own log, as leadership.
    let logged = count_rows(
        &bot.t.db,
        "SELECT COUNT(*) FROM reflections WHERE mode = 'leadership'",
    )
    .await;
    assert_eq!(logged, 3);

    let board = shown(&challenge(&bot, CY, false, "board", json!([])).await.body);
    assert!(
        board.contains("3 joined · 2 checked in · 1 completed"),
        "{board}"
    );
    assert!(
        !board.contains("PRIVATE-NOTE") && !board.contains("data migration"),
        "{board}"
    );

    // The scheduler: kickoff now, the reminder half-way (5 days), the digest at 10 days.
    let s = scheduler(&bot);
    run_for(&bot, &s, 1).await;
    let posts = channel_posts(&bot);
    assert_eq!(posts.len(), 1, "one kickoff: {posts:#?}");
    assert!(posts[0].contains("New team challenge"));
    run_for(&bot, &s, 5 * 24).await;
    assert_eq!(
        dms_to(&bot, CY).len(),
        1,
        "the member without a check-in is reminded"
    );
    assert!(dms_to(&bot, CY)[0].contains("Half-way through"));
    assert!(dms_to(&bot, ANA).is_empty() && dms_to(&bot, BO).is_empty());
    run_for(&bot, &s, 5 * 24 + 2).await;
    let posts = channel_posts(&bot);
    assert_eq!(posts.len(), 2, "kickoff and digest, once each: {posts:#?}");
    let digest = &posts[1];
    assert!(digest.contains("Wrap-up"), "{digest}");
    assert!(
        digest.contains("3 joined · 2 checked in · 1 completed"),
        "{digest}"
    );
    assert!(
        digest.contains("data migration is our biggest risk"),
        "{digest}"
    );
    for private in [private_text, "and one more"] {
        assert!(!digest.contains(private), "{digest}");
    }
    // Over: no more joining, and nothing is sent twice.
    let late = challenge(
        &bot,
        BO,
        false,
        "join",
        json!([{"name": "number", "type": 4, "value": 1}]),
    )
    .await;
    assert!(shown(&late.body).contains("over"), "{}", shown(&late.body));
    run_for(&bot, &s, 24).await;
    assert_eq!(channel_posts(&bot).len(), 2);
    assert_eq!(dms_to(&bot, CY).len(), 1);
}

#[tokio::test]
async fn a_leader_can_end_a_challenge_early_and_the_digest_follows_at_once() {
    let bot = start_bot().await;
    let custom = json!([
        {"name": "title", "type": 3, "value": "Tell the story at the all-hands"},
        {"name": "goal", "type": 3, "value": "Practise telling why, not just what."},
        {"name": "check_in", "type": 3, "value": "What did you say, and how did it land?"},
        {"name": "done_when", "type": 3, "value": "You told it once, to the whole team."},
    ]);
    // Posted in another channel than the one the command came from.
    const NEWS: u64 = 100_000_000_000_000_777;
    let mut custom = custom;
    if let Some(options) = custom.as_array_mut() {
        options.push(json!({"name": "channel", "type": 7, "value": NEWS.to_string()}));
    }
    let id = bot.fake.id();
    let person = fake::user(LEAD, "lead");
    let mut interaction = fake::interaction_base(id, 2, &person, false);
    interaction["member"]["permissions"] = json!("32");
    interaction["data"] = json!({"id": "1", "name": "challenge", "type": 1,
        "options": [{"name": "start", "type": 1, "options": custom}],
        "resolved": {"channels": {NEWS.to_string(): {"id": NEWS.to_string(),
            "name": "news", "type": 0, "permissions": "0"}}}});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let path = format!("/api/v10/interactions/{id}/token-{id}/callback");
    let started = bot
        .fake
        .wait_for(&path, WAIT, |r| r.path == path && r.status == 204)
        .await;
    assert!(
        shown(&started.body).contains("Tell the story"),
        "{}",
        shown(&started.body)
    );
    let s = scheduler(&bot);
    run_for(&bot, &s, 1).await;
    let refused = challenge(&bot, ANA, false, "end", json!([])).await;
    assert!(shown(&refused.body).contains("Only the team's leaders"));
    challenge(&bot, LEAD, true, "end", json!([])).await;
    run_for(&bot, &s, 1).await;
    let posts: Vec<String> = bot
        .fake
        .created()
        .iter()
        .filter(|c| c.channel == NEWS.to_string())
        .map(|c| shown(&c.body))
        .collect();
    assert_eq!(posts.len(), 2, "{posts:#?}");
    assert!(posts[1].contains("Wrap-up") && posts[1].contains("0 joined"));
    assert!(
        channel_posts(&bot).is_empty(),
        "nothing in the command's channel"
    );
}

fn place() -> Place {
    Place {
        workspace: "guild-1".into(),
        channel: "channel-1".into(),
        leader: true,
    }
}

async fn act(t: &TestMentor, who: &str, action: ChallengeAction) -> Result<String, String> {
    let command = Command::Challenge(ChallengeCommand {
        place: place(),
        action,
    });
    match t.mentor.handle(&member(who), command).await {
        Ok(reply) => Ok(format!("{} {}", reply.title, reply.text)),
        Err(error) => Err(error.to_string()),
    }
}

fn start(library_id: Option<&str>, days: Option<i64>, starts: Option<&str>) -> ChallengeAction {
    ChallengeAction::Start(StartChallenge {
        library_id: library_id.map(str::to_string),
        days,
        starts: starts.map(str::to_string),
        ..StartChallenge::default()
    })
}

#[tokio::test]
async fn bad_challenge_input_gets_a_clear_answer_and_stores_nothing_wrong() {
    let t = test_mentor().await;
    let count = || count_rows(&t.db, "SELECT COUNT(*) FROM challenges");
    for (action, says) in [
        (
            start(Some("no-such-thing"), None, None),
            "no challenge 'no-such-thing'",
        ),
        (start(Some("pre-mortem"), Some(0), None), "1 to 90 days"),
        (start(Some("pre-mortem"), Some(1000), None), "1 to 90 days"),
        (
            start(Some("pre-mortem"), None, Some("2026-11-01")),
            "has passed",
        ),
        (
            start(Some("pre-mortem"), None, Some("next week")),
            "YYYY-MM-DD",
        ),
        (start(None, None, None), "Name a challenge"),
    ] {
        let answer = act(&t, "lead", action).await;
        assert!(
            answer.as_ref().is_err_and(|e| e.contains(says)),
            "{says}: {answer:?}"
        );
    }
    let empty_title = ChallengeAction::Start(StartChallenge {
        custom: Some(CustomChallenge {
            title: "  ".into(),
            goal: "g".into(),
            check_in: "c".into(),
            done_when: "d".into(),
        }),
        ..StartChallenge::default()
    });
    assert!(
        act(&t, "lead", empty_title)
            .await
            .is_err_and(|e| e.contains("title"))
    );
    let long_goal = ChallengeAction::Start(StartChallenge {
        custom: Some(CustomChallenge {
            title: "t".into(),
            goal: "g".repeat(501),
            check_in: "c".into(),
            done_when: "d".into(),
        }),
        ..StartChallenge::default()
    });
    assert!(
        act(&t, "lead", long_goal)
            .await
            .is_err_and(|e| e.contains("500"))
    );
    assert_eq!(count().await, 0);

    assert!(
        act(&t, "ana", ChallengeAction::Join(None))
            .await
            .is_err_and(|e| e.contains("No challenge"))
    );
    assert!(
        act(&t, "ana", ChallengeAction::Join(Some(99)))
            .await
            .is_err_and(|e| e.contains("#99"))
    );
    act(&t, "lead", start(Some("pre-mortem"), None, None))
        .await
        .expect("started");
    let not_joined = ChallengeAction::CheckIn {
        challenge: None,
        text: "x".into(),
        share: false,
    };
    assert!(
        act(&t, "ana", not_joined)
            .await
            .is_err_and(|e| e.contains("not joined"))
    );
    act(&t, "ana", ChallengeAction::Join(None))
        .await
        .expect("joined");
    let empty = ChallengeAction::CheckIn {
        challenge: None,
        text: " \n ".into(),
        share: true,
    };
    assert!(
        act(&t, "ana", empty)
            .await
            .is_err_and(|e| e.contains("empty"))
    );
    assert_eq!(
        count_rows(&t.db, "SELECT COUNT(*) FROM challenge_checkins").await,
        0
    );

    // A challenge in another workspace is invisible here.
    let elsewhere = Command::Challenge(ChallengeCommand {
        place: Place {
            workspace: "guild-2".into(),
            ..place()
        },
        action: ChallengeAction::Board(Some(1)),
    });
    assert!(t.mentor.handle(&member("ana"), elsewhere).await.is_err());
}

/// `/reflect text:…` from `user` in the test server.
async fn reflect_in_server(bot: &Bot, user: u64, text: &str) {
    let data = json!({"id": "1", "name": "reflect", "type": 1,
        "options": [{"name": "text", "type": 3, "value": text}]});
    send(bot, user, false, data).await;
}

async fn team_view(bot: &Bot, user: u64, leader: bool) -> String {
    shown(
        &send(bot, user, leader, sub("team", "view", json!([])))
            .await
            .body,
    )
}

#[tokio::test]
async fn the_team_view_shows_aggregates_for_three_or_more_and_never_an_entry() {
    let bot = start_bot().await;
    let alone = team_view(&bot, LEAD, true).await;
    assert!(alone.contains("needs at least 3"), "{alone}");
    let texts = [
        (
            ANA,
            "leadership: SECRET-ANA pitched the vision to the board",
        ),
        (BO, "management: SECRET-BO sorted the sprint backlog"),
    ];
    for (user, text) in texts {
        reflect_in_server(&bot, user, text).await;
    }
    // Two writers (and the leader, who counts as a member): no share is shown.
    let small = team_view(&bot, LEAD, true).await;
    assert!(small.contains("fewer than 3 members wrote"), "{small}");
    assert!(!small.contains('%'), "no aggregate for two: {small}");

    reflect_in_server(&bot, CY, "leadership: SECRET-CY coached a new PM").await;
    let refused = team_view(&bot, CY, false).await;
    assert!(refused.contains("Only the team's leaders"), "{refused}");
    let view = team_view(&bot, LEAD, true).await;
    assert!(view.contains("3 of 4 reflected"), "{view}");
    assert!(view.contains("67% leadership"), "{view}");
    assert!(view.contains("0 · 3"), "this week's 3 writers: {view}");
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite:{}", bot.t.db.url))
        .await
        .expect("the database opens");
    let stored: Vec<String> = sqlx::query_scalar("SELECT text FROM reflections")
        .fetch_all(&pool)
        .await
        .expect("texts");
    assert_eq!(stored.len(), 3);
    for text in stored {
        let words: Vec<&str> = text.split_whitespace().collect();
        for pair in words.windows(2) {
            assert!(
                !view.contains(&pair.join(" ")),
                "the view shows '{}' from an entry: {view}",
                pair.join(" ")
            );
        }
    }
    for name in ["member11", "member12", "member13"] {
        assert!(!view.contains(name), "no one is named: {view}");
    }
}

/// `/team holiday <action> …`: a subcommand group, as Discord nests it.
async fn holiday(bot: &Bot, user: u64, leader: bool, action: &str, options: Value) -> String {
    let nested = json!([{"name": action, "type": 1, "options": options}]);
    let data = json!({"id": "1", "name": "team", "type": 1,
        "options": [{"name": "holiday", "type": 2, "options": nested}]});
    shown(&send(bot, user, leader, data).await.body)
}

#[tokio::test]
async fn a_nudge_due_on_a_team_holiday_is_skipped_and_the_streak_holds() {
    let bot = start_bot().await;
    // Wednesday 18 November: Ana writes this week; her question comes on Mondays at 09:30.
    reflect_in_server(&bot, ANA, "leadership: wrote the narrative for next year").await;
    let add = |first: &str, last: &str| {
        json!([{"name": "first", "type": 3, "value": first},
               {"name": "last", "type": 3, "value": last},
               {"name": "name", "type": 3, "value": "Thanksgiving week"}])
    };
    let refused = holiday(&bot, ANA, false, "add", add("2026-11-23", "2026-11-29")).await;
    assert!(refused.contains("Only members who can manage"), "{refused}");
    for (first, last, says) in [
        ("2026-11-29", "2026-11-23", "comes before"),
        ("2026-11-23", "2027-01-30", "at most 31 days"),
        ("23/11/2026", "2026-11-29", "YYYY-MM-DD"),
        ("2026-10-01", "2026-10-02", "over already"),
    ] {
        let answer = holiday(&bot, LEAD, true, "add", add(first, last)).await;
        assert!(answer.contains(says), "{says}: {answer}");
    }
    let added = holiday(&bot, LEAD, true, "add", add("2026-11-23", "2026-11-29")).await;
    assert!(added.contains("Holiday added"), "{added}");
    let listed = holiday(&bot, ANA, false, "list", json!([])).await;
    assert!(
        listed.contains("2026-11-23 to 2026-11-29: Thanksgiving week"),
        "{listed}"
    );

    let s = scheduler(&bot);
    run_for(&bot, &s, 8 * 24).await;
    let questions: Vec<_> = bot
        .fake
        .created()
        .into_iter()
        .filter(|c| c.recipient.as_deref() == Some(ANA.to_string().as_str()))
        .filter(|c| shown(&c.body).contains("Your weekly reflection"))
        .collect();
    assert!(
        questions.is_empty(),
        "no question on the holiday: {questions:#?}"
    );
    let skipped = count_rows(
        &bot.t.db,
        &format!(
            "SELECT COUNT(*) FROM deliveries d JOIN members m ON m.id = d.member_id
             WHERE d.kind = 'nudge' AND d.status = 'skipped' AND d.error = 'a team holiday'
               AND m.user_id = '{ANA}'"
        ),
    )
    .await;
    assert_eq!(skipped, 1, "Ana's Monday question fell on the holiday");
    // Thursday 26 November... then Wednesday 2 December: the holiday week froze the streak.
    let ana =
        mentorbot::mentor::MemberRef::new(Platform::Discord, "global", &ANA.to_string(), "Ana");
    let log = bot
        .t
        .mentor
        .handle(&ana, Command::Log { page: 1 })
        .await
        .expect("the log");
    assert!(log.text.contains("1 week"), "{}", log.text);
}

/// (round, user, partner, mentors, stage, partner's stage), as stored.
type PairRow = (
    i64,
    String,
    Option<String>,
    bool,
    Option<String>,
    Option<String>,
);

/// A slash command with one subcommand, from `user` in the test server.
async fn sub_command(
    bot: &Bot,
    user: u64,
    leader: bool,
    name: &str,
    sub_name: &str,
    options: Value,
) -> String {
    shown(
        &send(bot, user, leader, sub(name, sub_name, options))
            .await
            .body,
    )
}

#[tokio::test]
async fn seven_members_are_paired_over_three_rounds_without_repeats_and_the_odd_one_is_told() {
    let bot = start_bot().await;
    // Stage choices are the library's stages by index: associate 0 … vp 5.
    let members: Vec<(u64, u64)> = (0..7)
        .map(|i| {
            (
                300_000_000_000_000_100 + i,
                [5, 4, 3, 2, 1, 0, 0][i as usize],
            )
        })
        .collect();
    for &(user, stage) in &members {
        sub_command(
            &bot,
            user,
            false,
            "stage",
            "set",
            json!([{"name": "stage", "type": 4, "value": stage}]),
        )
        .await;
        let opted = sub_command(&bot, user, false, "mentoring", "optin", json!([])).await;
        assert!(opted.contains("You are in"), "{opted}");
    }
    let refused = sub_command(
        &bot,
        members[0].0,
        false,
        "mentoring",
        "rounds",
        json!([{"name": "every", "type": 4, "value": 1}]),
    )
    .await;
    assert!(refused.contains("Only the team's leaders"), "{refused}");
    sub_command(
        &bot,
        LEAD,
        true,
        "mentoring",
        "rounds",
        json!([{"name": "every", "type": 4, "value": 1}]),
    )
    .await;

    let s = scheduler(&bot);
    run_for(&bot, &s, 3 * 7 * 24 - 2).await;
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite:{}", bot.t.db.url))
        .await
        .expect("the database opens");
    let rows: Vec<PairRow> = sqlx::query_as(
        "SELECT p.round_at, m.user_id, o.user_id, p.mentors, m.stage, o.stage
         FROM mentoring_pairs p JOIN members m ON m.id = p.member_id
         LEFT JOIN members o ON o.id = p.partner_id ORDER BY p.round_at",
    )
    .fetch_all(&pool)
    .await
    .expect("pairs");
    let rounds: std::collections::BTreeSet<i64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(rounds.len(), 3, "three rounds");
    let order = [
        "associate",
        "senior",
        "staff",
        "principal",
        "director",
        "vp",
    ];
    let rank = |stage: &Option<String>| order.iter().position(|s| Some(*s) == stage.as_deref());
    let mut seen_pairs = std::collections::HashSet::new();
    for (round_at, user, partner, mentors, stage, partner_stage) in &rows {
        if let Some(partner) = partner {
            assert_ne!(user, partner, "no self-pair");
            if *mentors {
                assert!(
                    rank(stage) >= rank(partner_stage),
                    "{user} mentors a more senior {partner}"
                );
                let pair = (user.min(partner).clone(), user.max(partner).clone());
                assert!(
                    seen_pairs.insert(pair),
                    "a repeated pair in round {round_at}"
                );
            }
        }
    }
    assert_eq!(seen_pairs.len(), 9, "three pairs in each of three rounds");
    let alone: Vec<&String> = rows
        .iter()
        .filter(|r| r.2.is_none())
        .map(|r| &r.1)
        .collect();
    assert_eq!(alone.len(), 3, "one left out each round");
    assert!(
        alone.windows(2).all(|w| w[0] != w[1]),
        "never left out twice running"
    );
    // The one left out is told; the others get an introduction with a first conversation.
    let told = messages_containing(&bot, "sit this one out");
    assert_eq!(told, 3);
    let intros = messages_containing(&bot, "A first conversation");
    assert_eq!(intros, 18);
    let follow_ups = messages_containing(&bot, "How did your conversation");
    assert!(
        follow_ups >= 12,
        "a follow-up a week after each round: {follow_ups}"
    );
}

#[tokio::test]
async fn members_with_the_leader_role_lead_without_managing_the_server() {
    let bot = start_bot().await;
    const ROLE: u64 = 100_000_000_000_000_900;
    let start = json!([{"name": "challenge", "type": 3, "value": "pre-mortem"}]);
    let with_role = |options: Value| {
        let id = bot.fake.id();
        let person = fake::user(ANA, "ana");
        let mut interaction = fake::interaction_base(id, 2, &person, false);
        interaction["member"]["roles"] = json!([ROLE.to_string()]);
        interaction["data"] = json!({"id": "1", "name": "challenge", "type": 1,
            "options": [{"name": "start", "type": 1, "options": options}]});
        (id, interaction)
    };
    let (id, interaction) = with_role(start.clone());
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let path = format!("/api/v10/interactions/{id}/token-{id}/callback");
    let refused = bot
        .fake
        .wait_for(&path, WAIT, |r| r.path == path && r.status == 204)
        .await;
    assert!(shown(&refused.body).contains("Only the team's leaders"));

    let lead =
        mentorbot::mentor::MemberRef::new(Platform::Discord, "global", &LEAD.to_string(), "Lead");
    let command = Command::Team(mentorbot::mentor::TeamCommand::Leaders {
        workspace: fake::GUILD_ID.to_string(),
        group: ROLE.to_string(),
    });
    bot.t
        .mentor
        .handle(&lead, command)
        .await
        .expect("the role is set");
    let (id, interaction) = with_role(start);
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let path = format!("/api/v10/interactions/{id}/token-{id}/callback");
    let started = bot
        .fake
        .wait_for(&path, WAIT, |r| r.path == path && r.status == 204)
        .await;
    assert!(
        shown(&started.body).contains("Challenge started"),
        "{}",
        shown(&started.body)
    );
}
