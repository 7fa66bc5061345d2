//! The coach port: chat completions from the team's own OpenAI-compatible model over reqwest,
//! with the bounds that keep it private and cheap (no redirects, bounded tokens, a deadline,
//! one call per member, a cap on calls in flight). The mentor asks it; front ends never do.

mod address;
pub mod clean;
mod limits;
mod reading;
mod wire;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Url;
use tokio::sync::Semaphore;

use crate::config::Secret;
use address::ensure_private;
pub use address::is_private;
use limits::{MemberSlot, user_message};
use reading::{read_body, read_completion};

/// How to reach the model, from `MENTORBOT_COACH_*`.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The base URL including `/v1`; chat goes to `{base}/chat/completions`.
    pub url: String,
    pub model: String,
    pub api_key: Option<Secret>,
    pub timeout: Duration,
    /// Whether a host outside loopback and private networks is allowed.
    pub allow_remote: bool,
    /// Calls in flight at once across all members.
    pub max_in_flight: usize,
}

/// One question to the model: fixed instructions, then the member's data, of which the
/// oldest entries are dropped first when the whole is over the input budget.
#[derive(Clone, Debug)]
pub struct Ask {
    /// Which member asks: they get one call at a time.
    pub member: i64,
    pub system: String,
    pub instruction: String,
    pub context: String,
    /// The member's entries, oldest first.
    pub entries: Vec<String>,
    pub max_tokens: u32,
    pub temperature: f32,
}

/// A cleaned answer with what it cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub text: String,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub latency: Duration,
}

/// Why the coach gave no answer. The mentor then answers without it; none of these texts
/// carries what was sent or a secret, so they may be logged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("this member already has a call in flight")]
    MemberBusy,
    #[error("too many calls in flight")]
    Full,
    #[error("no answer within the deadline")]
    Timeout,
    #[error("the server could not be reached")]
    Unreachable,
    #[error("the model is still loading (503)")]
    Loading,
    #[error("the prompt is longer than the model's context")]
    ContextTooLong,
    #[error("HTTP {0}")]
    Status(u16),
    #[error("a redirect, which the coach never follows")]
    Redirect,
    #[error("an answer it could not read: {0}")]
    Garbage(String),
}

impl Failure {
    /// A short name for logs and the accounting table.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::MemberBusy => "member_busy",
            Failure::Full => "full",
            Failure::Timeout => "timeout",
            Failure::Unreachable => "unreachable",
            Failure::Loading => "loading",
            Failure::ContextTooLong => "context_length",
            Failure::Status(_) => "status",
            Failure::Redirect => "redirect",
            Failure::Garbage(_) => "garbage",
        }
    }
}

/// The most input characters sent, about 3,000 tokens: enough for a quarter's log on any
/// model a team runs, and a bounded cost per call.
pub const INPUT_BUDGET_CHARS: usize = 12_000;
/// The most tokens ever asked for.
pub const MAX_TOKENS: u32 = 1000;

/// A configured model.
#[derive(Clone, Debug)]
pub struct Coach {
    settings: Settings,
    chat_url: Url,
    models_url: Url,
    http: reqwest::Client,
    in_flight: Arc<Semaphore>,
    busy: Arc<Mutex<HashSet<i64>>>,
}

impl Coach {
    /// Checks the settings (a URL whose host is loopback or private unless remote hosts are
    /// allowed) and builds the client; every refusal says why.
    pub async fn new(settings: Settings) -> anyhow::Result<Coach> {
        let base = Url::parse(settings.url.trim_end_matches('/')).map_err(|error| {
            anyhow::anyhow!("MENTORBOT_COACH_URL is not a URL ({error}); it looks like http://127.0.0.1:11434/v1")
        })?;
        anyhow::ensure!(
            matches!(base.scheme(), "http" | "https"),
            "MENTORBOT_COACH_URL must start with http:// or https://"
        );
        anyhow::ensure!(
            base.username().is_empty() && base.password().is_none(),
            "MENTORBOT_COACH_URL must not carry a user or password; put a key in MENTORBOT_COACH_API_KEY"
        );
        anyhow::ensure!(
            !settings.model.trim().is_empty(),
            "MENTORBOT_COACH_MODEL is required when MENTORBOT_COACH_URL is set (for example llama3.1:8b)"
        );
        anyhow::ensure!(
            (1..=600).contains(&settings.timeout.as_secs()),
            "MENTORBOT_COACH_TIMEOUT_SECS must be between 1 and 600"
        );
        // The addresses checked now are the ones used later: a name cannot be pointed
        // elsewhere after start-up.
        let pinned = match settings.allow_remote {
            true => Vec::new(),
            false => ensure_private(&base).await?,
        };
        let joined = |path: &str| {
            Url::parse(&format!("{}/{path}", base.as_str().trim_end_matches('/')))
                .map_err(|error| anyhow::anyhow!("MENTORBOT_COACH_URL: {error}"))
        };
        let chat_url = joined("chat/completions")?;
        let models_url = joined("models")?;
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from the environment would carry journals past the address check.
            .no_proxy()
            .connect_timeout(settings.timeout.min(Duration::from_secs(5)));
        if let (Some(host), false) = (base.host_str(), pinned.is_empty()) {
            builder = builder.resolve_to_addrs(host, &pinned);
        }
        let http = builder
            .build()
            .map_err(|error| anyhow::anyhow!("setting up the coach's HTTP client: {error}"))?;
        let in_flight = Arc::new(Semaphore::new(settings.max_in_flight.max(1)));
        Ok(Coach {
            settings,
            chat_url,
            models_url,
            http,
            in_flight,
            busy: Arc::default(),
        })
    }

    /// Where the coach sends, without any credentials, for status messages.
    pub fn place(&self) -> String {
        let url = &self.chat_url;
        let port = url
            .port()
            .map(|port| format!(":{port}"))
            .unwrap_or_default();
        format!("{}://{}{port}", url.scheme(), url.host_str().unwrap_or(""))
    }

    pub fn model(&self) -> &str {
        &self.settings.model
    }

    pub fn has_api_key(&self) -> bool {
        self.settings.api_key.is_some()
    }

    /// Whether the operator allowed a model outside loopback and private networks.
    pub fn remote_allowed(&self) -> bool {
        self.settings.allow_remote
    }

    /// Whether the server answers `GET {base}/models`, and whether it lists the model.
    pub async fn ready(&self) -> Result<bool, Failure> {
        let mut request = self.http.get(self.models_url.clone());
        if let Some(key) = &self.settings.api_key {
            request = request.bearer_auth(key.expose());
        }
        let response = tokio::time::timeout(self.settings.timeout, request.send())
            .await
            .map_err(|_| Failure::Timeout)?
            .map_err(|_| Failure::Unreachable)?;
        let status = response.status();
        if status.is_redirection() {
            return Err(Failure::Redirect);
        }
        if status.as_u16() == 503 {
            return Err(Failure::Loading);
        }
        if !status.is_success() {
            return Err(Failure::Status(status.as_u16()));
        }
        let body = read_body(response).await?;
        let listed: serde_json::Value =
            serde_json::from_slice(&body).map_err(|_| Failure::Garbage("not JSON".into()))?;
        let model = self.settings.model.as_str();
        Ok(listed
            .get("data")
            .or_else(|| listed.get("models"))
            .and_then(|models| models.as_array())
            .is_some_and(|models| {
                models.iter().any(|entry| {
                    ["id", "name", "model"]
                        .iter()
                        .any(|key| entry.get(*key).and_then(|v| v.as_str()) == Some(model))
                })
            }))
    }

    /// Asks once; on a context-length refusal, asks again once with half the input.
    pub async fn ask(&self, ask: &Ask) -> Result<Answer, Failure> {
        let _member = MemberSlot::take(&self.busy, ask.member)?;
        let started = Instant::now();
        let deadline = started + self.settings.timeout;
        let permit = tokio::time::timeout_at(deadline.into(), self.in_flight.acquire())
            .await
            .map_err(|_| Failure::Full)?
            .map_err(|_| Failure::Full)?;
        let mut budget = INPUT_BUDGET_CHARS;
        let mut result = self.ask_within(ask, budget, deadline).await;
        if result == Err(Failure::ContextTooLong) {
            budget /= 2;
            result = self.ask_within(ask, budget, deadline).await;
        }
        drop(permit);
        let completion = result?;
        let text = clean::clean(&completion.text);
        if text.is_empty() {
            return Err(Failure::Garbage("an empty answer".into()));
        }
        let user_chars = user_message(ask, budget).chars().count() + ask.system.chars().count();
        Ok(Answer {
            prompt_tokens: completion.prompt_tokens.unwrap_or((user_chars / 4) as i64),
            completion_tokens: completion
                .completion_tokens
                .unwrap_or((completion.text.chars().count() / 4) as i64),
            text,
            latency: started.elapsed(),
        })
    }

    async fn ask_within(
        &self,
        ask: &Ask,
        budget: usize,
        deadline: Instant,
    ) -> Result<wire::Completion, Failure> {
        let body = wire::request_body(
            &self.settings.model,
            &ask.system,
            &user_message(ask, budget),
            ask.max_tokens.clamp(1, MAX_TOKENS),
            ask.temperature,
        );
        let mut request = self
            .http
            .post(self.chat_url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(key) = &self.settings.api_key {
            request = request.bearer_auth(key.expose());
        }
        tokio::time::timeout_at(deadline.into(), async {
            let response = request.send().await.map_err(|_| Failure::Unreachable)?;
            read_completion(response).await
        })
        .await
        .map_err(|_| Failure::Timeout)?
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(super) fn settings(url: &str) -> Settings {
        Settings {
            url: url.into(),
            model: "llama3.1:8b".into(),
            api_key: None,
            timeout: Duration::from_secs(5),
            allow_remote: false,
            max_in_flight: 2,
        }
    }

    #[tokio::test]
    async fn bad_settings_are_refused_with_the_reason() {
        let mut no_model = settings("http://127.0.0.1/v1");
        no_model.model = " ".into();
        let refused = Coach::new(no_model)
            .await
            .expect_err("no model")
            .to_string();
        assert!(refused.contains("MENTORBOT_COACH_MODEL"));
        for (url, why) in [
            ("ftp://127.0.0.1/v1", "http"),
            ("not a url", "not a URL"),
            ("http://user:pw@127.0.0.1/v1", "user or password"),
        ] {
            let refused = Coach::new(settings(url)).await.expect_err(url).to_string();
            assert!(refused.contains(why), "{refused}");
        }
    }
}
