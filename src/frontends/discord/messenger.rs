//! Sends the scheduler's nudges and team posts to Discord through [`Rest`], paced, reading
//! `retry_after` on 429 and error 50007 when a member does not accept direct messages. Each
//! message carries a nonce with `enforce_nonce`, so a resend after a crash is recognised by
//! Discord instead of posted twice.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use poise::serenity_prelude as serenity;
use serenity::http::{Http, Route};
use serenity::{ChannelId, CreateAllowedMentions, CreateMessage, Nonce, UserId};

use crate::mentor::Reply;
use crate::outbound::{MessageId, Messenger, SendError, SendFuture};

use super::render;
use super::rest::{Payload, Rest};

pub struct DiscordMessenger {
    rest: Rest,
    dm_channels: Mutex<HashMap<String, String>>,
}

impl DiscordMessenger {
    /// A messenger making at most `requests_per_second` requests with its own HTTP client.
    pub fn new(http: Arc<Http>, requests_per_second: f64) -> DiscordMessenger {
        DiscordMessenger::sharing(http, super::rest::client(), requests_per_second)
    }

    /// A messenger sending through `client`, shared with serenity's `http`.
    pub fn sharing(
        http: Arc<Http>,
        client: reqwest::Client,
        requests_per_second: f64,
    ) -> DiscordMessenger {
        DiscordMessenger {
            rest: Rest::paced(http, client, requests_per_second),
            dm_channels: Mutex::new(HashMap::new()),
        }
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
        let body = Payload::new(&serde_json::json!({ "recipient_id": user }), Vec::new())?;
        let answer = self.rest.post(Route::UserMeDmChannels, &body).await?;
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
        let mut create = CreateMessage::new()
            .components(parts.components)
            .allowed_mentions(CreateAllowedMentions::new())
            .nonce(Nonce::String(key.to_string()))
            .enforce_nonce(true);
        if let Some(embed) = parts.embed {
            create = create.embed(embed);
        }
        let body = Payload::new(&create, Vec::new())?;
        let answer = self
            .rest
            .post(Route::ChannelMessages { channel_id }, &body)
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
