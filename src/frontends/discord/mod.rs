//! The Discord front end (serenity + poise): slash commands, buttons and the reflection form,
//! each turned into a mentor call and the reply rendered as an embed.

mod challenges;
mod commands;
mod interactions;
pub mod messenger;
pub mod render;
mod rest;
mod shards;

use std::io::Write as _;
use std::sync::atomic::Ordering;
mod weekly;
pub mod wording;

use std::future::Future;
use std::time::Duration;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;

use serenity::http::Route;

use crate::config::Secret;
use crate::error::new_error_id;
use crate::mentor::{Command, DISCORD_WORKSPACE, MemberRef, Mentor, messages};
use crate::platform::Platform;
use rest::{Payload, Rest};
use shards::ShardWatch;
pub use shards::Shards;

/// State shared by every command.
pub struct Data {
    pub mentor: Mentor,
    /// Sends replies to interactions, waiting out rate limits.
    replies: Rest,
    /// Each shard's connection as `/healthz` sees it.
    shard_watch: std::sync::Arc<ShardWatch>,
    /// (member, server) pairs already noted for the team view.
    teams_seen: std::sync::Mutex<std::collections::HashSet<(String, String)>>,
}

pub type Error = anyhow::Error;
pub type Context<'a> = poise::Context<'a, Data, Error>;

/// How to reach Discord.
#[derive(Clone, Debug)]
pub struct Settings {
    pub token: Secret,
    /// `https://discord.com`, or another server speaking its API (a proxy, or a test fake).
    pub api_base: String,
    /// Register commands in this guild only instead of globally.
    pub guild_id: Option<serenity::GuildId>,
    /// The gateway shards this process runs.
    pub shards: Shards,
}

const DISCORD: &str = "https://discord.com";

/// A Discord user as a mentor member. Discord ids are global, so one person has one log
/// whichever server or DM they write from.
pub fn member_of(user: &serenity::User) -> MemberRef {
    let name = user
        .global_name
        .clone()
        .unwrap_or_else(|| user.name.clone());
    MemberRef::new(
        Platform::Discord,
        DISCORD_WORKSPACE,
        &user.id.get().to_string(),
        &name,
    )
}

/// A Discord client, set up but not yet connected.
pub struct Connection {
    client: serenity::Client,
    shards: Shards,
    shard_watch: std::sync::Arc<ShardWatch>,
    /// serenity's HTTP client, which the replies and the messenger share.
    rest_client: reqwest::Client,
}

/// Sets up the client: commands, handlers and the HTTP client (pointed at `api_base`).
pub async fn connect(settings: Settings, mentor: Mentor) -> anyhow::Result<Connection> {
    let commands = commands::all(mentor.library());
    let guild_id = settings.guild_id;
    let shards = settings.shards;
    let shard_watch = std::sync::Arc::new(ShardWatch::default());
    let shard_watch_at_setup = shard_watch.clone();
    let rest_client = rest::client();
    let rest_client_at_setup = rest_client.clone();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands,
            on_error: |error| Box::pin(on_error(error)),
            event_handler: |framework, event| Box::pin(on_event(event, framework.user_data)),
            ..Default::default()
        })
        .initialize_owners(false)
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                tracing::info!(bot = %ready.user.name, "connected to Discord");
                // Printed for the operator; a closed stdout is not worth failing over.
                let _ = writeln!(
                    std::io::stdout(),
                    "mentorbot: connected to Discord as {}. Invite it with {}",
                    ready.user.name,
                    invite_link(ready.application.id)
                );
                if shards.holds_shard_zero() {
                    register(ctx, &framework.options().commands, guild_id).await;
                } else {
                    tracing::info!("not registering commands: the process holding shard 0 does");
                }
                Ok(Data {
                    mentor,
                    replies: Rest::replies(ctx.http.clone(), rest_client_at_setup),
                    shard_watch: shard_watch_at_setup,
                    teams_seen: Default::default(),
                })
            })
        })
        .build();
    let mut http = serenity::HttpBuilder::new(settings.token.expose()).client(rest_client.clone());
    let api_base = settings.api_base.trim_end_matches('/');
    if api_base != DISCORD {
        // serenity applies a proxy base only with its own rate limiter off; the server at that
        // base (a rate-limiting proxy, or the test fake) is then in charge of limits.
        http = http.proxy(api_base).ratelimiter_disabled(true);
    }
    let client =
        serenity::ClientBuilder::new_with_http(http.build(), serenity::GatewayIntents::GUILDS)
            .framework(framework)
            .await
            .context("setting up the Discord client")?;
    Ok(Connection {
        client,
        shards,
        shard_watch,
        rest_client,
    })
}

impl Connection {
    /// The scheduler's way to send DMs and channel posts, at most `requests_per_second`.
    pub fn messenger(&self, requests_per_second: f64) -> messenger::DiscordMessenger {
        messenger::DiscordMessenger::sharing(
            self.client.http.clone(),
            self.rest_client.clone(),
            requests_per_second,
        )
    }

    /// For `/healthz`: whether every shard this process runs is connected.
    pub fn probe(&self) -> crate::health::Probe {
        shards::probe(self.client.shard_manager.clone(), self.shard_watch.clone())
    }

    /// Connects to the gateway and answers interactions until `shutdown` completes.
    pub async fn run(
        mut self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let shards = self.client.shard_manager.clone();
        tokio::spawn(async move {
            shutdown.await;
            shards.shutdown_all().await;
        });
        let started = match self.shards {
            Shards::Single => self.client.start().await,
            Shards::Auto => self.client.start_autosharded().await,
            // serenity's range includes its end: `0..1` starts shards 0 and 1.
            Shards::Range { first, last, total } => {
                self.client.start_shard_range(first..last, total).await
            }
        };
        started.context("connecting to the Discord gateway")
    }
}

/// Connects to Discord and answers interactions until `shutdown` completes.
pub async fn run(
    settings: Settings,
    mentor: Mentor,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    connect(settings, mentor).await?.run(shutdown).await
}

/// The link that adds the bot to a server with the scopes and permissions it needs:
/// Send Messages, Embed Links and Attach Files.
pub fn invite_link(application: serenity::ApplicationId) -> String {
    format!(
        "https://discord.com/oauth2/authorize?client_id={application}&scope=bot+applications.commands&permissions=51200"
    )
}

/// Registers the commands, retrying a few times; a failure is logged, not fatal, since the
/// commands from an earlier start usually still stand.
async fn register(
    ctx: &serenity::Context,
    commands: &[poise::Command<Data, Error>],
    guild_id: Option<serenity::GuildId>,
) {
    for attempt in 1..=3u64 {
        let result = match guild_id {
            Some(guild) => poise::builtins::register_in_guild(ctx, commands, guild).await,
            None => poise::builtins::register_globally(ctx, commands).await,
        };
        match result {
            Ok(()) => {
                tracing::info!(count = commands.len(), guild = ?guild_id, "registered slash commands");
                return;
            }
            Err(error) => {
                tracing::warn!(attempt, "registering slash commands failed: {error}");
                tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
            }
        }
    }
    tracing::error!("could not register slash commands; the ones registered earlier stay in use");
}

/// Runs a mentor command for the invoking member and sends the reply.
async fn respond(ctx: Context<'_>, command: Command) -> Result<(), Error> {
    let who = member_of(ctx.author());
    let noted = async {
        if let Some(guild) = ctx.guild_id() {
            note_team(ctx.data(), &who, &guild.get().to_string()).await;
        }
    };
    // The note is a read and a write, made with each member's first command in a server after
    // every start: alongside the command it adds little to the wait.
    let handled = if command.involves_teams() {
        noted.await;
        ctx.data().mentor.handle(&who, command).await
    } else {
        tokio::join!(noted, ctx.data().mentor.handle(&who, command)).1
    };
    let (reply, later) = match handled {
        Ok(mut reply) => (
            render::response(&reply, ctx.author().id),
            reply.later.take(),
        ),
        Err(error) => (
            render::Message::note(&crate::frontends::error_text(&error, "discord command")),
            None,
        ),
    };
    send(ctx, reply).await?;
    // The saved answer is shown within Discord's 3 seconds; the coach's follows it.
    if let Some(later) = later
        && let Some(message) = answer_later(ctx.data(), &who, later, ctx.author().id).await
    {
        send(ctx, message).await?;
    }
    Ok(())
}

/// What a reply left for later (the coach's follow-up question), as a message; `None` when
/// there is nothing to add.
async fn answer_later(
    data: &Data,
    who: &MemberRef,
    later: crate::mentor::Later,
    owner: serenity::UserId,
) -> Option<render::Message> {
    match data.mentor.later(who, later).await {
        Ok(Some(reply)) => Some(render::response(&reply, owner)),
        Ok(None) => None,
        Err(error) => Some(render::Message::note(&crate::frontends::error_text(
            &error,
            "discord follow-up",
        ))),
    }
}

/// Notes, once per member and server while running, that the member uses mentorbot in this
/// server, so the server's team view counts them.
async fn note_team(data: &Data, who: &MemberRef, guild: &str) {
    let key = (who.user.clone(), guild.to_string());
    let new = data
        .teams_seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key.clone());
    if new && let Err(error) = data.mentor.seen_in_team(who, guild).await {
        tracing::warn!("noting a member's server: {error}");
        data.teams_seen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&key);
    }
}

/// Sends a reply through [`Rest`], which reads a 429's `retry_after` and waits that long, and
/// tries a server error or a dropped connection again (three tries in all).
async fn send(ctx: Context<'_>, message: render::Message) -> Result<(), Error> {
    let poise::Context::Application(app) = ctx else {
        anyhow::bail!("mentorbot answers slash commands only");
    };
    let files = message.files();
    let token = app.interaction.token.as_str();
    let initial = !app.has_sent_initial_response.load(Ordering::SeqCst);
    let (route, payload) = if initial {
        let route = Route::InteractionResponse {
            interaction_id: app.interaction.id,
            token,
        };
        let body = serenity::CreateInteractionResponse::Message(message.initial());
        (route, Payload::new(&body, files))
    } else {
        let route = Route::WebhookFollowupMessages {
            application_id: app.interaction.application_id,
            token,
        };
        (route, Payload::new(&message.followup(), files))
    };
    let payload = payload.map_err(|e| anyhow::anyhow!("encoding a reply: {e}"))?;
    ctx.data()
        .replies
        .post(route, &payload)
        .await
        .map_err(|e| anyhow::anyhow!("sending a reply: {e}"))?;
    if initial {
        app.has_sent_initial_response.store(true, Ordering::SeqCst);
    }
    Ok(())
}

async fn on_event(event: &serenity::FullEvent, data: &Data) -> Result<(), Error> {
    match event {
        serenity::FullEvent::InteractionCreate { interaction } => match interaction {
            serenity::Interaction::Component(press) => interactions::button(data, press).await?,
            serenity::Interaction::Modal(submit) => interactions::form(data, submit).await?,
            _ => {}
        },
        serenity::FullEvent::ShardStageUpdate { event } => {
            data.shard_watch.stage_changed(event.shard_id);
        }
        _ => {}
    }
    Ok(())
}

/// Logs every error with an id; the member sees their own mistake in plain words, or an
/// apology carrying that id, never internal error text.
async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::ArgumentParse { ctx, input, .. } => {
            let what = input
                .map(|i| format!(" '{}'", crate::mentor::words::shorten(&i, 40)))
                .unwrap_or_default();
            let text =
                format!("I couldn't read the option{what}. Try /help for what each command takes.");
            let _ = ctx.send(render::note_reply(&text)).await;
        }
        poise::FrameworkError::GuildOnly { ctx, .. } => {
            let _ = ctx.send(render::note_reply(messages::GUILD_ONLY)).await;
        }
        poise::FrameworkError::Command { error, ctx, .. } => {
            let error_id = new_error_id();
            tracing::error!(error_id = %error_id, command = %ctx.command().qualified_name, "{error:#}");
            let _ = ctx
                .send(render::note_reply(&messages::internal_error(&error_id)))
                .await;
        }
        poise::FrameworkError::EventHandler { error, event, .. } => {
            let error_id = new_error_id();
            tracing::error!(error_id = %error_id, event = %event.snake_case_name(), "{error:#}");
        }
        other => {
            let error_id = new_error_id();
            tracing::error!(error_id = %error_id, "{other}");
            if let Some(ctx) = other.ctx() {
                let _ = ctx
                    .send(render::note_reply(&messages::internal_error(&error_id)))
                    .await;
            }
        }
    }
}
