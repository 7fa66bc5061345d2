//! The Slack front end (slack-morphism): `/mentor` and its shortcuts, buttons and the
//! reflection form, over Socket Mode or signed HTTP, each turned into a mentor call and the
//! reply rendered in Block Kit.

pub mod api;
pub mod blocks;
mod followups;
mod handler;
mod home;
mod http;
pub mod messenger;
mod people;
pub mod socket;
mod team;
mod text;
pub mod wording;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::config::Secret;
use crate::mentor::Mentor;

use api::Api;
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
    deadlines: socket::Deadlines,
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
        deadlines: socket::Deadlines::default(),
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

    /// Sets how often the socket is pinged and how long it may stay silent (tests shorten them).
    pub fn with_deadlines(mut self, deadlines: socket::Deadlines) -> Connection {
        self.deadlines = deadlines;
        self
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
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        socket::serve(
            self.handler,
            app_token,
            self.deadlines,
            self.connected.clone(),
            stopped,
        )
        .await;
        self.connected.store(false, Ordering::SeqCst);
        Ok(())
    }
}
