//! The Slack Web API calls mentorbot makes, through slack-morphism's client: each with a
//! timeout, and each error sorted into what the scheduler and the member should hear.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use slack_morphism::errors::SlackClientError;
use slack_morphism::prelude::*;

use crate::config::Secret;
use crate::outbound::SendError;

pub type Connector = SlackClientHyperConnector<HttpsConnector<HttpConnector>>;
pub type Client = SlackClient<Connector>;

/// Slack's errors for a member who cannot be written to: like Discord's 50007.
const UNREACHABLE_ERRORS: [&str; 5] = [
    "channel_not_found",
    "user_not_found",
    "account_inactive",
    "user_disabled",
    "cannot_dm_bot",
];
/// The metadata event type and payload key that mark a scheduled message with its delivery.
const DELIVERY_EVENT: &str = "mentorbot_delivery";
const NONCE_KEY: &str = "nonce";
/// The longest rate-limit wait worth making before answering a command.
const RESPOND_PATIENCE: Duration = Duration::from_secs(10);
/// How long one call may take before it counts as a network failure.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A client for the Web API at `api_base` (`https://slack.com/api`, or a test fake over
/// plain `http://`; slack-morphism's default connector is https-only).
pub fn client(api_base: &str) -> Arc<Client> {
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_webpki_roots()
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .build();
    let connector = SlackClientHyperConnector::with_connector(connector)
        .with_slack_api_url(api_base.trim_end_matches('/'));
    Arc::new(SlackClient::new(connector))
}

pub fn token(secret: &Secret) -> SlackApiToken {
    SlackApiToken::new(secret.expose().to_string().into())
}

/// What mentorbot needs to know about a person: their name, time zone and whether they may
/// set up the team question.
#[derive(Clone, Debug, Default)]
pub struct Person {
    pub name: Option<String>,
    pub zone: Option<String>,
    pub admin: bool,
}

/// The Web API with mentorbot's bot token, and the DM channels opened so far.
pub struct Api {
    pub client: Arc<Client>,
    token: SlackApiToken,
    dm_channels: Mutex<HashMap<String, String>>,
}

impl Api {
    pub fn new(client: Arc<Client>, bot_token: &Secret) -> Api {
        Api {
            client,
            token: token(bot_token),
            dm_channels: Mutex::new(HashMap::new()),
        }
    }

    fn session(&self) -> SlackClientSession<'_, Connector> {
        self.client.open_session(&self.token)
    }

    /// Checks the token; returns the workspace (team) id and the bot's own user id.
    pub async fn who_am_i(&self) -> Result<(String, String), SendError> {
        let answer = timed(self.session().auth_test()).await?;
        Ok((answer.team_id.to_string(), answer.user_id.to_string()))
    }

    /// The DM channel with `user`, opened once and then remembered.
    pub async fn dm_channel(&self, user: &str) -> Result<String, SendError> {
        if let Some(channel) = self.cached_dm(user) {
            return Ok(channel);
        }
        let request = SlackApiConversationsOpenRequest::new().with_users(vec![user.into()]);
        let answer = timed(self.session().conversations_open(&request)).await?;
        let channel = answer.channel.id.to_string();
        self.dm_channels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(user.to_string(), channel.clone());
        Ok(channel)
    }

    pub fn cached_dm(&self, user: &str) -> Option<String> {
        self.dm_channels
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(user)
            .cloned()
    }

    /// Posts a message; returns its timestamp, Slack's id for it.
    pub async fn post(
        &self,
        channel: &str,
        content: SlackMessageContent,
    ) -> Result<String, SendError> {
        let request = SlackApiChatPostMessageRequest::new(channel.into(), content);
        let answer = timed(self.session().chat_post_message(&request)).await?;
        Ok(answer.ts.to_string())
    }

    /// Posts a message carrying `nonce` in its metadata, so a later look through the channel's
    /// history can tell whether Slack already has it; returns its timestamp.
    pub async fn post_marked(
        &self,
        channel: &str,
        mut content: SlackMessageContent,
        nonce: &str,
    ) -> Result<String, SendError> {
        let payload = HashMap::from([(NONCE_KEY.to_string(), nonce.to_string())]);
        content.metadata =
            Some(SlackMessageMetadata::new(DELIVERY_EVENT.to_string()).with_event_payload(payload));
        self.post(channel, content).await
    }

    /// The timestamp of a recent message in `channel` marked with `nonce`, if there is one
    /// (`conversations.history` with metadata; the newest 100 messages are enough, since a
    /// delivery is looked for within minutes of its first attempt).
    pub async fn find_marked(
        &self,
        channel: &str,
        nonce: &str,
    ) -> Result<Option<String>, SendError> {
        let request = SlackApiConversationsHistoryRequest::new()
            .with_channel(channel.into())
            .with_limit(100)
            .with_include_all_metadata(true);
        let answer = timed(self.session().conversations_history(&request)).await?;
        Ok(answer
            .messages
            .iter()
            .find(|message| {
                message.content.metadata.as_ref().is_some_and(|metadata| {
                    metadata.event_type == DELIVERY_EVENT
                        && metadata
                            .event_payload
                            .as_ref()
                            .and_then(|payload| payload.get(NONCE_KEY))
                            .is_some_and(|found| found == nonce)
                })
            })
            .map(|message| message.origin.ts.to_string()))
    }

    /// A person's name, time zone and admin flag (`users.info`).
    pub async fn person(&self, user: &str) -> Result<Person, SendError> {
        let request = SlackApiUsersInfoRequest::new(user.into());
        let answer = timed(self.session().users_info(&request)).await?;
        let user = answer.user;
        let flags = &user.flags;
        let name = user
            .profile
            .as_ref()
            .and_then(|p| p.display_name.clone().filter(|n| !n.is_empty()))
            .or(user.real_name.clone())
            .or(user.name.clone());
        Ok(Person {
            name,
            zone: user.tz.clone(),
            admin: flags.is_admin == Some(true) || flags.is_owner == Some(true),
        })
    }

    /// The members of a user group (`usergroups.users.list`).
    pub async fn group_members(&self, group: &str) -> Result<Vec<String>, SendError> {
        let request = SlackApiUserGroupsUsersListRequest::new(group.into());
        let answer = timed(self.session().usergroups_users_list(&request)).await?;
        Ok(answer.users.iter().map(|u| u.to_string()).collect())
    }

    /// Opens a modal for the person who just pressed or typed something (`trigger_id`).
    pub async fn open_view(&self, trigger_id: &str, view: SlackView) -> Result<(), SendError> {
        let request = SlackApiViewsOpenRequest::new(trigger_id.into(), view);
        timed(self.session().views_open(&request)).await?;
        Ok(())
    }

    /// Shows `view` as the member's App Home tab.
    pub async fn publish_home(&self, user: &str, view: SlackView) -> Result<(), SendError> {
        let request = SlackApiViewsPublishRequest::new(user.into(), view);
        timed(self.session().views_publish(&request)).await?;
        Ok(())
    }

    /// Uploads a file into the member's DM with Slack's current flow: ask for an upload URL,
    /// send the bytes there, then complete the upload into the channel.
    pub async fn upload_to_dm(
        &self,
        user: &str,
        filename: &str,
        content_type: &str,
        data: Vec<u8>,
        title: &str,
    ) -> Result<(), SendError> {
        let channel = self.dm_channel(user).await?;
        let session = self.session();
        let request = SlackApiFilesGetUploadUrlExternalRequest::new(filename.into(), data.len());
        let upload = timed(session.get_upload_url_external(&request)).await?;
        let request = SlackApiFilesUploadViaUrlRequest::new(
            upload.upload_url,
            data,
            content_type.to_string(),
        );
        timed(session.files_upload_via_url(&request)).await?;
        let file = SlackApiFilesComplete::new(upload.file_id).with_title(title.to_string());
        let request = SlackApiFilesCompleteUploadExternalRequest::new(vec![file])
            .with_channel_id(channel.into());
        timed(session.files_complete_upload_external(&request)).await?;
        Ok(())
    }

    /// Answers a command or a button through its `response_url`: ephemeral, only for the
    /// member, replacing the message the button was on when `replace` is set.
    pub async fn respond(
        &self,
        response_url: &SlackResponseUrl,
        content: SlackMessageContent,
        replace: bool,
    ) -> Result<(), SendError> {
        let mut request = SlackApiPostWebhookMessageRequest::new(content);
        if replace {
            request = request.with_replace_original(true);
        }
        // A response_url takes five answers in thirty minutes: a hiccup is worth two more tries.
        let mut tries = 0;
        loop {
            tries += 1;
            match timed(self.client.respond_to_event(response_url, &request)).await {
                Ok(_) => return Ok(()),
                Err(SendError::RateLimited(wait)) if tries < 3 && wait <= RESPOND_PATIENCE => {
                    tokio::time::sleep(wait).await;
                }
                Err(SendError::Transient(_)) if tries < 3 => {
                    tokio::time::sleep(Duration::from_millis(500 * tries)).await;
                }
                Err(error) => return Err(error),
            }
        }
    }
}

/// Runs one call with a timeout and sorts its error.
async fn timed<T>(
    call: impl std::future::Future<Output = ClientResult<T>>,
) -> Result<T, SendError> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(Ok(answer)) => Ok(answer),
        Ok(Err(error)) => Err(sort(error)),
        Err(_) => Err(SendError::Transient("Slack did not answer in time".into())),
    }
}

/// Sorts a slack-morphism error: a member who cannot be written to, a rate limit with its
/// wait, something worth trying again, or a refusal that will not change.
pub fn sort(error: SlackClientError) -> SendError {
    match error {
        SlackClientError::ApiError(api) if UNREACHABLE_ERRORS.contains(&api.code.as_str()) => {
            SendError::Unreachable(api.code)
        }
        SlackClientError::ApiError(api) if api.code == "ratelimited" => {
            SendError::RateLimited(Duration::from_secs(1))
        }
        SlackClientError::ApiError(api) => match api.code.as_str() {
            "internal_error" | "fatal_error" | "service_unavailable" | "request_timeout" => {
                SendError::Transient(api.code)
            }
            _ => SendError::Rejected(api.code),
        },
        SlackClientError::RateLimitError(limit) => {
            SendError::RateLimited(limit.retry_after.unwrap_or(Duration::from_secs(1)))
        }
        SlackClientError::HttpError(http) if http.status_code.is_server_error() => {
            SendError::Transient(format!("Slack answered {}", http.status_code))
        }
        SlackClientError::HttpError(http) => {
            SendError::Rejected(format!("Slack answered {}", http.status_code))
        }
        other => SendError::Transient(other.to_string()),
    }
}
