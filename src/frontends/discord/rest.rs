//! Discord REST calls built by serenity (its routes, headers and API base) but sent here, so the
//! answer's body can be read: `retry_after` on a 429 (serenity's error type drops it) and error
//! codes such as 50007. Used for scheduled messages and for every reply to an interaction.

use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serde_json::Value;
use serenity::CreateAttachment;
use serenity::http::{Http, LightMethod, Multipart, MultipartUpload, Request, Route};

use crate::outbound::{Pacer, SendError};

/// Discord's error code for "Cannot send messages to this user".
const CANNOT_MESSAGE_USER: i64 = 50007;
/// The longest wait on one 429 that is still worth making in place.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

/// A JSON body, with files when the message carries attachments (sent as multipart, the JSON
/// as `payload_json` and each file as `files[n]`, matching the ids in its `attachments`).
pub struct Payload {
    pub json: Vec<u8>,
    pub files: Vec<CreateAttachment>,
}

impl Payload {
    pub fn new(
        body: &impl serde::Serialize,
        files: Vec<CreateAttachment>,
    ) -> Result<Payload, SendError> {
        let json = serde_json::to_vec(body)
            .map_err(|e| SendError::Rejected(format!("encoding the message: {e}")))?;
        Ok(Payload { json, files })
    }
}

/// A client that gives up on a silent connection instead of waiting forever, so one stuck
/// request never holds the scheduler or a reply. One is shared by serenity and every `Rest`,
/// so a reply reuses the connection (and TLS session) that start-up's requests opened.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap_or_else(|error| {
            tracing::warn!("building the HTTP client with timeouts: {error}");
            reqwest::Client::new()
        })
}

fn short_backoff(attempt: u32) -> Duration {
    Duration::from_millis(300 * u64::from(attempt))
}

/// Sends requests and reads Discord's answers, waiting out rate limits.
pub struct Rest {
    http: Arc<Http>,
    client: reqwest::Client,
    /// Paces every request when set (scheduled sends); replies to interactions are not paced.
    pacer: Option<Pacer>,
    /// 429s waited out in place before the request is handed back as a temporary failure.
    tries: u32,
}

impl Rest {
    /// For replies to interactions: unpaced, up to three tries.
    pub fn replies(http: Arc<Http>, client: reqwest::Client) -> Rest {
        Rest {
            http,
            client,
            pacer: None,
            tries: 3,
        }
    }

    /// For scheduled sends: at most `requests_per_second`, up to five tries.
    pub fn paced(http: Arc<Http>, client: reqwest::Client, requests_per_second: f64) -> Rest {
        Rest {
            http,
            client,
            pacer: Some(Pacer::new(requests_per_second)),
            tries: 5,
        }
    }

    /// POSTs `payload` to `route`; returns the answer's JSON (`null` for 204).
    pub async fn post(&self, route: Route<'_>, payload: &Payload) -> Result<Value, SendError> {
        let mut last = String::new();
        for attempt in 1..=self.tries {
            if let Some(pacer) = &self.pacer {
                pacer.wait().await;
            }
            let response = match self.client.execute(self.build(route, payload)?).await {
                Ok(response) => response,
                // Never the URL in an error: for a reply it holds the interaction's token.
                Err(error) if self.retries_in_place(attempt) => {
                    last = format!("network: {}", error.without_url());
                    tokio::time::sleep(short_backoff(attempt)).await;
                    continue;
                }
                Err(error) => {
                    let error = error.without_url();
                    return Err(SendError::Transient(format!("network: {error}")));
                }
            };
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
            let message = format!(
                "HTTP {}: {}",
                status.as_u16(),
                answer["message"].as_str().unwrap_or("no message")
            );
            if status.as_u16() == 429 {
                let seconds = answer["retry_after"]
                    .as_f64()
                    .or(retry_header)
                    .unwrap_or(1.0);
                let wait = Duration::from_secs_f64(seconds.clamp(0.0, LONGEST_WAIT.as_secs_f64()));
                let global = answer["global"].as_bool() == Some(true);
                tracing::warn!(seconds, global, "Discord rate limit");
                match &self.pacer {
                    // The bot's global limit: every request waits, here.
                    Some(pacer) if global => pacer.pause(wait).await,
                    // One route's limit: only this message waits, in the scheduler's outbox.
                    Some(_) => return Err(SendError::RateLimited(wait)),
                    // A member is waiting for this reply: wait here.
                    None => tokio::time::sleep(wait).await,
                }
                last = message;
                continue;
            }
            if status.is_server_error() && self.retries_in_place(attempt) {
                tracing::warn!(attempt, "Discord answered {message}; trying again");
                tokio::time::sleep(short_backoff(attempt)).await;
                last = message;
                continue;
            }
            if status.is_server_error() {
                return Err(SendError::Transient(message));
            }
            return Err(if answer["code"].as_i64() == Some(CANNOT_MESSAGE_USER) {
                SendError::Unreachable(message)
            } else {
                SendError::Rejected(message)
            });
        }
        Err(SendError::Transient(format!(
            "still failing after {} tries ({last})",
            self.tries
        )))
    }

    /// Replies retry a server error or a dropped connection at once (the member is waiting);
    /// scheduled sends hand it back to the scheduler, which backs off.
    fn retries_in_place(&self, attempt: u32) -> bool {
        self.pacer.is_none() && attempt < self.tries
    }

    fn build(&self, route: Route<'_>, payload: &Payload) -> Result<reqwest::Request, SendError> {
        let request = Request::new(route, LightMethod::Post);
        let request = if payload.files.is_empty() {
            request.body(Some(payload.json.clone()))
        } else {
            request.multipart(Some(Multipart {
                upload: MultipartUpload::Attachments(payload.files.clone()),
                fields: Vec::new(),
                payload_json: Some(String::from_utf8_lossy(&payload.json).into_owned()),
            }))
        };
        let rejected =
            |e: &dyn std::fmt::Display| SendError::Rejected(format!("building the request: {e}"));
        request
            .build(&self.client, self.http.token(), self.http.proxy.as_deref())
            .map_err(|e| rejected(&e))?
            .build()
            .map_err(|e| rejected(&e))
    }
}
