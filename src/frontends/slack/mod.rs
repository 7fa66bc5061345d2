//! The Slack front end (slack-morphism): `/mentor` and its shortcuts, buttons and the
//! reflection form, over Socket Mode or signed HTTP, each turned into a mentor call and the
//! reply rendered in Block Kit.

pub mod api;
pub mod blocks;
mod followups;
mod handler;
mod http;
pub mod messenger;
mod people;
mod team;
mod text;
pub mod wording;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;

use crate::config::Secret;
use crate::mentor::Mentor;

use api::{Api, Client};
use handler::Handler;

/// Slack's Web API.
pub const SLACK_API: &str = "https://slack.com/api";

/// How Slack reaches mentorbot.
#[derive(Clone, Debug)]
pub enum Transport {
    /// Socket Mode: mentorbot opens a websocket to Slack with the app-level token
    /// (`xapp-…`, scope `connections:write`); no public URL is needed.
    SocketMode { app_token: Secret },
    /// Slack posts to mentorbot's HTTP server, signing each request with this secret.
    Http { signing_secret: Secret },
}

/// How to reach Slack.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The bot token (`xoxb-…`).
    pub bot_token: Secret,
    pub transport: Transport,
    /// `https://slack.com/api`, or another server speaking the Web API (a test fake).
    pub api_base: String,
}

/// A Slack workspace connection, checked but not yet listening.
pub struct Connection {
    handler: Arc<Handler>,
    transport: Transport,
    connected: Arc<AtomicBool>,
}

/// What the Socket Mode callbacks need; slack-morphism hands it to them as user state.
struct SocketState {
    handler: Arc<Handler>,
    connected: Arc<AtomicBool>,
}

/// Checks the bot token with `auth.test` and sets up the handler.
pub async fn connect(settings: Settings, mentor: Mentor) -> anyhow::Result<Connection> {
    let api = Api::new(api::client(&settings.api_base), &settings.bot_token);
    let (team, bot) = api
        .who_am_i()
        .await
        .map_err(|error| anyhow::anyhow!("checking SLACK_BOT_TOKEN with auth.test: {error}"))?;
    tracing::info!(%team, %bot, "connected to Slack");
    Ok(Connection {
        handler: Arc::new(Handler::new(mentor, api)),
        transport: settings.transport,
        connected: Arc::new(AtomicBool::new(false)),
    })
}

impl Connection {
    /// The scheduler's way to send DMs and channel posts, at most `requests_per_second`.
    pub fn messenger(&self, requests_per_second: f64) -> messenger::SlackMessenger {
        messenger::SlackMessenger::new(self.handler.clone(), requests_per_second)
    }

    /// The signed HTTP routes, when Slack reaches mentorbot over HTTP.
    pub fn routes(&self) -> Option<axum::Router> {
        match &self.transport {
            Transport::Http { signing_secret } => {
                Some(http::routes(self.handler.clone(), signing_secret))
            }
            Transport::SocketMode { .. } => None,
        }
    }

    /// True while Slack can reach mentorbot: the socket said hello, or (HTTP) the token worked.
    pub fn connected(&self) -> Arc<AtomicBool> {
        self.connected.clone()
    }

    /// Listens until `shutdown` completes: on the socket, or (HTTP) through [`Self::routes`].
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let app_token = match self.transport {
            Transport::SocketMode { app_token } => app_token,
            Transport::Http { .. } => {
                self.connected.store(true, Ordering::SeqCst);
                shutdown.await;
                return Ok(());
            }
        };
        let client = self.handler.api.client.clone();
        let state = SocketState {
            handler: self.handler.clone(),
            connected: self.connected.clone(),
        };
        let environment = Arc::new(
            SlackClientEventsListenerEnvironment::new(client)
                .with_error_handler(on_listener_error)
                .with_user_state(state),
        );
        let callbacks = SlackSocketModeListenerCallbacks::new()
            .with_hello_events(on_hello)
            .with_command_events(on_command)
            .with_interaction_events(on_interaction);
        let config = SlackClientSocketModeConfig::new()
            .with_max_connections_count(1)
            .with_reconnect_timeout_in_seconds(5);
        let listener = SlackClientSocketModeListener::new(&config, environment, callbacks);
        listener
            .listen_for(&api::token(&app_token))
            .await
            .context("opening Slack's Socket Mode")?;
        listener.start().await;
        shutdown.await;
        listener.shutdown().await;
        self.connected.store(false, Ordering::SeqCst);
        Ok(())
    }
}

/// Socket Mode's `hello` (its event type is not exported by slack-morphism, hence generic).
async fn on_hello<Hello: Send + 'static>(
    _event: Hello,
    _client: Arc<Client>,
    state: SlackClientEventsUserState,
) {
    if let Some(socket) = state.read().await.get_user_state::<SocketState>() {
        socket.connected.store(true, Ordering::SeqCst);
    }
    tracing::info!("Slack's Socket Mode said hello");
}

/// Returned by [`on_command`] so slack-morphism sends a bare acknowledgement: an empty
/// payload (`{}`) could show in Slack as a message of its own.
#[derive(Debug)]
struct AnsweredLater;

impl std::fmt::Display for AnsweredLater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("answered through response_url")
    }
}

impl std::error::Error for AnsweredLater {}

/// A slash command is acknowledged at once with no payload; the answer follows through its
/// `response_url`.
async fn on_command(
    event: SlackCommandEvent,
    _client: Arc<Client>,
    state: SlackClientEventsUserState,
) -> UserCallbackResult<SlackCommandEventResponse> {
    if let Some(socket) = state.read().await.get_user_state::<SocketState>() {
        socket.handler.command(event);
    }
    Err(Box::new(AnsweredLater))
}

async fn on_interaction(
    event: SlackInteractionEvent,
    _client: Arc<Client>,
    state: SlackClientEventsUserState,
) -> UserCallbackResult<SlackInteractionResponse> {
    let handler = state
        .read()
        .await
        .get_user_state::<SocketState>()
        .map(|socket| socket.handler.clone());
    Ok(match handler {
        Some(handler) => handler.interaction(event).await,
        None => SlackInteractionResponse::Empty,
    })
}

/// A malformed envelope or a failed callback is logged and still acknowledged, so Slack
/// does not send it again and again. A malformed envelope is logged without its body, which
/// holds what a member typed and the `response_url`.
fn on_listener_error(
    error: Box<dyn std::error::Error + Send + Sync>,
    _client: Arc<Client>,
    _state: SlackClientEventsUserState,
) -> HttpStatusCode {
    if error.is::<AnsweredLater>() {
        return HttpStatusCode::OK;
    }
    match error.downcast_ref::<SlackClientError>() {
        Some(SlackClientError::ProtocolError(protocol)) => {
            tracing::warn!(
                "ignoring a Slack envelope that does not parse: {}",
                protocol.json_error
            );
        }
        _ => tracing::warn!("Slack listener: {error}"),
    }
    HttpStatusCode::OK
}
