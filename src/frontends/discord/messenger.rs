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

use crate::mentor::Reply;
use crate::outbound::{MessageId, Messenger, Pacer, SendError, SendFuture};

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
        owner: Option<UserId>,
        key: &str,
    ) -> Result<MessageId, SendError> {
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
        // With the nonce enforced, sending again returns the same message, now with its id.
        answer["id"]
            .as_str()
            .and_then(MessageId::new)
            .ok_or_else(|| SendError::Transient("Discord answered without a message id".into()))
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
            self.send_to_channel(&channel, message, Some(owner), key)
                .await
        })
    }

    fn post<'a>(&'a self, channel: &'a str, message: &'a Reply, key: &'a str) -> SendFuture<'a> {
        // A channel post belongs to nobody, so it carries no buttons.
        Box::pin(async move { self.send_to_channel(channel, message, None, key).await })
    }
}
