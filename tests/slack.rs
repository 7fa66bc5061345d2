//! The Slack front end end to end: real slack-morphism against the fake Slack on loopback,
//! over Socket Mode and over signed HTTP.

mod support;

use std::sync::Arc;
use std::time::Duration;

use mentorbot::config::Secret;
use mentorbot::frontends::slack::messenger::SlackMessenger;
use mentorbot::frontends::slack::{self, Settings, Transport};
use mentorbot::mentor::{Command, MemberRef};
use mentorbot::platform::Platform;
use mentorbot::schedule::runner::{Scheduler, SchedulerSettings};
use serde_json::{Value, json};
use support::coached;
use support::fake_model::FakeModel;
use support::fake_slack::{self as fake, FakeSlack, Recorded};
use support::{TestMentor, count_rows, free_port, health_within, test_mentor};

const WAIT: Duration = Duration::from_secs(15);
const ANA: &str = "U0ANA00001";
const BO: &str = "U0BO000002";
const CHANNEL: &str = "C0PRODUCT1";

struct Bot {
    fake: FakeSlack,
    t: TestMentor,
    messenger: Arc<SlackMessenger>,
    /// Where the HTTP server listens, when Slack comes over HTTP.
    http: Option<String>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Bot {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn people(fake: &FakeSlack) {
    fake.add_user(ANA, "Ana", "Europe/Berlin", true);
    fake.add_user(BO, "Bo", "America/New_York", false);
}

async fn start_socket_bot() -> Bot {
    let fake = FakeSlack::start().await;
    people(&fake);
    let transport = Transport::SocketMode {
        app_token: Secret::new(fake::APP_TOKEN),
    };
    let bot = start(fake, transport).await;
    bot.fake.wait_socket(1, WAIT).await;
    bot
}

async fn start_http_bot() -> Bot {
    let fake = FakeSlack::start().await;
    people(&fake);
    let transport = Transport::Http {
        signing_secret: Secret::new(fake::SIGNING_SECRET),
    };
    start(fake, transport).await
}

async fn start(fake: FakeSlack, transport: Transport) -> Bot {
    start_with(fake, transport, test_mentor().await).await
}

async fn start_with(fake: FakeSlack, transport: Transport, t: TestMentor) -> Bot {
    let settings = Settings {
        bot_token: Secret::new(fake::BOT_TOKEN),
        transport,
        api_base: fake.base.clone(),
    };
    let connection = slack::connect(settings, t.mentor.clone())
        .await
        .expect("auth.test passes");
    let messenger = Arc::new(connection.messenger(1_000.0));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (stop_http, stopped_http) = tokio::sync::watch::channel(false);
    let mut http = None;
    if let Some(routes) = connection.routes() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a port");
        http = Some(format!(
            "http://{}",
            listener.local_addr().expect("an address")
        ));
        let health = mentorbot::health::Health::new(t.mentor.store().clone());
        let mut stopped_http = stopped_http;
        tokio::spawn(mentorbot::health::serve(
            listener,
            health,
            Some(routes),
            async move {
                let _ = stopped_http.wait_for(|s| *s).await;
            },
        ));
    }
    tokio::spawn(connection.run(async move {
        let _ = stopped.await;
        let _ = stop_http.send(true);
    }));
    Bot {
        fake,
        t,
        messenger,
        http,
        stop: Some(stop),
    }
}

/// Sends a slash command over the socket; returns what came back through `response_url`.
async fn slash(bot: &Bot, user: &str, command: &str, text: &str) -> Recorded {
    let (url, envelope) = bot.fake.slash(user, CHANNEL, command, text);
    let ack = bot.fake.wait_ack(&envelope, WAIT).await;
    assert_eq!(ack["envelope_id"], envelope.as_str());
    response_to(bot, &url).await
}

async fn response_to(bot: &Bot, url: &str) -> Recorded {
    let id = url.rsplit('/').next().unwrap_or_default().to_string();
    bot.fake
        .wait_for(url, WAIT, |r| {
            r.method == "respond" && r.params["response_url_id"] == id.as_str()
        })
        .await
}

/// Every text in a message's blocks, joined.
fn text_of(body: &Value) -> String {
    let mut out = String::new();
    for block in body["blocks"].as_array().into_iter().flatten() {
        for text in [&block["text"]["text"], &block["text"]] {
            if let Some(text) = text.as_str() {
                out.push_str(text);
                out.push('\n');
            }
        }
    }
    out
}

fn header(body: &Value) -> String {
    body["blocks"][0]["text"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn buttons(body: &Value) -> Vec<Value> {
    body["blocks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["type"] == "actions")
        .flat_map(|b| b["elements"].as_array().cloned().unwrap_or_default())
        .collect()
}

async fn rows(bot: &Bot, sql: &str) -> i64 {
    count_rows(&bot.t.db, sql).await
}

fn block_actions(bot: &Bot, user: &str, action_id: &str, value: &str) -> (Value, String) {
    let url = bot.fake.response_url();
    let payload = json!({
        "type": "block_actions",
        "team": {"id": fake::TEAM, "domain": "fake"},
        "user": {"id": user, "username": user, "name": user, "team_id": fake::TEAM},
        "api_app_id": fake::APP_ID,
        "token": "deprecated",
        "container": {"type": "message", "message_ts": "1700000000.000001",
                      "channel_id": CHANNEL, "is_ephemeral": true},
        "trigger_id": "trigger.button",
        "channel": {"id": CHANNEL, "name": "product"},
        "response_url": url,
        "actions": [{"type": "button", "action_id": action_id, "block_id": "mentorbot:buttons",
                     "value": value, "text": {"type": "plain_text", "text": "x"},
                     "action_ts": "1700000001.000001"}],
    });
    (payload, url)
}

fn view_submission(user: &str, text: &str, mode: Option<&str>) -> Value {
    json!({
        "type": "view_submission",
        "team": {"id": fake::TEAM, "domain": "fake"},
        "user": {"id": user, "username": user, "name": user, "team_id": fake::TEAM},
        "api_app_id": fake::APP_ID,
        "token": "deprecated",
        "trigger_id": "trigger.form",
        "view": {
            "id": "V0FORM0001", "team_id": fake::TEAM, "type": "modal",
            "callback_id": "mentorbot:reflect", "hash": "h", "private_metadata": "",
            "title": {"type": "plain_text", "text": "This week's reflection"},
            "blocks": [],
            "state": {"values": {
                "text": {"answer": {"type": "plain_text_input", "value": text}},
                "mode": {"mode": {"type": "plain_text_input", "value": mode}},
            }},
        },
    })
}

#[tokio::test]
async fn a_tip_arrives_privately_through_the_response_url() {
    let bot = start_socket_bot().await;
    let (url, envelope) = bot.fake.slash(ANA, CHANNEL, "/mentor", "tip storytelling");
    let ack = bot.fake.wait_ack(&envelope, WAIT).await;
    assert!(
        ack.get("payload").is_none(),
        "acknowledged at once with a bare ack, no payload to show: {ack}"
    );
    let answer = response_to(&bot, &url).await;
    assert!(answer.params["response_type"] != "in_channel");
    assert!(!header(&answer.params).is_empty(), "{:#}", answer.params);
    assert!(
        bot.fake.posted().is_empty(),
        "nothing is posted in the channel"
    );

    let shortcut = slash(&bot, BO, "/tip", "storytelling").await;
    assert!(!text_of(&shortcut.params).is_empty());

    // A tip is personal; its button shares it with the channel, saying who did.
    let button = buttons(&answer.params)
        .into_iter()
        .find(|b| {
            b["action_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("tip-share:"))
        })
        .expect("a share button");
    let action_id = button["action_id"].as_str().unwrap_or_default().to_string();
    let (press, url) = block_actions(&bot, ANA, &action_id, ANA);
    bot.fake.interact(press);
    let said = response_to(&bot, &url).await;
    assert!(
        text_of(&said.params).contains("Shared with the channel"),
        "{:#}",
        said.params
    );
    let posted = bot.fake.posted();
    assert_eq!(posted.len(), 1, "one post in the channel");
    assert_eq!(posted[0].channel, CHANNEL);
}

#[tokio::test]
async fn unknown_subcommands_get_the_help_and_bad_options_a_clear_answer() {
    let bot = start_socket_bot().await;
    let help = slash(&bot, ANA, "/mentor", "dance wildly").await;
    let text = text_of(&help.params);
    assert!(text.contains("I don't know that one"), "{text}");
    assert!(
        text.contains("/mentor log"),
        "help names Slack's commands: {text}"
    );

    let bad = slash(&bot, ANA, "/mentor", "log zero").await;
    assert!(text_of(&bad.params).contains("page"));
    let bad = slash(&bot, ANA, "/mentor", "export pdf").await;
    assert!(text_of(&bad.params).contains("markdown"));
    let bad = slash(&bot, ANA, "/mentor", "nudge set someday 25:00").await;
    assert!(!text_of(&bad.params).is_empty());
}

#[tokio::test]
async fn a_new_member_gets_the_time_zone_slack_knows_for_them() {
    let bot = start_socket_bot().await;
    let answer = slash(&bot, ANA, "/mentor", "stage").await;
    assert!(
        text_of(&answer.params).contains("(Europe/Berlin)"),
        "{}",
        text_of(&answer.params)
    );
    let stored = rows(
        &bot,
        "SELECT COUNT(*) FROM nudge_settings s JOIN members m ON m.id = s.member_id
         WHERE m.user_id = 'U0ANA00001' AND s.timezone = 'Europe/Berlin'",
    )
    .await;
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn the_reflection_form_opens_and_its_submission_is_saved() {
    let bot = start_socket_bot().await;
    let (_url, envelope) = bot.fake.slash(ANA, CHANNEL, "/mentor", "reflect");
    bot.fake.wait_ack(&envelope, WAIT).await;
    let opened = bot
        .fake
        .wait_for("views.open", WAIT, |r| r.method == "views.open")
        .await;
    assert!(
        opened.params["trigger_id"]
            .as_str()
            .is_some_and(|t| t.starts_with("trigger."))
    );
    assert_eq!(opened.params["view"]["callback_id"], "mentorbot:reflect");
    assert_eq!(opened.params["view"]["type"], "modal");

    let envelope = bot.fake.interact(view_submission(
        ANA,
        "I asked what could make the launch fail.",
        Some("leadership"),
    ));
    let ack = bot.fake.wait_ack(&envelope, WAIT).await;
    assert_eq!(ack["payload"]["response_action"], "clear", "{ack}");
    assert_eq!(
        rows(
            &bot,
            "SELECT COUNT(*) FROM reflections WHERE mode = 'leadership'"
        )
        .await,
        1
    );
    let dm = bot
        .fake
        .wait_for("the confirmation", WAIT, |r| {
            r.method == "chat.postMessage" && r.params["channel"] == format!("D{ANA}")
        })
        .await;
    assert!(text_of(&dm.params).contains("Saved from the reflection form"));

    // An empty answer keeps the form open with the reason, and stores nothing.
    let envelope = bot.fake.interact(view_submission(ANA, "   ", None));
    let ack = bot.fake.wait_ack(&envelope, WAIT).await;
    assert_eq!(ack["payload"]["response_action"], "errors", "{ack}");
    assert!(ack["payload"]["errors"]["text"].is_string());
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 1);
}

#[tokio::test]
async fn oversized_text_is_refused_with_the_limit_and_handed_back() {
    let bot = start_socket_bot().await;
    let long = format!("{} END-OF-MY-TEXT", "word ".repeat(820));
    let answer = slash(&bot, ANA, "/reflect", &long).await;
    let text = text_of(&answer.params);
    assert!(text.contains("4000"), "the limit is named: {text}");
    assert!(text.contains("END-OF-MY-TEXT"), "the text comes back");
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 0);
}

#[tokio::test]
async fn typed_mentions_never_ping() {
    let bot = start_socket_bot().await;
    let answer = slash(
        &bot,
        ANA,
        "/mentor",
        "reflect leadership: told <!channel> and <!here> and <@U0BO000002> the plan",
    )
    .await;
    let raw = answer.params.to_string();
    for live in ["<!channel>", "<!here>", "<@U0BO000002>"] {
        assert!(
            !raw.contains(live),
            "{live} must not reach Slack live: {raw}"
        );
    }
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 1);

    // Slack encodes &, < and > in command text; the log keeps what the member typed.
    slash(
        &bot,
        ANA,
        "/reflect",
        "management: a &amp; b &lt;3 with <@U0BO000002|bo> in <#C0PRODUCT1|product>",
    )
    .await;
    let stored = rows(
        &bot,
        "SELECT COUNT(*) FROM reflections WHERE text = 'a & b <3 with @bo in #product'",
    )
    .await;
    assert_eq!(stored, 1);
    let log = slash(&bot, ANA, "/mentor", "log").await;
    let shown = text_of(&log.params);
    assert!(shown.contains("a &amp; b &lt;3 with @"), "{shown}");
}

#[tokio::test]
async fn log_buttons_work_only_for_their_owner() {
    let bot = start_socket_bot().await;
    for n in 0..12 {
        slash(
            &bot,
            ANA,
            "/reflect",
            &format!("management: entry number {n}"),
        )
        .await;
    }
    let log = slash(&bot, ANA, "/mentor", "log").await;
    let older = buttons(&log.params)
        .into_iter()
        .find(|b| b["action_id"] == "log:2")
        .expect("a button to page 2");
    assert_eq!(older["value"], ANA);

    let (press, url) = block_actions(&bot, BO, "log:2", ANA);
    bot.fake.interact(press);
    let refused = response_to(&bot, &url).await;
    assert!(text_of(&refused.params).contains("someone else"));
    assert_ne!(refused.params["replace_original"], true);

    let (press, url) = block_actions(&bot, ANA, "log:2", ANA);
    bot.fake.interact(press);
    let page = response_to(&bot, &url).await;
    assert_eq!(page.params["replace_original"], true);
    assert!(
        text_of(&page.params).contains("entry number 1"),
        "{}",
        text_of(&page.params)
    );

    let (press, url) = block_actions(&bot, ANA, "drop:table", ANA);
    bot.fake.interact(press);
    assert!(text_of(&response_to(&bot, &url).await.params).contains("no longer valid"));
}

#[tokio::test]
async fn forget_asks_then_deletes_through_its_buttons() {
    let bot = start_socket_bot().await;
    slash(&bot, ANA, "/reflect", "a note to forget").await;
    let asked = slash(&bot, ANA, "/mentor", "forget").await;
    assert!(
        buttons(&asked.params)
            .iter()
            .any(|b| b["action_id"] == "forget:confirm")
    );
    let (press, url) = block_actions(&bot, ANA, "forget:confirm", ANA);
    bot.fake.interact(press);
    response_to(&bot, &url).await;
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 0);
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM members").await, 0);
}

#[tokio::test]
async fn an_export_is_uploaded_to_the_members_dm() {
    let bot = start_socket_bot().await;
    slash(
        &bot,
        ANA,
        "/reflect",
        "leadership: pitched the roadmap to sales",
    )
    .await;
    let answer = slash(&bot, ANA, "/mentor", "export markdown").await;
    assert!(text_of(&answer.params).contains("direct messages"));
    let files = bot.fake.shared_files();
    assert_eq!(files.len(), 1);
    let (channel, name, data) = &files[0];
    assert_eq!(channel, &format!("D{ANA}"));
    assert!(name.ends_with(".md"), "{name}");
    assert!(String::from_utf8_lossy(data).contains("pitched the roadmap to sales"));
    let order: Vec<String> = bot
        .fake
        .requests()
        .into_iter()
        .map(|r| r.method)
        .filter(|m| m.starts_with("files.") || m == "upload")
        .collect();
    assert_eq!(
        order,
        [
            "files.getUploadURLExternal",
            "upload",
            "files.completeUploadExternal"
        ]
    );
}

#[tokio::test]
async fn only_workspace_admins_set_the_team_question() {
    let bot = start_socket_bot().await;
    let refused = slash(&bot, BO, "/mentor", "team set monday 09:00 Europe/Berlin").await;
    assert!(text_of(&refused.params).contains("Only workspace admins"));
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM team_prompts").await, 0);

    let set = slash(
        &bot,
        ANA,
        "/mentor",
        "team set <#C0TEAM0001|product> tuesday 10:00 Europe/Berlin",
    )
    .await;
    assert!(
        text_of(&set.params).contains("<#C0TEAM0001>"),
        "{:#}",
        set.params
    );
    let stored = rows(
        &bot,
        "SELECT COUNT(*) FROM team_prompts WHERE channel = 'C0TEAM0001' AND weekday = 2
         AND minute_of_day = 600 AND platform = 'slack'",
    )
    .await;
    assert_eq!(stored, 1);
}

fn scheduler(bot: &Bot) -> Scheduler {
    Scheduler::new(
        bot.t.mentor.clone(),
        bot.t.clock.clone(),
        "test".to_string(),
        SchedulerSettings::default(),
    )
    .with_messenger(Platform::Slack, bot.messenger.clone())
}

/// Runs the scheduler over a week so the default Monday nudge comes due.
async fn run_a_week(bot: &Bot, s: &Scheduler) {
    for _ in 0..(7 * 24) {
        bot.t.clock.advance(chrono::Duration::hours(1));
        s.plan().await.expect("planned");
        s.dispatch().await.expect("dispatched");
    }
}

#[tokio::test]
async fn a_nudge_arrives_in_the_dm_with_an_answer_button_that_opens_the_form() {
    let bot = start_socket_bot().await;
    slash(&bot, ANA, "/mentor", "stage").await;
    let s = scheduler(&bot);
    run_a_week(&bot, &s).await;
    let nudges: Vec<_> = bot
        .fake
        .posted()
        .into_iter()
        .filter(|p| p.channel == format!("D{ANA}") && header(&p.body) == "Your weekly reflection")
        .collect();
    assert_eq!(nudges.len(), 1, "one weekly question: {nudges:#?}");
    assert_eq!(bot.fake.calls("conversations.open").len(), 1);
    let answer = buttons(&nudges[0].body)
        .into_iter()
        .find(|b| b["action_id"] == "reflect:answer")
        .expect("an Answer button");
    assert_eq!(answer["value"], ANA);

    let (press, _url) = block_actions(&bot, ANA, "reflect:answer", ANA);
    bot.fake.interact(press);
    let opened = bot
        .fake
        .wait_for("the form", WAIT, |r| r.method == "views.open")
        .await;
    assert_eq!(opened.params["trigger_id"], "trigger.button");
}

#[tokio::test]
async fn a_429_is_waited_out_for_its_retry_after() {
    let bot = start_socket_bot().await;
    slash(&bot, ANA, "/mentor", "stage").await;
    bot.fake.fail_next(
        "chat.postMessage",
        429,
        json!({"ok": false, "error": "ratelimited"}),
        Some(1),
        1,
    );
    let s = scheduler(&bot);
    run_a_week(&bot, &s).await;
    let attempts = bot.fake.calls("chat.postMessage");
    assert_eq!(attempts[0].status, 429);
    assert_eq!(attempts[1].status, 200, "sent on the second try");
    assert!(
        attempts[1].at.duration_since(attempts[0].at) >= Duration::from_millis(950),
        "waited for Retry-After"
    );
    assert_eq!(header(&bot.fake.posted()[0].body), "Your weekly reflection");
}

#[tokio::test]
async fn a_member_who_cannot_be_reached_is_told_once() {
    let bot = start_socket_bot().await;
    slash(&bot, ANA, "/mentor", "stage").await;
    bot.fake.refuse_dms(ANA);
    let s = scheduler(&bot);
    run_a_week(&bot, &s).await;
    assert!(bot.fake.posted().is_empty());
    let told = slash(&bot, ANA, "/mentor", "stage").await;
    assert!(text_of(&told.params).contains("Slack would not let me message you"));
    let again = slash(&bot, ANA, "/mentor", "stage").await;
    assert!(!text_of(&again.params).contains("Slack would not let me message you"));
}

#[tokio::test]
async fn commands_are_answered_after_a_disconnect_message_and_after_a_dropped_socket() {
    let bot = start_socket_bot().await;
    bot.fake.ask_to_reconnect();
    bot.fake.wait_socket(2, WAIT).await;
    slash(&bot, ANA, "/mentor", "help").await;

    bot.fake.drop_socket();
    bot.fake.wait_socket(3, Duration::from_secs(30)).await;
    slash(&bot, ANA, "/mentor", "help").await;

    // Something malformed or unknown on the socket is acknowledged and changes nothing.
    bot.fake.send_raw("{not json".to_string());
    let odd = bot
        .fake
        .envelope("interactive", json!({"type": "something_new"}));
    bot.fake.wait_ack(&odd, WAIT).await;
    slash(&bot, ANA, "/mentor", "help").await;
}

#[tokio::test]
async fn the_same_user_id_in_two_workspaces_and_on_discord_keeps_three_logs() {
    let bot = start_socket_bot().await;
    slash(&bot, ANA, "/reflect", "written in the fake workspace").await;
    let other_team = MemberRef::new(Platform::Slack, "T0OTHER001", ANA, "Ana");
    let discord = MemberRef::new(Platform::Discord, "global", ANA, "Ana");
    for who in [&other_team, &discord] {
        let command = Command::Reflect {
            text: Some(format!("written as {:?} {}", who.platform, who.workspace)),
            mode: None,
        };
        bot.t.mentor.handle(who, command).await.expect("saved");
    }
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM members").await, 3);
    let log = slash(&bot, ANA, "/mentor", "log").await;
    let text = text_of(&log.params);
    assert!(text.contains("written in the fake workspace"));
    assert!(!text.contains("written as"), "{text}");
}

/// Posts a signed request to the bot's HTTP server, as Slack does.
async fn signed_post(
    bot: &Bot,
    path: &str,
    body: &str,
    secret: &str,
    age_seconds: i64,
) -> reqwest::Response {
    let timestamp = chrono::Utc::now().timestamp() - age_seconds;
    let signature = fake::sign(secret, timestamp, body);
    reqwest::Client::new()
        .post(format!("{}{path}", bot.http.as_deref().unwrap_or_default()))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-slack-request-timestamp", timestamp.to_string())
        .header("x-slack-signature", signature)
        .body(body.to_string())
        .send()
        .await
        .expect("the bot answers")
}

async fn json_of(response: reqwest::Response) -> Value {
    let bytes = response.bytes().await.expect("a body");
    serde_json::from_slice(&bytes).expect("JSON")
}

fn form(payload: &Value) -> String {
    let pairs: Vec<(String, String)> = payload
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().map_or(v.to_string(), str::to_string)))
        .collect();
    serde_urlencoded::to_string(pairs).expect("a form")
}

#[tokio::test]
async fn signed_http_commands_are_answered_and_bad_signatures_refused() {
    let bot = start_http_bot().await;
    let payload = bot.fake.command_payload(
        ANA,
        CHANNEL,
        "/mentor",
        "reflect management: sorted the backlog",
    );
    let body = form(&payload);
    let url = payload["response_url"].as_str().unwrap_or_default();

    let wrong_secret = signed_post(&bot, "/slack/commands", &body, "not-the-secret", 0).await;
    assert_eq!(wrong_secret.status(), 401);
    let stale = signed_post(&bot, "/slack/commands", &body, fake::SIGNING_SECRET, 301).await;
    assert_eq!(stale.status(), 401);
    let timestamp = chrono::Utc::now().timestamp();
    let tampered = reqwest::Client::new()
        .post(format!(
            "{}/slack/commands",
            bot.http.as_deref().unwrap_or_default()
        ))
        .header("x-slack-request-timestamp", timestamp.to_string())
        .header(
            "x-slack-signature",
            fake::sign(fake::SIGNING_SECRET, timestamp, &body),
        )
        .body(body.replace("sorted", "burned"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(tampered.status(), 401);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 0);
    assert!(bot.fake.calls("respond").is_empty());

    let accepted = signed_post(&bot, "/slack/commands", &body, fake::SIGNING_SECRET, 0).await;
    assert_eq!(accepted.status(), 200);
    response_to(&bot, url).await;
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 1);

    // A form submission over HTTP: the answer is the response body.
    let submit = view_submission(ANA, "answered over HTTP", None);
    let body = form(&json!({"payload": submit.to_string()}));
    let answer = signed_post(&bot, "/slack/interactions", &body, fake::SIGNING_SECRET, 0).await;
    assert_eq!(answer.status(), 200);
    let answer: Value = json_of(answer).await;
    assert_eq!(answer["response_action"], "clear");
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 2);

    // Slack's URL check, and malformed payloads: answered, never a crash.
    let challenge = json!({"type": "url_verification", "challenge": "abc123", "token": "t"});
    let answer = signed_post(
        &bot,
        "/slack/events",
        &challenge.to_string(),
        fake::SIGNING_SECRET,
        0,
    )
    .await;
    assert_eq!(json_of(answer).await["challenge"], "abc123");
    for (path, junk) in [
        ("/slack/commands", "%%%not-a-form"),
        ("/slack/interactions", "payload=%7Bnot-json"),
        (
            "/slack/interactions",
            "payload=%7B%22type%22%3A%22mystery%22%7D",
        ),
    ] {
        let answer = signed_post(&bot, path, junk, fake::SIGNING_SECRET, 0).await;
        assert_eq!(answer.status(), 200, "{path} {junk}");
    }
    let health = reqwest::get(format!(
        "{}/healthz",
        bot.http.as_deref().unwrap_or_default()
    ))
    .await
    .expect("an answer");
    assert_eq!(health.status(), 200);
}

/// The real binary with Slack (Socket Mode) and, when given, Discord configured.
fn binary(
    dir: &std::path::Path,
    slack: &FakeSlack,
    discord: Option<&support::fake_discord::FakeDiscord>,
    http_addr: &str,
) -> tokio::process::Child {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_mentorbot"));
    command
        .env("DATABASE_URL", dir.join("bot.db"))
        .env("SLACK_BOT_TOKEN", fake::BOT_TOKEN)
        .env("SLACK_APP_TOKEN", fake::APP_TOKEN)
        .env("SLACK_API_BASE", &slack.base)
        .env("MENTORBOT_HTTP_ADDR", http_addr)
        .env_remove("DISCORD_TOKEN")
        .env_remove("DISCORD_TOKEN_FILE")
        .env_remove("SLACK_SIGNING_SECRET")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    if let Some(discord) = discord {
        command
            .env("DISCORD_TOKEN", "fake-token")
            .env("DISCORD_API_BASE", &discord.base);
    }
    command.spawn().expect("mentorbot starts")
}

/// Polls `/healthz` until it answers `status`; returns the body.
async fn health_until(http_addr: &str, status: u16) -> Value {
    health_within(http_addr, status, WAIT).await
}

#[tokio::test]
async fn one_process_serves_slack_and_discord_and_reports_its_health() {
    let slack = FakeSlack::start().await;
    people(&slack);
    let discord = support::fake_discord::FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let http_addr = free_port();
    let _child = binary(dir.path(), &slack, Some(&discord), &http_addr);
    let healthy = health_until(&http_addr, 200).await;
    assert_eq!(healthy["database"], "ok");
    assert_eq!(healthy["front_ends"]["slack"], "connected");
    assert_eq!(healthy["front_ends"]["discord"], "connected");
    discord
        .wait_for("command registration", WAIT, |r| r.method == "PUT")
        .await;
    slack.wait_socket(1, WAIT).await;
    let (url, _) = slack.slash(ANA, CHANNEL, "/reflect", "leadership: from the binary");
    let id = url.rsplit('/').next().unwrap_or_default().to_string();
    slack
        .wait_for("the answer", WAIT, |r| {
            r.method == "respond" && r.params["response_url_id"] == id.as_str()
        })
        .await;
}

#[tokio::test]
async fn health_is_503_while_slack_cannot_connect() {
    let slack = FakeSlack::start().await;
    slack.refuse_socket();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let http_addr = free_port();
    let _child = binary(dir.path(), &slack, None, &http_addr);
    let unhealthy = health_until(&http_addr, 503).await;
    assert_eq!(unhealthy["status"], "unavailable");
    assert_eq!(unhealthy["database"], "ok");
    assert_eq!(unhealthy["front_ends"]["slack"], "disconnected");
}

#[tokio::test]
async fn health_is_503_within_30_seconds_of_a_silent_socket_and_200_after_a_new_hello() {
    let slack = FakeSlack::start().await;
    people(&slack);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let http_addr = free_port();
    let _child = binary(dir.path(), &slack, None, &http_addr);
    health_until(&http_addr, 200).await;
    slack.wait_socket(1, WAIT).await;

    // Open but carrying nothing, pongs included: only the bot's own deadline can tell.
    slack.go_silent();
    let unhealthy = health_within(&http_addr, 503, Duration::from_secs(30)).await;
    assert_eq!(unhealthy["front_ends"]["slack"], "disconnected");
    assert_eq!(unhealthy["database"], "ok");

    slack.wait_socket(2, WAIT).await;
    let healthy = health_until(&http_addr, 200).await;
    assert_eq!(healthy["front_ends"]["slack"], "connected");
    let (url, _) = slack.slash(ANA, CHANNEL, "/mentor", "help");
    let id = url.rsplit('/').next().unwrap_or_default().to_string();
    slack
        .wait_for("the answer on the new socket", WAIT, |r| {
            r.method == "respond" && r.params["response_url_id"] == id.as_str()
        })
        .await;
}

#[tokio::test]
async fn the_home_tab_shows_the_members_week_and_its_button_sends_a_sign_in_link_by_dm() {
    let fake = FakeSlack::start().await;
    people(&fake);
    let mut t = test_mentor().await;
    t.mentor = t.mentor.with_web("https://mentor.example.com");
    let transport = Transport::SocketMode {
        app_token: Secret::new(fake::APP_TOKEN),
    };
    let bot = start_with(fake, transport, t).await;
    bot.fake.wait_socket(1, WAIT).await;
    slash(
        &bot,
        ANA,
        "/reflect",
        "leadership: shared the vision with &lt;everyone&gt;",
    )
    .await;

    let opened = json!({"type": "event_callback", "team_id": fake::TEAM, "api_app_id": fake::APP_ID,
        "event": {"type": "app_home_opened", "user": ANA, "channel": "D0ANA00001", "tab": "home"},
        "event_id": "Ev1", "event_time": 1_700_000_000});
    let envelope = bot.fake.envelope("events_api", opened);
    bot.fake.wait_ack(&envelope, WAIT).await;
    let published = bot
        .fake
        .wait_for("the home tab", WAIT, |r| r.method == "views.publish")
        .await;
    assert_eq!(published.params["user_id"], ANA);
    assert_eq!(published.params["view"]["type"], "home");
    let view = published.params["view"].clone();
    let shown = text_of(&view);
    for part in [
        "This week's question",
        "Last 12 weeks",
        "shared the vision",
        "Streak",
    ] {
        assert!(shown.contains(part), "the home tab lacks {part:?}: {shown}");
    }
    let buttons = view["blocks"].to_string();
    assert!(buttons.contains("reflect:answer") && buttons.contains("web:link"));

    // The home tab's buttons come without a response_url: the link arrives by DM.
    let (mut press, _) = block_actions(&bot, ANA, "web:link", ANA);
    press["container"] = json!({"type": "view", "view_id": "V0HOME0001"});
    press["view"] = press_view();
    press.as_object_mut().map(|p| p.remove("response_url"));
    press.as_object_mut().map(|p| p.remove("channel"));
    bot.fake.interact(press);
    let dm = bot
        .fake
        .wait_for("the sign-in link by DM", WAIT, |r| {
            r.method == "chat.postMessage" && text_of(&r.params).contains("/signin/")
        })
        .await;
    assert!(text_of(&dm.params).contains("https://mentor.example.com/signin/"));

    // Someone else's press of Ana's button sends nothing.
    let (mut stranger, _) = block_actions(&bot, BO, "web:link", ANA);
    stranger["view"] = press_view();
    stranger.as_object_mut().map(|p| p.remove("response_url"));
    bot.fake.interact(stranger);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let links = bot
        .fake
        .calls("chat.postMessage")
        .iter()
        .filter(|r| text_of(&r.params).contains("/signin/"))
        .count();
    assert_eq!(links, 1);
}

#[tokio::test]
async fn mentor_web_answers_privately_with_a_link_that_includes_an_admins_team() {
    let fake = FakeSlack::start().await;
    people(&fake);
    let mut t = test_mentor().await;
    t.mentor = t.mentor.with_web("https://mentor.example.com");
    let transport = Transport::SocketMode {
        app_token: Secret::new(fake::APP_TOKEN),
    };
    let bot = start_with(fake, transport, t).await;
    bot.fake.wait_socket(1, WAIT).await;
    let answered = slash(&bot, ANA, "/mentor", "web").await;
    assert!(answered.params["response_type"] != "in_channel");
    let text = text_of(&answered.params);
    assert!(
        text.contains("https://mentor.example.com/signin/"),
        "{text}"
    );
    assert!(
        text.contains("You lead this team"),
        "Ana is the workspace's admin: {text}"
    );
    let plain = slash(&bot, BO, "/mentor", "web").await;
    assert!(!text_of(&plain.params).contains("You lead"));
}

fn press_view() -> Value {
    json!({"id": "V0HOME0001", "team_id": fake::TEAM, "type": "home",
        "blocks": [], "private_metadata": "", "callback_id": "", "hash": "h"})
}

#[test]
fn the_manifests_create_the_commands_scopes_and_interactivity_the_code_uses() {
    for (file, socket_mode) in [
        ("slack/manifest.yml", "socket_mode_enabled: true"),
        ("slack/manifest-http.yml", "socket_mode_enabled: false"),
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let manifest = std::fs::read_to_string(path).expect("the manifest is shipped");
        for needed in [
            "command: /mentor",
            "command: /tip",
            "command: /reflect",
            "should_escape: true",
            "- commands",
            "- chat:write",
            "- im:write",
            "- users:read",
            "- files:write",
            "interactivity:\n    is_enabled: true",
            "home_tab_enabled: true",
            "- app_home_opened",
            socket_mode,
        ] {
            assert!(manifest.contains(needed), "{file} lacks {needed:?}");
        }
    }
}

#[tokio::test]
async fn a_challenge_runs_on_slack_with_its_posts_in_the_named_channel() {
    let bot = start_socket_bot().await;
    let refused = slash(&bot, BO, "/mentor", "challenge start pre-mortem").await;
    assert!(text_of(&refused.params).contains("Only the team's leaders"));
    let started = slash(
        &bot,
        ANA,
        "/mentor",
        "challenge start pre-mortem <#C0TEAM0001|product> days:7",
    )
    .await;
    assert!(
        text_of(&started.params).contains("<#C0TEAM0001>"),
        "{}",
        text_of(&started.params)
    );
    slash(&bot, BO, "/mentor", "challenge join").await;
    let checked = slash(
        &bot,
        BO,
        "/mentor",
        "challenge checkin share:true listed three &lt;risks&gt; with <@U0ANA00001|ana>",
    )
    .await;
    assert!(text_of(&checked.params).contains("digest"));
    let board = slash(&bot, ANA, "/mentor", "challenge board").await;
    assert!(text_of(&board.params).contains("1 joined · 1 checked in · 0 completed"));

    let s = scheduler(&bot);
    run_a_week(&bot, &s).await;
    let posts: Vec<_> = bot
        .fake
        .posted()
        .into_iter()
        .filter(|p| p.channel == "C0TEAM0001")
        .collect();
    assert_eq!(posts.len(), 2, "kickoff and digest: {posts:#?}");
    let digest = text_of(&posts[1].body);
    assert!(
        digest.contains("listed three &lt;risks&gt; with @"),
        "{digest}"
    );
    assert!(!posts[1].body.to_string().contains("<@U0ANA00001"));
    assert!(text_of(&posts[0].body).contains("/mentor challenge join"));
}

#[tokio::test]
async fn a_user_group_set_by_an_admin_may_lead_challenges() {
    let bot = start_socket_bot().await;
    bot.fake.add_group("S0LEADERS1", &[BO]);
    let refused = slash(&bot, BO, "/mentor", "challenge start pre-mortem").await;
    assert!(text_of(&refused.params).contains("Only the team's leaders"));
    let not_admin = slash(
        &bot,
        BO,
        "/mentor",
        "challenge leaders <!subteam^S0LEADERS1|@pms>",
    )
    .await;
    assert!(text_of(&not_admin.params).contains("Only members who can manage"));
    let set = slash(
        &bot,
        ANA,
        "/mentor",
        "challenge leaders <!subteam^S0LEADERS1|@pms>",
    )
    .await;
    assert!(
        text_of(&set.params).contains("can now start and end"),
        "{}",
        text_of(&set.params)
    );
    let started = slash(&bot, BO, "/mentor", "challenge start pre-mortem").await;
    assert!(
        text_of(&started.params).contains("Challenge started"),
        "{}",
        text_of(&started.params)
    );
    let view = slash(&bot, BO, "/mentor", "team view").await;
    assert!(text_of(&view.params).contains("Your team, in aggregate"));
}

#[tokio::test]
async fn the_coach_follows_up_through_the_response_url_and_its_answer_form() {
    let model = FakeModel::coaching().await;
    let fake = FakeSlack::start().await;
    people(&fake);
    let transport = Transport::SocketMode {
        app_token: Secret::new(fake::APP_TOKEN),
    };
    let bot = start_with(fake, transport, coached(&model, 5, 30).await).await;
    bot.fake.wait_socket(1, WAIT).await;
    let on = slash(&bot, ANA, "/mentor", "coach on").await;
    assert_eq!(header(&on.params), "Your coach is on");
    let text = "the vendor integration could slip and nobody owns it";
    let (url, envelope) = bot
        .fake
        .slash(ANA, CHANNEL, "/mentor", &format!("reflect {text}"));
    bot.fake.wait_ack(&envelope, WAIT).await;
    let id = url.rsplit('/').next().unwrap_or_default().to_string();
    let answers = || {
        bot.fake
            .calls("respond")
            .into_iter()
            .filter(|r| r.params["response_url_id"] == id.as_str())
            .collect::<Vec<_>>()
    };
    support::wait_until("two answers", WAIT, async || answers().len() == 2).await;
    let answers = answers();
    assert_eq!(
        header(&answers[0].params),
        "Saved as entry #1 in your development log"
    );
    assert_eq!(
        header(&answers[1].params),
        "A question from your coach (entry #1)"
    );
    assert!(text_of(&answers[1].params).contains("Who will own the vendor integration"));
    let button = &buttons(&answers[1].params)[0];
    assert_eq!(
        (button["action_id"].as_str(), button["value"].as_str()),
        (Some("answer:1"), Some(ANA))
    );

    let (press, _) = block_actions(&bot, ANA, "answer:1", ANA);
    bot.fake.interact(press);
    let opened = bot
        .fake
        .wait_for("the answer form", WAIT, |r| r.method == "views.open")
        .await;
    assert_eq!(opened.params["view"]["callback_id"], "mentorbot:answer:1");
    assert!(
        opened.params["view"]
            .to_string()
            .contains("Who will own the vendor integration")
    );

    let mut submit = view_submission(ANA, "Dana owns it from Monday", None);
    submit["view"]["callback_id"] = json!("mentorbot:answer:1");
    let ack = bot.fake.wait_ack(&bot.fake.interact(submit), WAIT).await;
    assert_eq!(ack["payload"]["response_action"], "clear", "{ack}");
    let dm = bot
        .fake
        .wait_for("the confirmation", WAIT, |r| {
            r.method == "chat.postMessage" && r.params["channel"] == format!("D{ANA}")
        })
        .await;
    assert!(text_of(&dm.params).contains("Your answer to the question about entry #1."));
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(model.seen().len(), 1, "an answer gets no further question");

    let review = slash(&bot, ANA, "/mentor", "review 4").await;
    assert!(header(&review.params).starts_with("Your review: the last 4 weeks"));
    assert!(text_of(&review.params).contains("In your coach"));
    let shared = bot.fake.shared_files();
    assert!(
        shared
            .iter()
            .any(|(_, name, _)| name.starts_with("mentorbot-review-"))
    );
}

/// The nudges posted to Ana's DM.
fn nudges_to_ana(bot: &Bot) -> Vec<fake::Posted> {
    bot.fake
        .posted()
        .into_iter()
        .filter(|p| p.channel == format!("D{ANA}") && header(&p.body) == "Your weekly reflection")
        .collect()
}

#[tokio::test]
async fn a_nudge_whose_answer_never_came_reaches_the_member_once() {
    let bot = start_socket_bot().await;
    slash(&bot, ANA, "/mentor", "stage").await;
    // Slack takes the post and the connection drops before its answer.
    bot.fake.drop_next_answer("chat.postMessage");
    let s = scheduler(&bot);
    run_a_week(&bot, &s).await;
    let nudges = nudges_to_ana(&bot);
    assert_eq!(nudges.len(), 1, "exactly one message: {nudges:#?}");
    let nonce = &nudges[0].body["metadata"]["event_payload"]["nonce"];
    assert!(
        nonce.as_str().is_some_and(|n| n.starts_with("mb")),
        "{:#}",
        nudges[0].body
    );
    assert_eq!(
        bot.fake.calls("conversations.history").len(),
        1,
        "looked before resending"
    );
    let sent = rows(
        &bot,
        &format!(
            "SELECT COUNT(*) FROM deliveries WHERE kind = 'nudge' AND status = 'sent' AND message_id = '{}'",
            nudges[0].ts
        ),
    )
    .await;
    assert_eq!(sent, 1, "recorded as sent, with the found message");
}

/// Posts through the real messenger, then reports a lost answer, as a process would that
/// died between Slack's acceptance and its own commit.
struct LosesTheAnswer {
    inner: Arc<SlackMessenger>,
    lost: std::sync::atomic::AtomicBool,
}

impl mentorbot::outbound::Messenger for LosesTheAnswer {
    fn send_direct<'a>(
        &'a self,
        user: &'a str,
        message: &'a mentorbot::mentor::Reply,
        key: &'a str,
    ) -> mentorbot::outbound::SendFuture<'a> {
        Box::pin(async move {
            let sent = self.inner.send_direct(user, message, key).await;
            if !self.lost.swap(true, std::sync::atomic::Ordering::SeqCst) {
                return Err(mentorbot::outbound::SendError::Transient(
                    "connection reset".into(),
                ));
            }
            sent
        })
    }

    fn post<'a>(
        &'a self,
        channel: &'a str,
        message: &'a mentorbot::mentor::Reply,
        key: &'a str,
    ) -> mentorbot::outbound::SendFuture<'a> {
        self.inner.post(channel, message, key)
    }

    fn find_sent<'a>(
        &'a self,
        to: mentorbot::outbound::Destination<'a>,
        key: &'a str,
    ) -> mentorbot::outbound::FindFuture<'a> {
        self.inner.find_sent(to, key)
    }
}

#[tokio::test]
async fn a_delivery_tried_again_after_an_unknown_outcome_is_found_not_resent() {
    let bot = start_socket_bot().await;
    slash(&bot, ANA, "/mentor", "stage").await;
    let messenger = Arc::new(LosesTheAnswer {
        inner: bot.messenger.clone(),
        lost: Default::default(),
    });
    let s = Scheduler::new(
        bot.t.mentor.clone(),
        bot.t.clock.clone(),
        "test".to_string(),
        SchedulerSettings::default(),
    )
    .with_messenger(Platform::Slack, messenger);
    run_a_week(&bot, &s).await;
    let nudges = nudges_to_ana(&bot);
    assert_eq!(nudges.len(), 1, "exactly one message: {nudges:#?}");
    let found = rows(
        &bot,
        &format!(
            "SELECT COUNT(*) FROM deliveries WHERE kind = 'nudge' AND status = 'sent'
             AND attempts = 2 AND message_id = '{}'",
            nudges[0].ts
        ),
    )
    .await;
    assert_eq!(found, 1, "the second attempt found the first one's message");
}

#[tokio::test]
async fn a_process_killed_between_slacks_acceptance_and_its_commit_sends_once() {
    let slack = FakeSlack::start().await;
    people(&slack);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let database = dir.path().join("bot.db");
    let database = database.to_str().expect("utf-8").to_string();
    let store = mentorbot::store::Store::open(&database)
        .await
        .expect("the store opens");
    support::plan_due_nudge(&store, Platform::Slack, fake::TEAM, ANA).await;
    store.close().await;
    // Slack takes the post; its answer is held until after the process is gone.
    slack.hold_next_answer("chat.postMessage");
    let mut first = binary(dir.path(), &slack, None, &free_port());
    let wait = Duration::from_secs(40);
    support::wait_until("the first post", wait, async || {
        slack
            .posted()
            .iter()
            .any(|p| p.channel == format!("D{ANA}"))
    })
    .await;
    first.start_kill().expect("SIGKILL");
    first.wait().await.expect("killed");
    let sending = count_rows(
        &database,
        "SELECT COUNT(*) FROM deliveries WHERE kind = 'nudge' AND status = 'sending'",
    )
    .await;
    assert_eq!(sending, 1, "killed before the commit");

    let _second = binary(dir.path(), &slack, None, &free_port());
    support::wait_until("the delivery recorded as sent", wait, async || {
        count_rows(
            &database,
            "SELECT COUNT(*) FROM deliveries WHERE kind = 'nudge' AND status = 'sent'",
        )
        .await
            == 1
    })
    .await;
    let posts: Vec<_> = slack
        .posted()
        .into_iter()
        .filter(|p| p.channel == format!("D{ANA}"))
        .collect();
    assert_eq!(
        posts.len(),
        1,
        "exactly one message after the restart: {posts:#?}"
    );
    let recorded = count_rows(
        &database,
        &format!(
            "SELECT COUNT(*) FROM deliveries WHERE message_id = '{}' AND attempts = 2",
            posts[0].ts
        ),
    )
    .await;
    assert_eq!(recorded, 1, "the restarted process found the first post");
}
