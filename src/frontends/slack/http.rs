//! Slack over signed HTTP: `POST /slack/commands`, `/slack/interactions` and `/slack/events`.
//! Every request's signature is checked (HMAC-SHA256 over `v0:timestamp:body`, compared in
//! constant time, timestamp within five minutes) before anything in it is read.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use slack_morphism::prelude::*;
use slack_morphism::signature_verifier::SlackEventSignatureVerifier;

use crate::config::Secret;

use super::handler::Handler;

#[derive(Clone)]
struct Signed {
    handler: Arc<Handler>,
    verifier: Arc<SlackEventSignatureVerifier>,
}

/// The three Slack routes, for the server on `MENTORBOT_HTTP_ADDR`.
pub fn routes(handler: Arc<Handler>, signing_secret: &Secret) -> Router {
    let secret = SlackSigningSecret::new(signing_secret.expose().to_string());
    let state = Signed {
        handler,
        verifier: Arc::new(SlackEventSignatureVerifier::new(&secret)),
    };
    Router::new()
        .route("/slack/commands", post(command))
        .route("/slack/interactions", post(interaction))
        .route("/slack/events", post(event))
        .with_state(state)
}

/// The body, if its signature and timestamp are right.
fn verified(signed: &Signed, headers: &HeaderMap, body: &Bytes) -> Result<String, StatusCode> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(signature), Some(timestamp)) = (
        header(SlackEventSignatureVerifier::SLACK_SIGNED_HASH_HEADER),
        header(SlackEventSignatureVerifier::SLACK_SIGNED_TIMESTAMP),
    ) else {
        tracing::warn!("refused a Slack request without a signature");
        return Err(StatusCode::UNAUTHORIZED);
    };
    let body = std::str::from_utf8(body).map_err(|_| StatusCode::UNAUTHORIZED)?;
    match signed.verifier.verify(signature, body, timestamp) {
        Ok(()) => Ok(body.to_string()),
        Err(error) => {
            tracing::warn!("refused a Slack request: {error}");
            Err(StatusCode::UNAUTHORIZED)
        }
    }
}

/// A slash command: acknowledged at once with an empty 200; the answer follows through
/// `response_url`.
async fn command(State(signed): State<Signed>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match verified(&signed, &headers, &body) {
        Ok(body) => body,
        Err(status) => return status.into_response(),
    };
    match serde_urlencoded::from_str::<SlackCommandEvent>(&body) {
        Ok(event) => signed.handler.command(event),
        Err(error) => tracing::warn!("ignoring a malformed Slack command: {error}"),
    }
    StatusCode::OK.into_response()
}

#[derive(serde::Deserialize)]
struct InteractionForm {
    payload: String,
}

/// A button or a submitted form. A form's answer (close, or show an error) is the response.
async fn interaction(State(signed): State<Signed>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match verified(&signed, &headers, &body) {
        Ok(body) => body,
        Err(status) => return status.into_response(),
    };
    let event = serde_urlencoded::from_str::<InteractionForm>(&body)
        .map_err(|e| e.to_string())
        .and_then(|form| {
            serde_json::from_str::<SlackInteractionEvent>(&form.payload).map_err(|e| e.to_string())
        });
    match event {
        Ok(event) => match signed.handler.interaction(event).await {
            SlackInteractionResponse::Empty => StatusCode::OK.into_response(),
            answer => Json(answer).into_response(),
        },
        Err(error) => {
            tracing::warn!("ignoring a malformed Slack interaction: {error}");
            StatusCode::OK.into_response()
        }
    }
}

/// The Events API: `app_home_opened` (the home tab), and the `url_verification` challenge
/// Slack sends once when the URL is saved in the app's settings. Events are acknowledged at
/// once and handled after.
async fn event(State(signed): State<Signed>, headers: HeaderMap, body: Bytes) -> Response {
    let body = match verified(&signed, &headers, &body) {
        Ok(body) => body,
        Err(status) => return status.into_response(),
    };
    let value: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    match (value["type"].as_str(), value["challenge"].as_str()) {
        (Some("url_verification"), Some(challenge)) => {
            Json(serde_json::json!({ "challenge": challenge })).into_response()
        }
        (Some("event_callback"), _) => {
            let handler = signed.handler.clone();
            tokio::spawn(async move { handler.event(&value).await });
            StatusCode::OK.into_response()
        }
        _ => StatusCode::OK.into_response(),
    }
}
