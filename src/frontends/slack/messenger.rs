//! Sends the scheduler's nudges and team posts to Slack: the DM opened with
//! `conversations.open` (and remembered), the message posted with `chat.postMessage`, paced
//! within Slack's limits, waiting out a 429's `Retry-After`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::mentor::Reply;
use crate::outbound::{
    Destination, FindFuture, MessageId, Messenger, Pacer, SendError, SendFuture,
};

use super::blocks;
use super::handler::Handler;

/// Slack allows about one message per second in a channel.
const PER_CHANNEL: Duration = Duration::from_secs(1);
/// The longest wait on one 429 still worth making in place.
const LONGEST_WAIT: Duration = Duration::from_secs(60);
const TRIES: u32 = 3;

pub struct SlackMessenger {
    handler: Arc<Handler>,
    /// Every Web API call the scheduler makes waits its turn here (Slack's workspace limit).
    pacer: Pacer,
    /// When each channel may next be posted to.
    channels: tokio::sync::Mutex<HashMap<String, Instant>>,
}

impl SlackMessenger {
    /// A messenger making at most `requests_per_second` Web API calls.
    pub fn new(handler: Arc<Handler>, requests_per_second: f64) -> SlackMessenger {
        SlackMessenger {
            handler,
            pacer: Pacer::new(requests_per_second),
            channels: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// Runs one paced call, waiting out a rate limit in place (up to three tries) and holding
    /// every other call back meanwhile, since Slack's limit is shared by the workspace.
    async fn paced<T, F, Fut>(&self, call: F) -> Result<T, SendError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, SendError>>,
    {
        let mut tries = 0;
        loop {
            tries += 1;
            self.pacer.wait().await;
            match call().await {
                Err(SendError::RateLimited(wait)) if tries < TRIES && wait <= LONGEST_WAIT => {
                    tracing::debug!(?wait, "Slack asked mentorbot to slow down");
                    self.pacer.pause(wait).await;
                }
                Err(SendError::Transient(why)) if tries < TRIES => {
                    tracing::debug!("retrying a Slack call: {why}");
                    tokio::time::sleep(Duration::from_millis(300 * u64::from(tries))).await;
                }
                other => return other,
            }
        }
    }

    /// Waits until `channel` may be posted to again, and books the next slot.
    async fn channel_turn(&self, channel: &str) {
        let wait_until = {
            let mut channels = self.channels.lock().await;
            let now = Instant::now();
            let next = channels.get(channel).copied().unwrap_or(now).max(now);
            channels.insert(channel.to_string(), next + PER_CHANNEL);
            if channels.len() > 10_000 {
                channels.retain(|_, at| *at > now);
            }
            next
        };
        tokio::time::sleep_until(wait_until).await;
    }

    /// Posts once, marked with the delivery's `key`. A post whose answer never came (a
    /// timeout, a dropped connection) may still have reached Slack: the channel's history is
    /// checked for the key before it is tried again, so a member never gets it twice.
    async fn send(
        &self,
        channel: &str,
        message: &Reply,
        owner: Option<&str>,
        key: &str,
    ) -> Result<MessageId, SendError> {
        self.channel_turn(channel).await;
        let api = &self.handler.api;
        let mut tries = 0;
        let ts = loop {
            tries += 1;
            self.pacer.wait().await;
            match api
                .post_marked(channel, blocks::message(message, owner), key)
                .await
            {
                Err(SendError::RateLimited(wait)) if tries < TRIES && wait <= LONGEST_WAIT => {
                    self.pacer.pause(wait).await;
                }
                Err(SendError::Transient(why)) => {
                    if let Ok(Some(ts)) = self.paced(|| api.find_marked(channel, key)).await {
                        break ts;
                    }
                    if tries >= TRIES {
                        return Err(SendError::Transient(why));
                    }
                    tokio::time::sleep(Duration::from_millis(300 * u64::from(tries))).await;
                }
                other => break other?,
            }
        };
        MessageId::new(ts)
            .ok_or_else(|| SendError::Transient("Slack answered without a message ts".into()))
    }

    async fn channel_of(&self, to: Destination<'_>) -> Result<String, SendError> {
        let api = &self.handler.api;
        match to {
            Destination::Channel(channel) => Ok(channel.to_string()),
            Destination::Member(user) => match api.cached_dm(user) {
                Some(channel) => Ok(channel),
                None => self.paced(|| api.dm_channel(user)).await,
            },
        }
    }
}

impl Messenger for SlackMessenger {
    fn send_direct<'a>(
        &'a self,
        user: &'a str,
        message: &'a Reply,
        key: &'a str,
    ) -> SendFuture<'a> {
        Box::pin(async move {
            let api = &self.handler.api;
            let sent = async {
                let channel = match api.cached_dm(user) {
                    Some(channel) => channel,
                    None => self.paced(|| api.dm_channel(user)).await?,
                };
                self.send(&channel, message, Some(user), key).await
            };
            match sent.await {
                // Slack also says `account_inactive` when mentorbot's own token was revoked:
                // then nobody is unreachable, the bot is, so the delivery waits.
                Err(SendError::Unreachable(why)) if why == "account_inactive" => {
                    match self.paced(|| api.who_am_i()).await {
                        Ok(_) => Err(SendError::Unreachable(why)),
                        Err(_) => Err(SendError::Transient(
                            "mentorbot's Slack token no longer works".into(),
                        )),
                    }
                }
                other => other,
            }
        })
    }

    fn post<'a>(&'a self, channel: &'a str, message: &'a Reply, key: &'a str) -> SendFuture<'a> {
        // A channel post belongs to nobody, so it carries no buttons.
        Box::pin(async move { self.send(channel, message, None, key).await })
    }

    fn find_sent<'a>(&'a self, to: Destination<'a>, key: &'a str) -> FindFuture<'a> {
        Box::pin(async move {
            let channel = self.channel_of(to).await?;
            let api = &self.handler.api;
            match self.paced(|| api.find_marked(&channel, key)).await {
                Ok(found) => Ok(found.and_then(MessageId::new)),
                // An install without the history scopes cannot look: send as before rather
                // than never.
                Err(SendError::Rejected(why)) => {
                    tracing::warn!(
                        "cannot look for an earlier attempt in Slack ({why}); sending again"
                    );
                    Ok(None)
                }
                Err(error) => Err(error),
            }
        })
    }
}
