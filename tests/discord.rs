//! The Discord front end end to end: real serenity/poise against the fake Discord on loopback.

mod support;

use std::time::Duration;

use mentorbot::config::Secret;
use mentorbot::frontends::discord::{self, Settings, Shards};
use mentorbot::mentor::messages;
use poise::serenity_prelude::GuildId;
use serde_json::{Value, json};
use support::coached;
use support::fake_discord::{self as fake, FakeDiscord, Recorded};
use support::fake_model::FakeModel;
use support::{TestMentor, count_rows, free_port, health_within, test_mentor};

const WAIT: Duration = Duration::from_secs(15);
const ANA: u64 = 300_000_000_000_000_001;
const BO: u64 = 300_000_000_000_000_002;

struct Bot {
    fake: FakeDiscord,
    mentor: TestMentor,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Bot {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn start_bot(guild: Option<u64>) -> Bot {
    start_sharded_bot(guild, Shards::Single, |_| {}).await
}

async fn start_sharded_bot(
    guild: Option<u64>,
    shards: Shards,
    prepare: impl Fn(&FakeDiscord),
) -> Bot {
    launch(guild, shards, prepare, test_mentor().await).await
}

async fn launch(
    guild: Option<u64>,
    shards: Shards,
    prepare: impl Fn(&FakeDiscord),
    mentor: TestMentor,
) -> Bot {
    let fake = FakeDiscord::start().await;
    prepare(&fake);
    let settings = Settings {
        token: Secret::new("fake-token"),
        api_base: fake.base.clone(),
        guild_id: guild.map(GuildId::new),
        shards,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(discord::run(settings, mentor.mentor.clone(), async {
        let _ = stopped.await;
    }));
    fake.wait_for("command registration", WAIT, |r| {
        r.method == "PUT" && r.path.ends_with("/commands")
    })
    .await;
    Bot {
        fake,
        mentor,
        stop: Some(stop),
    }
}

fn ana() -> Value {
    fake::user(ANA, "ana")
}

fn bo() -> Value {
    fake::user(BO, "bo")
}

fn callback_path(id: u64) -> String {
    format!("/api/v10/interactions/{id}/token-{id}/callback")
}

async fn callback(bot: &Bot, id: u64) -> Recorded {
    let path = callback_path(id);
    bot.fake
        .wait_for(&path, WAIT, |r| r.path == path && r.status == 204)
        .await
}

/// Sends a slash command and returns the interaction callback that answered it.
async fn slash(bot: &Bot, user: &Value, name: &str, options: Value) -> Recorded {
    slash_in(bot, user, name, options, false).await
}

async fn slash_in(bot: &Bot, user: &Value, name: &str, options: Value, in_dm: bool) -> Recorded {
    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 2, user, in_dm);
    interaction["data"] =
        json!({"id": bot.fake.id().to_string(), "name": name, "type": 1, "options": options});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    callback(bot, id).await
}

async fn press(bot: &Bot, user: &Value, custom_id: &str) -> Recorded {
    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 3, user, false);
    interaction["data"] = json!({"custom_id": custom_id, "component_type": 2});
    interaction["message"] = fake::message_json(bot.fake.id(), "", json!([]));
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    callback(bot, id).await
}

async fn submit_form(bot: &Bot, user: &Value, text: &str, mode: &str) -> Recorded {
    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 5, user, false);
    interaction["data"] = json!({"custom_id": "mentorbot:reflect", "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "text", "value": text}]},
        {"type": 1, "components": [{"type": 4, "custom_id": "mode", "value": mode}]},
    ]});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    callback(bot, id).await
}

/// Writes `count` reflections as Ana: "entry 1", "entry 2", ….
async fn reflect_entries(bot: &Bot, count: u32) {
    for i in 1..=count {
        slash(
            bot,
            &ana(),
            "reflect",
            string_option("text", &format!("entry {i}")),
        )
        .await;
    }
}

fn string_option(name: &str, value: &str) -> Value {
    json!([{"name": name, "type": 3, "value": value}])
}

fn embed(callback: &Recorded) -> &Value {
    &callback.body["data"]["embeds"][0]
}

fn title(callback: &Recorded) -> &str {
    embed(callback)["title"].as_str().unwrap_or_default()
}

fn ephemeral(callback: &Recorded) -> bool {
    callback.body["data"]["flags"]
        .as_u64()
        .is_some_and(|flags| flags & 64 != 0)
}

fn field<'a>(callback: &'a Recorded, name: &str) -> &'a str {
    embed(callback)["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["name"] == name))
        .and_then(|f| f["value"].as_str())
        .unwrap_or_else(|| panic!("no field {name} in {:#}", callback.body))
}

fn button_ids(callback: &Recorded) -> Vec<String> {
    callback.body["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|button| button["custom_id"].as_str().map(str::to_string))
        .collect()
}

fn no_pings(callback: &Recorded) {
    let allowed = &callback.body["data"]["allowed_mentions"];
    assert_eq!(
        allowed["parse"],
        json!([]),
        "allowed_mentions must parse nothing: {:#}",
        callback.body
    );
    assert!(allowed["users"].as_array().is_none_or(Vec::is_empty));
    assert!(allowed["roles"].as_array().is_none_or(Vec::is_empty));
}

async fn rows(bot: &Bot, sql: &str) -> i64 {
    count_rows(&bot.mentor.db, sql).await
}

#[tokio::test]
async fn commands_are_registered_with_descriptions_options_and_library_choices() {
    let bot = start_bot(None).await;
    let put = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a registration");
    assert_eq!(
        put.path,
        format!("/api/v10/applications/{}/commands", fake::APP_ID)
    );
    let commands = put.body.as_array().expect("an array of commands");
    let names: Vec<&str> = commands.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "tip",
            "hat",
            "stage",
            "reflect",
            "log",
            "export",
            "balance",
            "nudge",
            "team",
            "challenge",
            "mentoring",
            "premortem",
            "review",
            "coach",
            "web",
            "forget",
            "help"
        ]
    );
    let team = commands.iter().find(|c| c["name"] == "team").expect("team");
    assert_eq!(
        team["default_member_permissions"], "32",
        "only server managers see /team by default"
    );
    // `/team holiday add|list|remove`: a group, so the client shows each one's required days.
    let holiday = team["options"]
        .as_array()
        .and_then(|subs| subs.iter().find(|o| o["name"] == "holiday"))
        .expect("/team holiday");
    assert_eq!(holiday["type"], 2, "a subcommand group: {holiday:#}");
    let actions: Vec<&str> = holiday["options"]
        .as_array()
        .expect("its subcommands")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(actions, ["add", "list", "remove"]);
    for action in ["add", "remove"] {
        let sub = holiday["options"]
            .as_array()
            .and_then(|subs| subs.iter().find(|o| o["name"] == action))
            .expect("the action");
        let first = &sub["options"][0];
        assert_eq!(
            (first["name"].as_str(), first["required"].as_bool()),
            (Some("first"), Some(true))
        );
    }
    let nudge = commands
        .iter()
        .find(|c| c["name"] == "nudge")
        .expect("nudge");
    let nudge_subcommands: Vec<&str> = nudge["options"]
        .as_array()
        .expect("subcommands")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(
        nudge_subcommands,
        ["show", "set", "pause", "resume", "off", "reminder"]
    );
    for command in commands {
        let description = command["description"].as_str().unwrap_or_default();
        assert!(
            !description.is_empty() && description.chars().count() <= 100,
            "{command:#}"
        );
    }
    let by_name = |name: &str| {
        commands
            .iter()
            .find(|c| c["name"] == name)
            .expect("the command")
    };
    let topic = &by_name("tip")["options"][0];
    assert_eq!(
        (
            topic["name"].as_str(),
            topic["autocomplete"].as_bool(),
            topic["required"].as_bool()
        ),
        (Some("topic"), Some(true), Some(false))
    );
    let stage = by_name("stage");
    let subcommands: Vec<&str> = stage["options"]
        .as_array()
        .expect("subcommands")
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(subcommands, ["show", "set"]);
    let set = stage["options"]
        .as_array()
        .and_then(|o| o.iter().find(|o| o["name"] == "set"))
        .expect("set");
    let choices: Vec<&str> = set["options"][0]["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    let library: Vec<&str> = bot
        .mentor
        .mentor
        .library()
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(choices, library);
    let text = &by_name("reflect")["options"][0];
    assert_eq!(
        (text["name"].as_str(), text["max_length"].as_u64()),
        (Some("text"), Some(4000))
    );
    let formats: Vec<&str> = by_name("export")["options"][0]["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(formats, ["markdown", "json", "csv"]);
}

#[tokio::test]
async fn commands_register_in_one_guild_when_asked() {
    let bot = start_bot(Some(fake::GUILD_ID)).await;
    let put = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("a registration");
    assert_eq!(
        put.path,
        format!(
            "/api/v10/applications/{}/guilds/{}/commands",
            fake::APP_ID,
            fake::GUILD_ID
        )
    );
}

#[tokio::test]
async fn every_command_answers_with_the_right_embed_and_visibility() {
    let bot = start_bot(None).await;
    let tip = slash(&bot, &ana(), "tip", string_option("topic", "storytelling")).await;
    assert_eq!(tip.body["type"], 4);
    assert!(
        bot.mentor
            .mentor
            .library()
            .tips
            .iter()
            .any(|t| t.title == title(&tip))
    );
    assert!(ephemeral(&tip), "a tip is personal: shown privately");
    no_pings(&tip);
    let button = button_ids(&tip)
        .into_iter()
        .find(|id| id.starts_with("tip-share:"))
        .expect("a button to share it");
    let refused = press(&bot, &bo(), &button).await;
    assert_eq!(refused.body["data"]["content"], messages::NOT_YOUR_BUTTON);
    let shared = press(&bot, &ana(), &button).await;
    assert_eq!(
        shared.body["type"], 4,
        "a new message, not an edit of the private one"
    );
    assert!(!ephemeral(&shared), "shared with the channel");
    assert_eq!(title(&shared), title(&tip));
    assert_eq!(field(&shared, messages::SHARED_BY), "ana");
    assert!(button_ids(&shared).is_empty());
    no_pings(&shared);

    let hat = slash(
        &bot,
        &ana(),
        "hat",
        string_option("situation", "Grooming the backlog in Jira"),
    )
    .await;
    assert!(title(&hat).contains("manager"), "{}", title(&hat));

    let set = slash(
        &bot,
        &ana(),
        "stage",
        json!([{"name": "set", "type": 1, "options": [{"name": "stage", "type": 4, "value": 3}]}]),
    )
    .await;
    // Choices follow the library's stage order: associate, senior, staff, principal, …
    assert_eq!(title(&set), "Stage set: Principal / Group PM");
    assert!(ephemeral(&set));
    assert_eq!(
        rows(
            &bot,
            &format!(
                "SELECT COUNT(*) FROM members WHERE user_id = '{ANA}' AND stage = 'principal'"
            )
        )
        .await,
        1
    );
    let show = slash(
        &bot,
        &ana(),
        "stage",
        json!([{"name": "show", "type": 1, "options": []}]),
    )
    .await;
    assert_eq!(
        field(&show, "Target mix"),
        "30% management · 70% leadership"
    );

    let reflect = slash(
        &bot,
        &ana(),
        "reflect",
        json!([
            {"name": "text", "type": 3, "value": "Pitched the vision to the execs"},
            {"name": "mode", "type": 4, "value": 0},
        ]),
    )
    .await;
    assert_eq!(title(&reflect), "Saved as entry #1 in your development log");
    assert!(ephemeral(&reflect));
    assert_eq!(
        rows(
            &bot,
            "SELECT COUNT(*) FROM reflections WHERE mode = 'leadership' AND mode_source = 'stated'"
        )
        .await,
        1
    );

    let log = slash(&bot, &ana(), "log", json!([])).await;
    assert_eq!(title(&log), "Your development log, page 1 of 1");
    assert!(ephemeral(&log));
    let balance = slash(&bot, &ana(), "balance", json!([])).await;
    assert!(title(&balance).starts_with("Your balance as Principal / Group PM"));
    assert!(ephemeral(&balance));
    assert_eq!(balance.files.len(), 1, "the chart is attached");
    let (name, data) = &balance.files[0];
    assert!(name.ends_with(".png"), "{name}");
    assert!(data.starts_with(b"\x89PNG"), "a PNG image");
    let help = slash(&bot, &ana(), "help", json!([])).await;
    assert_eq!(
        embed(&help)["fields"].as_array().map(Vec::len),
        Some(mentorbot::mentor::messages::COMMANDS.len())
    );
}

#[tokio::test]
async fn export_defers_then_attaches_the_file() {
    let bot = start_bot(None).await;
    slash(
        &bot,
        &ana(),
        "reflect",
        string_option("text", "Ran a pre-mortem with the team"),
    )
    .await;
    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 2, &ana(), false);
    interaction["data"] = json!({"id": "1", "name": "export", "type": 1, "options": [{"name": "format", "type": 4, "value": 1}]});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let deferred = callback(&bot, id).await;
    assert_eq!(
        deferred.body["type"], 5,
        "deferred within the 3-second window"
    );
    assert!(ephemeral(&deferred));
    let followup_path = format!("/api/v10/webhooks/{}/token-{id}", fake::APP_ID);
    let followup = bot
        .fake
        .wait_for("the export followup", WAIT, |r| r.path == followup_path)
        .await;
    assert_eq!(followup.files.len(), 1);
    let (name, data) = &followup.files[0];
    assert!(
        name.starts_with("mentorbot-log-") && name.ends_with(".json"),
        "{name}"
    );
    let exported: Value = serde_json::from_slice(data).expect("JSON");
    assert_eq!(
        exported["entries"][0]["text"],
        "Ran a pre-mortem with the team"
    );
    assert_eq!(followup.body["flags"].as_u64().map(|f| f & 64), Some(64));
}

#[tokio::test]
async fn reflect_without_text_opens_the_form_and_the_submission_is_stored() {
    let bot = start_bot(None).await;
    let opened = slash(&bot, &ana(), "reflect", json!([])).await;
    assert_eq!(opened.body["type"], 9, "a modal: {:#}", opened.body);
    assert_eq!(opened.body["data"]["custom_id"], "mentorbot:reflect");
    let input = &opened.body["data"]["components"][0]["components"][0];
    assert_eq!(
        (input["style"].as_u64(), input["max_length"].as_u64()),
        (Some(2), Some(4000))
    );
    let prompt = bot
        .mentor
        .mentor
        .library()
        .prompts
        .iter()
        .find(|p| {
            input["placeholder"]
                .as_str()
                .is_some_and(|h| p.question.starts_with(h.trim_end_matches('…')))
        })
        .expect("this week's question in the form");

    let saved = submit_form(
        &bot,
        &ana(),
        "The data migration could slip past the launch",
        "",
    )
    .await;
    assert_eq!(saved.body["type"], 4);
    assert_eq!(title(&saved), "Saved as entry #1 in your development log");
    assert!(ephemeral(&saved));
    assert_eq!(field(&saved, "To think about next"), prompt.follow_up);
    assert_eq!(
        rows(
            &bot,
            &format!(
                "SELECT COUNT(*) FROM reflections WHERE prompt_id = '{}'",
                prompt.id
            )
        )
        .await,
        1
    );

    let unknown_mode = submit_form(&bot, &ana(), "Coached Sam on the roadmap", "wizardry").await;
    assert!(
        embed(&unknown_mode)["description"]
            .as_str()
            .is_some_and(|d| d.contains("didn't recognise 'wizardry'"))
    );
    assert_eq!(
        rows(&bot, "SELECT COUNT(*) FROM reflections").await,
        2,
        "an unknown mode loses nothing"
    );
}

#[tokio::test]
async fn an_over_long_form_is_refused_and_handed_back() {
    let bot = start_bot(None).await;
    let text = "x".repeat(4_500);
    let refused = submit_form(&bot, &ana(), &text, "").await;
    assert!(ephemeral(&refused));
    assert!(
        refused.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("4500 characters; the limit is 4000"))
    );
    assert_eq!(refused.files.len(), 1, "the text comes back as a file");
    assert_eq!(refused.files[0].1, text.as_bytes());
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 0);
}

#[tokio::test]
async fn log_buttons_page_for_their_owner_and_refuse_anyone_else() {
    let bot = start_bot(None).await;
    reflect_entries(&bot, 12).await;
    let log = slash(&bot, &ana(), "log", json!([])).await;
    assert_eq!(button_ids(&log), [format!("log:2:{ANA}")]);
    let other = press(&bot, &bo(), &format!("log:2:{ANA}")).await;
    assert_eq!(other.body["type"], 4);
    assert!(ephemeral(&other));
    assert!(
        other.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("belong to someone else"))
    );
    let next = press(&bot, &ana(), &format!("log:2:{ANA}")).await;
    assert_eq!(next.body["type"], 7, "the page is replaced in place");
    assert_eq!(title(&next), "Your development log, page 2 of 2");
    assert_eq!(button_ids(&next), [format!("log:1:{ANA}")]);
    let junk = press(&bot, &ana(), "not-ours").await;
    assert!(
        junk.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("no longer valid"))
    );
}

#[tokio::test]
async fn forget_needs_its_owner_to_confirm_and_stale_buttons_stay_harmless() {
    let bot = start_bot(None).await;
    reflect_entries(&bot, 11).await;
    slash(
        &bot,
        &bo(),
        "reflect",
        string_option("text", "bo keeps this"),
    )
    .await;
    let asked = slash(&bot, &ana(), "forget", json!([])).await;
    assert_eq!(
        button_ids(&asked),
        [
            format!("forget:confirm:{ANA}"),
            format!("forget:cancel:{ANA}")
        ]
    );
    assert_eq!(
        rows(&bot, "SELECT COUNT(*) FROM reflections").await,
        12,
        "nothing deleted before the confirm"
    );
    let refused = press(&bot, &bo(), &format!("forget:confirm:{ANA}")).await;
    assert!(ephemeral(&refused));
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 12);
    let cancelled = press(&bot, &ana(), &format!("forget:cancel:{ANA}")).await;
    assert_eq!(title(&cancelled), "Kept");
    let done = press(&bot, &ana(), &format!("forget:confirm:{ANA}")).await;
    assert_eq!(title(&done), "Forgotten");
    assert!(button_ids(&done).is_empty());
    assert_eq!(
        rows(
            &bot,
            &format!("SELECT COUNT(*) FROM members WHERE user_id = '{ANA}'")
        )
        .await,
        0
    );
    assert_eq!(
        rows(&bot, "SELECT COUNT(*) FROM reflections").await,
        1,
        "bo's log is untouched"
    );
    let stale = press(&bot, &ana(), &format!("log:2:{ANA}")).await;
    assert!(
        embed(&stale)["description"]
            .as_str()
            .is_some_and(|d| d.contains("log is empty"))
    );
    assert_eq!(
        rows(
            &bot,
            &format!("SELECT COUNT(*) FROM members WHERE user_id = '{ANA}'")
        )
        .await,
        0,
        "a stale button recreates nobody"
    );
}

#[tokio::test]
async fn typed_mentions_never_ping() {
    let bot = start_bot(None).await;
    let saved = slash(
        &bot,
        &ana(),
        "reflect",
        string_option("text", "@everyone <@123> <@&456> @here"),
    )
    .await;
    no_pings(&saved);
    let echoed = field(&saved, "You wrote");
    assert!(
        !echoed.contains("@everyone") && !echoed.contains("<@123>") && !echoed.contains("<@&456>"),
        "{echoed}"
    );
    let log = slash(&bot, &ana(), "log", json!([])).await;
    no_pings(&log);
    let hat = slash(
        &bot,
        &ana(),
        "hat",
        string_option("situation", "@everyone pitch the vision"),
    )
    .await;
    no_pings(&hat);
    assert!(
        !embed(&hat)["description"]
            .as_str()
            .unwrap_or_default()
            .contains("@everyone")
    );
    // Control and reordering characters are shown defused on every path that echoes text.
    let typed = "pitch \u{1b}[2J the vision \u{202E}to execs";
    for answer in [
        slash(&bot, &ana(), "hat", string_option("situation", typed)).await,
        slash(&bot, &ana(), "tip", string_option("topic", typed)).await,
        slash(&bot, &ana(), "reflect", string_option("text", typed)).await,
    ] {
        let shown = answer.body.to_string();
        assert!(
            !shown.contains("\\u001b") && !shown.contains('\u{1b}') && !shown.contains('\u{202E}'),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn autocomplete_suggests_topics_and_unknown_topics_get_a_clear_answer() {
    let bot = start_bot(None).await;
    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 4, &ana(), false);
    interaction["data"] = json!({"id": "1", "name": "tip", "type": 1, "options": [{"name": "topic", "type": 3, "value": "story", "focused": true}]});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let suggestions = callback(&bot, id).await;
    assert_eq!(suggestions.body["type"], 8);
    let values: Vec<&str> = suggestions.body["data"]["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["value"].as_str())
        .collect();
    assert!(
        values.contains(&"storytelling") && values.contains(&"data-storytelling"),
        "{values:?}"
    );

    let unknown = slash(&bot, &ana(), "tip", string_option("topic", "astrology")).await;
    assert!(ephemeral(&unknown));
    assert!(
        unknown.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.starts_with("No tip matches 'astrology'; try one of:"))
    );
}

#[tokio::test]
async fn commands_work_in_a_direct_message() {
    let bot = start_bot(None).await;
    let saved = slash_in(
        &bot,
        &ana(),
        "reflect",
        string_option("text", "written in a DM"),
        true,
    )
    .await;
    assert_eq!(title(&saved), "Saved as entry #1 in your development log");
    let log = slash(&bot, &ana(), "log", json!([])).await;
    let first_entry = embed(&log)["fields"][0]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(
        first_entry.contains("written in a DM"),
        "one log across DM and server"
    );
}

#[tokio::test]
async fn the_bot_recovers_from_gateway_faults() {
    let bot = start_bot(None).await;
    slash(&bot, &ana(), "help", json!([])).await;

    bot.fake.close_socket();
    bot.fake
        .wait_gateway(
            "a new session after the socket closed",
            WAIT,
            |identifies, resumes, _| identifies + resumes >= 2,
        )
        .await;
    assert_eq!(
        title(&slash(&bot, &ana(), "help", json!([])).await),
        "What I can do"
    );

    let (identifies, resumes, _) = bot.fake.gateway_counts();
    bot.fake
        .send_op(json!({"op": 7, "d": null, "s": null, "t": null}));
    bot.fake
        .wait_gateway("a new session after op 7", WAIT, move |i, r, _| {
            i + r > identifies + resumes
        })
        .await;
    assert_eq!(
        title(&slash(&bot, &ana(), "help", json!([])).await),
        "What I can do"
    );

    let (identifies, _, _) = bot.fake.gateway_counts();
    bot.fake
        .send_op(json!({"op": 9, "d": false, "s": null, "t": null}));
    bot.fake
        .wait_gateway(
            "a fresh identify after op 9",
            Duration::from_secs(30),
            move |i, _, _| i > identifies,
        )
        .await;
    assert_eq!(
        title(&slash(&bot, &ana(), "help", json!([])).await),
        "What I can do"
    );
}

#[tokio::test]
async fn the_reply_survives_one_server_error_and_one_rate_limit() {
    let bot = start_bot(None).await;
    for (status, body) in [
        (500, json!({"message": "Internal Server Error", "code": 0})),
        (
            429,
            json!({"message": "You are being rate limited.", "retry_after": 0.2, "global": false}),
        ),
    ] {
        bot.fake.fail_next("/callback", status, body, 1);
        let answered = slash(&bot, &ana(), "help", json!([])).await;
        assert_eq!(title(&answered), "What I can do");
        let failed = bot
            .fake
            .requests()
            .into_iter()
            .filter(|r| r.path == answered.path && r.status == status)
            .count();
        assert_eq!(failed, 1, "the {status} was seen and retried");
    }
    let next = slash(&bot, &ana(), "tip", json!([])).await;
    assert_eq!(next.body["type"], 4, "the next command is answered too");
}

#[tokio::test]
async fn a_rate_limited_reply_waits_as_long_as_discord_asks() {
    let bot = start_bot(None).await;
    bot.fake.fail_next(
        "/callback",
        429,
        json!({"message": "You are being rate limited.", "retry_after": 1.5, "global": false}),
        1,
    );
    let answered = slash(&bot, &ana(), "help", json!([])).await;
    assert_eq!(title(&answered), "What I can do");
    let requests = bot.fake.requests();
    let limited = requests
        .iter()
        .find(|r| r.path == answered.path && r.status == 429)
        .expect("the 429");
    assert!(
        answered.at.duration_since(limited.at) >= Duration::from_secs_f64(1.5),
        "waited the body's retry_after (1.5 s), not the header's 1 s or a fixed pause"
    );
}

#[tokio::test]
async fn web_answers_privately_with_a_one_time_link_and_a_servers_manager_gets_its_team_view() {
    let mut t = test_mentor().await;
    t.mentor = t.mentor.with_web("https://mentor.example.com");
    let bot = launch(None, Shards::Single, |_| {}, t).await;
    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 2, &ana(), false);
    interaction["member"]["permissions"] = json!("32");
    interaction["data"] = json!({"id": bot.fake.id().to_string(), "name": "web", "type": 1});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let answered = callback(&bot, id).await;
    assert!(ephemeral(&answered), "a sign-in link is for its owner only");
    let text = embed(&answered)["description"].as_str().unwrap_or_default();
    assert!(
        text.contains("https://mentor.example.com/signin/"),
        "{text}"
    );
    assert!(text.contains("You lead this team"), "{text}");

    let plain = slash(&bot, &bo(), "web", json!([])).await;
    let text = embed(&plain)["description"].as_str().unwrap_or_default();
    assert!(
        text.contains("/signin/") && !text.contains("You lead"),
        "{text}"
    );
    let leads: Vec<String> = {
        let pool = sqlx::SqlitePool::connect(&bot.mentor.db.url)
            .await
            .expect("a pool");
        let rows =
            sqlx::query_scalar("SELECT teams FROM web_links ORDER BY created_at, teams DESC")
                .fetch_all(&pool)
                .await
                .expect("links");
        pool.close().await;
        rows
    };
    assert_eq!(leads, [fake::GUILD_ID.to_string(), String::new()]);
}

#[tokio::test]
async fn health_is_503_when_heartbeats_go_unacknowledged_and_200_after_reconnecting() {
    let fake = FakeDiscord::start().await;
    // Two seconds between heartbeats instead of Discord's 41¼, to keep the test short.
    fake.heartbeat_every(2_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let http_addr = free_port();
    let _child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mentorbot"))
        .env("DATABASE_URL", dir.path().join("bot.db"))
        .env("DISCORD_TOKEN", "fake-token")
        .env("DISCORD_API_BASE", &fake.base)
        .env("MENTORBOT_HTTP_ADDR", &http_addr)
        .env_remove("DISCORD_TOKEN_FILE")
        .env_remove("SLACK_BOT_TOKEN")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("mentorbot starts");
    // Healthy from Ready on, before the first heartbeat is due.
    let healthy = health_within(&http_addr, 200, WAIT).await;
    assert_eq!(healthy["front_ends"]["discord"], "connected");
    fake.wait_gateway("an acknowledged heartbeat", WAIT, |_, _, beats| beats >= 1)
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    health_within(&http_addr, 200, WAIT).await;

    // The socket stays open but heartbeats are no longer acknowledged. The next heartbeat
    // finds the last one unanswered: at most two intervals (4 s) after the silence began,
    // well before serenity's restart of the shard (5 s later) would show.
    fake.go_silent(true);
    let unhealthy = health_within(&http_addr, 503, Duration::from_secs(6)).await;
    assert_eq!(unhealthy["front_ends"]["discord"], "disconnected");
    assert_eq!(unhealthy["database"], "ok");

    fake.go_silent(false);
    let healthy = health_within(&http_addr, 200, Duration::from_secs(30)).await;
    assert_eq!(healthy["front_ends"]["discord"], "connected");
}

#[tokio::test]
async fn the_binary_connects_with_discord_settings_from_the_environment() {
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "file-token\n").expect("token written");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mentorbot"))
        .env("DATABASE_URL", dir.path().join("bot.db"))
        .env("DISCORD_TOKEN_FILE", &token_file)
        .env("DISCORD_API_BASE", &fake.base)
        .env("DISCORD_GUILD_ID", fake::GUILD_ID.to_string())
        .env("RUST_LOG", "debug")
        .env_remove("DISCORD_TOKEN")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("mentorbot starts");
    // Read the logs while the bot runs, so a full pipe never blocks it.
    let mut stderr = child.stderr.take().expect("stderr");
    let logs = tokio::spawn(async move {
        let mut text = String::new();
        let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut text).await;
        text
    });
    let put = fake
        .wait_for("guild registration", WAIT, |r| r.method == "PUT")
        .await;
    assert!(
        put.path
            .ends_with(&format!("/guilds/{}/commands", fake::GUILD_ID))
    );
    let id = fake.id();
    let mut interaction = fake::interaction_base(id, 2, &ana(), false);
    interaction["data"] = json!({"id": "1", "name": "reflect", "type": 1, "options": [{"name": "text", "type": 3, "value": "from the binary"}]});
    fake.dispatch("INTERACTION_CREATE", interaction);
    let path = callback_path(id);
    let answered = fake
        .wait_for("the callback", WAIT, |r| r.path == path && r.status == 204)
        .await;
    assert_eq!(
        title(&answered),
        "Saved as entry #1 in your development log"
    );

    child.start_kill().expect("stopped");
    let output = child.wait_with_output().await.expect("exited");
    let logs = logs.await.expect("the logs were read");
    assert!(
        !logs.contains("file-token"),
        "the token never reaches the logs"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains("in the terminal"),
        "no terminal session when Discord is configured"
    );
    assert!(
        stdout.contains(&format!(
            "client_id={}&scope=bot+applications.commands&permissions=51200",
            fake::APP_ID
        )),
        "{stdout}"
    );
    assert!(
        !logs.contains("Failed to insert owners"),
        "no needless owner lookup: {logs}"
    );
    assert_eq!(
        count_rows(
            &dir.path().join("bot.db"),
            "SELECT COUNT(*) FROM reflections"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_answer_button_in_a_nudge_opens_the_form_in_one_click() {
    let bot = start_bot(None).await;
    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 3, &ana(), true);
    interaction["data"] =
        json!({"custom_id": format!("reflect:answer:{ANA}"), "component_type": 2});
    interaction["message"] = fake::message_json(bot.fake.id(), "", json!([]));
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let opened = callback(&bot, id).await;
    assert_eq!(opened.body["type"], 9, "a modal: {:#}", opened.body);
    assert_eq!(opened.body["data"]["custom_id"], "mentorbot:reflect");
}

#[tokio::test]
async fn only_server_managers_can_set_the_team_question() {
    let bot = start_bot(None).await;
    let set = json!([{"name": "set", "type": 1, "options": [
        {"name": "day", "type": 4, "value": 1},
        {"name": "time", "type": 3, "value": "10:00"},
        {"name": "timezone", "type": 3, "value": "Europe/Berlin"},
    ]}]);
    let refused = slash(&bot, &bo(), "team", set.clone()).await;
    assert!(ephemeral(&refused));
    assert!(
        refused.body["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Only members who can manage this server"))
    );
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM team_prompts").await, 0);

    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 2, &ana(), false);
    interaction["member"]["permissions"] = json!("32");
    interaction["data"] = json!({"id": "1", "name": "team", "type": 1, "options": set});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let accepted = callback(&bot, id).await;
    assert_eq!(title(&accepted), "Team question set");
    let stored = format!(
        "SELECT COUNT(*) FROM team_prompts WHERE channel = '{}' AND workspace = '{}' AND weekday = 2 AND minute_of_day = 600",
        fake::CHANNEL_ID,
        fake::GUILD_ID
    );
    assert_eq!(
        rows(&bot, &stored).await,
        1,
        "Tuesday 10:00 in the channel where it was run"
    );
}

#[tokio::test]
async fn auto_sharding_runs_every_recommended_shard_and_registers_once() {
    let bot = start_sharded_bot(None, Shards::Auto, |fake| fake.recommend_shards(2)).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while bot.fake.identified_shards().len() < 2 {
        assert!(std::time::Instant::now() < deadline, "both shards identify");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut shards = bot.fake.identified_shards();
    shards.sort();
    assert_eq!(shards, [[0, 2], [1, 2]]);
    assert!(
        bot.fake
            .requests()
            .iter()
            .any(|r| r.method == "GET" && r.path.ends_with("/gateway/bot")),
        "the shard count came from GET /gateway/bot"
    );
    // A guild on each shard, and a DM (shard 0), are each answered once.
    let guilds = [0, 1].map(|shard| {
        (900_000_000_000_000_000u64..)
            .step_by(1 << 22)
            .find(|&id| fake::shard_of(&json!({"guild_id": id.to_string()}), 2) == shard)
            .expect("a guild")
    });
    for place in [Some(guilds[0]), Some(guilds[1]), None] {
        let id = bot.fake.id();
        let mut interaction = fake::interaction_base(id, 2, &ana(), place.is_none());
        if let Some(guild) = place {
            interaction["guild_id"] = json!(guild.to_string());
        }
        interaction["data"] = json!({"id": bot.fake.id().to_string(), "name": "help", "type": 1});
        let shard = bot.fake.dispatch("INTERACTION_CREATE", interaction);
        assert_eq!(shard, Some(place.map_or(0, |g| (g >> 22) % 2)));
        callback(&bot, id).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let registrations = bot
        .fake
        .requests()
        .iter()
        .filter(|r| r.method == "PUT" && r.path.ends_with("/commands"))
        .count();
    assert_eq!(registrations, 1, "two shards, one registration");
}

/// The follow-up messages sent with the token of the interaction `callback` answered.
async fn followup_of(bot: &Bot, callback: &Recorded, what: &str) -> Recorded {
    let token = callback
        .path
        .split('/')
        .nth(5)
        .expect("the interaction's token");
    let path = format!("/api/v10/webhooks/{}/{token}", fake::APP_ID);
    bot.fake.wait_for(what, WAIT, |r| r.path == path).await
}

#[tokio::test]
async fn the_coach_asks_after_the_saved_reply_and_its_answer_is_one_click_away() {
    let model = FakeModel::coaching().await;
    let bot = launch(None, Shards::Single, |_| {}, coached(&model, 5, 30).await).await;
    let on = slash(
        &bot,
        &ana(),
        "coach",
        json!([{"name": "on", "type": 1, "options": []}]),
    )
    .await;
    assert_eq!(title(&on), "Your coach is on");
    let text = "the vendor integration could slip and nobody owns it";
    let saved = slash(&bot, &ana(), "reflect", string_option("text", text)).await;
    assert_eq!(saved.body["type"], 4, "saved and answered within 3 seconds");
    assert_eq!(title(&saved), "Saved as entry #1 in your development log");
    let asked = followup_of(&bot, &saved, "the coach's follow-up").await;
    let question = asked.body["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        question.starts_with("Who will own the vendor integration"),
        "{:#}",
        asked.body
    );
    assert_eq!(
        asked.body["flags"].as_u64().map(|f| f & 64),
        Some(64),
        "private"
    );
    assert_eq!(asked.body["allowed_mentions"]["parse"], json!([]));
    let button = format!("answer:1:{ANA}");
    assert_eq!(
        asked.body["components"][0]["components"][0]["custom_id"],
        button
    );

    let refused = press(&bot, &bo(), &button).await;
    assert_eq!(refused.body["data"]["content"], messages::NOT_YOUR_BUTTON);
    let opened = press(&bot, &ana(), &button).await;
    assert_eq!(opened.body["type"], 9, "a form: {:#}", opened.body);
    assert_eq!(opened.body["data"]["custom_id"], "mentorbot:answer:1");
    let placeholder = opened.body["data"]["components"][0]["components"][0]["placeholder"]
        .as_str()
        .unwrap_or_default();
    assert!(question.starts_with(placeholder.trim_end_matches('…')));

    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 5, &ana(), false);
    interaction["data"] = json!({"custom_id": "mentorbot:answer:1", "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "text", "value": "Dana owns it from Monday"}]},
    ]});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let answered = callback(&bot, id).await;
    assert_eq!(
        title(&answered),
        "Saved as entry #2 in your development log"
    );
    let description = embed(&answered)["description"].as_str().unwrap_or_default();
    assert!(description.starts_with("Your answer to the question about entry #1."));
    assert_eq!(rows(&bot, "SELECT COUNT(*) FROM reflections").await, 2);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(model.seen().len(), 1, "an answer gets no further question");
}

#[tokio::test]
async fn premortem_and_review_defer_then_answer_with_the_coach() {
    let model = FakeModel::coaching().await;
    let bot = launch(None, Shards::Single, |_| {}, coached(&model, 5, 30).await).await;
    slash(
        &bot,
        &ana(),
        "coach",
        json!([{"name": "on", "type": 1, "options": []}]),
    )
    .await;
    let deferred = slash(
        &bot,
        &ana(),
        "premortem",
        string_option("project", "the vendor integration"),
    )
    .await;
    assert_eq!(
        deferred.body["type"], 5,
        "deferred within the 3-second window"
    );
    assert!(ephemeral(&deferred));
    let premortem = followup_of(&bot, &deferred, "the pre-mortem").await;
    let fields = premortem.body["embeds"][0]["fields"].to_string();
    assert!(
        fields.contains("1. Nobody owns the vendor integration end to end."),
        "{fields}"
    );
    assert!(
        premortem.body["embeds"][0]["title"]
            .as_str()
            .is_some_and(|t| t.contains("#1"))
    );

    let id = bot.fake.id();
    let mut interaction = fake::interaction_base(id, 2, &ana(), false);
    interaction["data"] = json!({"id": "1", "name": "review", "type": 1, "options": [{"name": "weeks", "type": 4, "value": 4}]});
    bot.fake.dispatch("INTERACTION_CREATE", interaction);
    let deferred = callback(&bot, id).await;
    assert_eq!(deferred.body["type"], 5);
    let review = followup_of(&bot, &deferred, "the review").await;
    assert_eq!(review.files.len(), 1);
    assert!(review.files[0].0.starts_with("mentorbot-review-"));
    let fields = review.body["embeds"][0]["fields"].to_string();
    assert!(
        fields.contains("In your coach's words") && !fields.contains("#999"),
        "{fields}"
    );
}
