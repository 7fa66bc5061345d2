//! Sends the scheduler's nudges and team posts to Discord. Requests are built by serenity (its
//! routes, headers and API base) but sent here, so the raw answer can be read: `retry_after` on
//! 429, and error 50007 when a member does not accept direct messages. Requests are paced, and
//! each message carries a nonce with `enforce_nonce`, so a resend after a crash is recognised
//! by Discord instead of posted twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serde_json::Value;
use serenity::http::{Http, LightMethod, Request, Route};
use serenity::{ChannelId, CreateAllowedMentions, CreateMessage, Nonce, UserId};
use tokio::time::Instant;

use crate::frontends::{Messenger, SendError, SendFuture};
use crate::mentor::Reply;

use super::render;

/// Discord's error code for "Cannot send messages to this user".
const CANNOT_MESSAGE_USER: i64 = 50007;
/// 429s in a row before a request is handed back to the scheduler to retry later.
const RATE_LIMIT_TRIES: u32 = 5;

pub struct DiscordMessenger {
    http: Arc<Http>,
    client: reqwest::Client,
    pacer: Pacer,
    dm_channels: Mutex<HashMap<String, String>>,
}

impl DiscordMessenger {
    /// A messenger making at most `requests_per_second` requests.
    pub fn new(http: Arc<Http>, requests_per_second: f64) -> DiscordMessenger {
        DiscordMessenger {
            http,
            client: reqwest::Client::new(),
            pacer: Pacer::new(requests_per_second),
            dm_channels: Mutex::new(HashMap::new()),
        }
    }

    async fn request(&self, route: Route<'_>, body: &Value) -> Result<Value, SendError> {
        let payload = serde_json::to_vec(body)
            .map_err(|e| SendError::Rejected(format!("encoding the message: {e}")))?;
        for _ in 0..RATE_LIMIT_TRIES {
            self.pacer.wait().await;
            let request = Request::new(route, LightMethod::Post)
                .body(Some(payload.clone()))
                .build(&self.client, self.http.token(), self.http.proxy.as_deref())
                .map_err(|e| SendError::Rejected(format!("building the request: {e}")))?
                .build()
                .map_err(|e| SendError::Rejected(format!("building the request: {e}")))?;
            let response = self
                .client
                .execute(request)
                .await
                .map_err(|e| SendError::Transient(format!("network: {e}")))?;
            let status = response.status();
            let retry_header = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<f64>().ok());
            let bytes = response.bytes().await.unwrap_or_default();
            let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            if status.is_success() {
                return Ok(answer);
            }
            if status.as_u16() == 429 {
                let seconds = answer["retry_after"]
                    .as_f64()
                    .or(retry_header)
                    .unwrap_or(1.0);
                tracing::warn!(seconds, "Discord rate limit; waiting");
                self.pacer
                    .pause(Duration::from_secs_f64(seconds.clamp(0.0, 600.0)))
                    .await;
                continue;
            }
            let message = format!(
                "HTTP {}: {}",
                status.as_u16(),
                answer["message"].as_str().unwrap_or("no message")
            );
            return Err(if answer["code"].as_i64() == Some(CANNOT_MESSAGE_USER) {
                SendError::Unreachable(message)
            } else if status.is_server_error() {
                SendError::Transient(message)
            } else {
                SendError::Rejected(message)
            });
        }
        Err(SendError::Transient(
            "still rate limited after several waits".to_string(),
        ))
    }

    async fn dm_channel(&self, user: &str) -> Result<String, SendError> {
        if let Some(channel) = self
            .dm_channels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(user)
        {
            return Ok(channel.clone());
        }
        let answer = self
            .request(
                Route::UserMeDmChannels,
                &serde_json::json!({ "recipient_id": user }),
            )
            .await?;
        let channel = answer["id"]
            .as_str()
            .ok_or_else(|| SendError::Transient("no DM channel id in the answer".into()))?;
        self.dm_channels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(user.to_string(), channel.to_string());
        Ok(channel.to_string())
    }

    async fn send_to_channel(
        &self,
        channel: &str,
        message: &Reply,
        owner: UserId,
        key: &str,
    ) -> Result<String, SendError> {
        let channel_id = channel
            .parse::<u64>()
            .ok()
            .filter(|id| *id != 0)
            .map(ChannelId::new)
            .ok_or_else(|| {
                SendError::Rejected(format!("'{channel}' is not a Discord channel id"))
            })?;
        let parts = render::message(message, owner);
        let create = CreateMessage::new()
            .embed(parts.embed)
            .components(parts.components)
            .allowed_mentions(CreateAllowedMentions::new())
            .nonce(Nonce::String(key.to_string()))
            .enforce_nonce(true);
        let body = serde_json::to_value(&create)
            .map_err(|e| SendError::Rejected(format!("encoding the message: {e}")))?;
        let answer = self
            .request(Route::ChannelMessages { channel_id }, &body)
            .await?;
        Ok(answer["id"].as_str().unwrap_or_default().to_string())
    }
}

impl Messenger for DiscordMessenger {
    fn send_direct<'a>(
        &'a self,
        user: &'a str,
        message: &'a Reply,
        key: &'a str,
    ) -> SendFuture<'a> {
        Box::pin(async move {
            let owner = user
                .parse::<u64>()
                .ok()
                .filter(|id| *id != 0)
                .map(UserId::new)
                .ok_or_else(|| SendError::Rejected(format!("'{user}' is not a Discord user id")))?;
            let channel = self.dm_channel(user).await?;
            self.send_to_channel(&channel, message, owner, key).await
        })
    }

    fn post<'a>(&'a self, channel: &'a str, message: &'a Reply, key: &'a str) -> SendFuture<'a> {
        // Buttons in a channel post would belong to nobody; team posts have none.
        Box::pin(async move {
            self.send_to_channel(channel, message, UserId::new(1), key)
                .await
        })
    }
}

/// Spaces requests evenly at a fixed rate, and holds everyone back after a 429.
struct Pacer {
    interval: Duration,
    next: tokio::sync::Mutex<Instant>,
}

impl Pacer {
    fn new(requests_per_second: f64) -> Pacer {
        let interval = Duration::from_secs_f64(1.0 / requests_per_second.clamp(0.1, 1_000.0));
        Pacer {
            interval,
            next: tokio::sync::Mutex::new(Instant::now()),
        }
    }

    async fn wait(&self) {
        let mut next = self.next.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep_until(*next).await;
        }
        // Slots follow an ideal timetable, so a timer waking a little late costs nothing over
        // time (it would otherwise add up on every request); after an idle spell, start afresh.
        *next = if now.saturating_duration_since(*next) > self.interval * 10 {
            now + self.interval
        } else {
            *next + self.interval
        };
    }

    /// Holds every request back until `wait` has passed.
    async fn pause(&self, wait: Duration) {
        let mut next = self.next.lock().await;
        *next = (*next).max(Instant::now() + wait);
    }
}
