//! Configuration: one struct, read from flags and the environment.

use crate::mentor::words::{clean_typed_text, shorten};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// mentorbot: a mentor for product managers on the way to product leadership.
///
/// With no chat platform configured it runs in this terminal against a local SQLite file.
#[derive(Debug, Parser)]
#[command(name = "mentorbot", version)]
pub struct Config {
    /// Where the development log lives: a `sqlite:` URL or a file path (created if missing), or
    /// a `postgres://` URL.
    #[arg(
        long,
        env = "DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite:mentorbot.db"
    )]
    pub database_url: String,

    /// A folder whose content replaces the shipped prompts/ (tips, stages, prompts, challenges).
    #[arg(long, env = "MENTORBOT_PROMPTS", value_name = "DIR")]
    pub prompts: Option<PathBuf>,

    /// Your name in terminal mode (default: the operating-system user).
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,

    /// The Discord bot token. When set (or read from DISCORD_TOKEN_FILE), mentorbot joins Discord.
    #[arg(
        long,
        env = "DISCORD_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub discord_token: Option<Secret>,

    /// A file holding the Discord bot token (for Docker or systemd secrets).
    #[arg(long, env = "DISCORD_TOKEN_FILE", value_name = "FILE")]
    pub discord_token_file: Option<PathBuf>,

    /// Register commands in this guild only (instant, for trying it out) instead of globally.
    #[arg(long, env = "DISCORD_GUILD_ID", value_name = "ID")]
    pub discord_guild_id: Option<u64>,

    /// Which gateway shards this process runs: `auto` (as many as Discord recommends, all
    /// here), or `first-last/total` such as `0-1/4` (shards 0 and 1 of 4) when several
    /// processes split the bot. Unset: one shard.
    #[arg(long, env = "DISCORD_SHARDS", value_name = "SHARDS")]
    pub discord_shards: Option<crate::frontends::discord::Shards>,

    /// Where the Discord REST API (and, through GET /gateway, the gateway) is reached.
    #[arg(
        long,
        env = "DISCORD_API_BASE",
        default_value = "https://discord.com",
        value_name = "URL"
    )]
    pub discord_api_base: String,

    /// Requests per second the scheduler may make to Discord when sending nudges, across the
    /// whole bot: Discord allows 50 per bot, and the default leaves room for answering
    /// commands. A process running some of the shards uses their share of it.
    #[arg(
        long,
        env = "MENTORBOT_SEND_RATE",
        default_value_t = 25.0,
        value_name = "PER_SECOND"
    )]
    pub send_rate: f64,

    /// The Slack bot token (`xoxb-…`). With SLACK_APP_TOKEN mentorbot joins Slack over Socket
    /// Mode; with SLACK_SIGNING_SECRET, over HTTP on MENTORBOT_HTTP_ADDR.
    #[arg(
        long,
        env = "SLACK_BOT_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub slack_bot_token: Option<Secret>,

    /// The Slack app-level token (`xapp-…`, scope connections:write), for Socket Mode.
    #[arg(
        long,
        env = "SLACK_APP_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub slack_app_token: Option<Secret>,

    /// The Slack signing secret, for Slack over HTTP (commands, interactions and events).
    #[arg(
        long,
        env = "SLACK_SIGNING_SECRET",
        hide_env_values = true,
        value_name = "SECRET"
    )]
    pub slack_signing_secret: Option<Secret>,

    /// Where Slack's Web API (and, through apps.connections.open, Socket Mode) is reached.
    #[arg(
        long,
        env = "SLACK_API_BASE",
        default_value = "https://slack.com/api",
        value_name = "URL"
    )]
    pub slack_api_base: String,

    /// Requests per second the scheduler may make to Slack when sending nudges.
    #[arg(
        long,
        env = "MENTORBOT_SLACK_SEND_RATE",
        default_value_t = 5.0,
        value_name = "PER_SECOND"
    )]
    pub slack_send_rate: f64,

    /// Where mentorbot serves HTTP: GET /healthz always, and Slack's routes when Slack
    /// comes over HTTP. For example 0.0.0.0:8080.
    #[arg(long, env = "MENTORBOT_HTTP_ADDR", value_name = "ADDR")]
    pub http_addr: Option<std::net::SocketAddr>,

    /// The address people reach mentorbot's HTTP server by, for the web view's sign-in links,
    /// for example https://mentor.example.com behind a TLS proxy. Unset: no web view.
    #[arg(long, env = "MENTORBOT_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// The team's own model for the opt-in coach: an OpenAI-compatible base URL including
    /// `/v1`, for example http://127.0.0.1:11434/v1 (Ollama). Unset: no coach.
    #[arg(long, env = "MENTORBOT_COACH_URL", value_name = "URL")]
    pub coach_url: Option<String>,

    /// The model the coach asks, as the server names it (for example llama3.1:8b).
    #[arg(long, env = "MENTORBOT_COACH_MODEL", value_name = "MODEL")]
    pub coach_model: Option<String>,

    /// Sent to the model server as a bearer token, if it needs one. Never logged or printed.
    #[arg(
        long,
        env = "MENTORBOT_COACH_API_KEY",
        hide_env_values = true,
        value_name = "KEY"
    )]
    pub coach_api_key: Option<Secret>,

    /// How long the coach waits for one answer before answering without it.
    #[arg(
        long,
        env = "MENTORBOT_COACH_TIMEOUT_SECS",
        default_value_t = 20,
        value_name = "SECONDS"
    )]
    pub coach_timeout_secs: u64,

    /// `1` to allow a model outside loopback and private networks: members' journals then
    /// leave your network.
    #[arg(long, env = "MENTORBOT_COACH_ALLOW_REMOTE", value_name = "1")]
    pub coach_allow_remote: Option<String>,

    /// Calls to the model each member may make a day.
    #[arg(
        long,
        env = "MENTORBOT_COACH_DAILY_CALLS",
        default_value_t = 30,
        value_name = "CALLS"
    )]
    pub coach_daily_calls: i64,

    /// Calls to the model in flight at once, across all members.
    #[arg(
        long,
        env = "MENTORBOT_COACH_MAX_IN_FLIGHT",
        default_value_t = 4,
        value_name = "CALLS"
    )]
    pub coach_max_in_flight: usize,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A secret such as a token: usable, but never printed by `Debug` or `Display`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Secret, Self::Err> {
        Ok(Secret(value.trim().to_string()))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the content and configuration, print what was found, and exit.
    Check,
    /// Copy every table of the SQLite database DATABASE_URL names into an empty PostgreSQL
    /// database, verify each table's rows and checksum, and exit. The SQLite file is only read.
    MigrateDb {
        /// The PostgreSQL database to fill, for example postgres://mentorbot@db/mentorbot.
        /// From the environment, it keeps a password out of the process list and shell history.
        #[arg(
            long,
            env = "MENTORBOT_MIGRATE_TO",
            hide_env_values = true,
            value_name = "URL"
        )]
        to: String,
    },
}

impl Config {
    /// The Discord token from DISCORD_TOKEN or the file DISCORD_TOKEN_FILE names; `None` when
    /// Discord is not configured.
    pub fn discord_token(&self) -> anyhow::Result<Option<Secret>> {
        if let Some(token) = self
            .discord_token
            .clone()
            .filter(|token| !token.expose().is_empty())
        {
            return Ok(Some(token));
        }
        let Some(path) = &self.discord_token_file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path).map_err(|error| {
            anyhow::anyhow!("reading DISCORD_TOKEN_FILE {}: {error}", path.display())
        })?;
        let token = text.trim();
        anyhow::ensure!(
            !token.is_empty(),
            "DISCORD_TOKEN_FILE {} is empty",
            path.display()
        );
        Ok(Some(Secret::new(token)))
    }

    /// Slack's settings, or `None` when Slack is not configured.
    pub fn slack(&self) -> anyhow::Result<Option<crate::frontends::slack::Settings>> {
        use crate::frontends::slack::{Settings, Transport};
        let given = |secret: &Option<Secret>| secret.clone().filter(|s| !s.expose().is_empty());
        let bot_token = given(&self.slack_bot_token);
        let app_token = given(&self.slack_app_token);
        let signing_secret = given(&self.slack_signing_secret);
        let Some(bot_token) = bot_token else {
            anyhow::ensure!(
                app_token.is_none() && signing_secret.is_none(),
                "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not"
            );
            return Ok(None);
        };
        let transport = match (app_token, signing_secret) {
            (Some(app_token), _) => Transport::SocketMode { app_token },
            (None, Some(signing_secret)) => {
                anyhow::ensure!(
                    self.http_addr.is_some(),
                    "Slack over HTTP needs MENTORBOT_HTTP_ADDR (for example 0.0.0.0:8080)"
                );
                Transport::Http { signing_secret }
            }
            (None, None) => anyhow::bail!(
                "SLACK_BOT_TOKEN needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)"
            ),
        };
        anyhow::ensure!(
            self.slack_api_base.starts_with("http://")
                || self.slack_api_base.starts_with("https://"),
            "SLACK_API_BASE must start with http:// or https://"
        );
        Ok(Some(Settings {
            bot_token,
            transport,
            api_base: self.slack_api_base.clone(),
        }))
    }

    /// The coach's settings, or `None` when no model is configured. A URL without a model is
    /// refused with the reason, and so is a nonsensical limit.
    pub fn coach(&self) -> anyhow::Result<Option<crate::coach::Settings>> {
        let Some(url) = self.coach_url.clone().filter(|url| !url.trim().is_empty()) else {
            return Ok(None);
        };
        let model = self.coach_model.clone().unwrap_or_default();
        anyhow::ensure!(
            !model.trim().is_empty(),
            "MENTORBOT_COACH_MODEL is required when MENTORBOT_COACH_URL is set (for example llama3.1:8b)"
        );
        anyhow::ensure!(
            (1..=10_000).contains(&self.coach_daily_calls),
            "MENTORBOT_COACH_DAILY_CALLS must be between 1 and 10000"
        );
        anyhow::ensure!(
            (1..=256).contains(&self.coach_max_in_flight),
            "MENTORBOT_COACH_MAX_IN_FLIGHT must be between 1 and 256"
        );
        let allow_remote = match self.coach_allow_remote.as_deref().map(str::trim) {
            None | Some("" | "0" | "false" | "no") => false,
            Some("1" | "true" | "yes") => true,
            Some(_) => anyhow::bail!("MENTORBOT_COACH_ALLOW_REMOTE must be 1 or 0"),
        };
        Ok(Some(crate::coach::Settings {
            url: url.trim().to_string(),
            model: model.trim().to_string(),
            api_key: self
                .coach_api_key
                .clone()
                .filter(|key| !key.expose().is_empty()),
            timeout: std::time::Duration::from_secs(self.coach_timeout_secs),
            allow_remote,
            max_in_flight: self.coach_max_in_flight,
        }))
    }

    /// The terminal member's name: `--as`, else the OS user, else "you"; without control
    /// characters and at most 100 characters, like every display name.
    /// The web view's public address, checked: http(s), a host, no credentials, query or
    /// fragment. `None` when unset.
    pub fn web_url(&self) -> anyhow::Result<Option<String>> {
        let Some(url) = self.public_url.as_deref().map(str::trim) else {
            return Ok(None);
        };
        if url.is_empty() {
            return Ok(None);
        }
        let parsed = reqwest::Url::parse(url)
            .map_err(|e| anyhow::anyhow!("MENTORBOT_PUBLIC_URL is not a URL: {e}"))?;
        anyhow::ensure!(
            matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some(),
            "MENTORBOT_PUBLIC_URL must start with http:// or https:// and name a host"
        );
        anyhow::ensure!(
            parsed.username().is_empty()
                && parsed.password().is_none()
                && parsed.query().is_none()
                && parsed.fragment().is_none(),
            "MENTORBOT_PUBLIC_URL must not carry credentials, a query or a fragment"
        );
        Ok(Some(url.trim_end_matches('/').to_string()))
    }

    pub fn terminal_name(&self) -> String {
        let usable = |name: String| {
            let name = shorten(&clean_typed_text(&name), 100);
            (!name.is_empty()).then_some(name)
        };
        self.as_name
            .clone()
            .and_then(usable)
            .or_else(|| std::env::var("USER").ok().and_then(usable))
            .or_else(|| std::env::var("USERNAME").ok().and_then(usable))
            .unwrap_or_else(|| "you".to_string())
    }
}
