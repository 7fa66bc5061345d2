//! A fake OpenAI-compatible model server on 127.0.0.1, speaking the chat-completions wire
//! format with the quirks of the servers teams run: streams with keep-alive comments and
//! reasoning deltas, whole JSON answers, each server's error shapes, 503 while loading,
//! errors inside a 200 stream, streams cut without `finish_reason`, context-length refusals,
//! redirects and slow answers. It records every request for the test to inspect.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

/// What the fake answers to one chat request.
#[derive(Clone, Debug)]
pub enum Scripted {
    /// A 200 event stream: a keep-alive comment, a reasoning delta, `text` in small pieces,
    /// `finish_reason: stop`, usage, and `[DONE]`.
    Stream(String),
    /// One JSON body, as a server that ignores `stream` sends.
    Whole(String),
    /// A status with a JSON body (one of the servers' error shapes).
    Status(u16, Value),
    /// A 200 stream whose second chunk is an error object.
    StreamError,
    /// A 200 stream that stops without a `finish_reason`.
    CutStream,
    /// A 200 answer that is not JSON.
    Garbage,
    /// A 307 to `/elsewhere`, which counts any request that follows it.
    Redirect,
    /// Waits, then answers.
    Slow(Duration, Box<Scripted>),
}

/// One request the fake received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub body: Value,
    pub authorization: Option<String>,
}

impl Seen {
    /// The system and user messages joined: everything the model was told.
    pub fn prompt(&self) -> String {
        self.body["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["content"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn user_message(&self) -> String {
        self.body["messages"][1]["content"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

type Responder = Arc<dyn Fn(&Seen) -> Scripted + Send + Sync>;

#[derive(Clone)]
struct Shared {
    responder: Arc<Mutex<Responder>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    followed_redirects: Arc<Mutex<usize>>,
    models: Arc<Mutex<Vec<String>>>,
}

pub struct FakeModel {
    /// The base URL including `/v1`.
    pub url: String,
    shared: Shared,
}

impl FakeModel {
    /// A fake answering every request with `responder`'s choice.
    pub async fn start(responder: impl Fn(&Seen) -> Scripted + Send + Sync + 'static) -> FakeModel {
        let shared = Shared {
            responder: Arc::new(Mutex::new(Arc::new(responder))),
            seen: Arc::default(),
            followed_redirects: Arc::default(),
            models: Arc::new(Mutex::new(vec!["coach-model".to_string()])),
        };
        let app = Router::new()
            .route("/v1/chat/completions", post(chat))
            .route("/v1/models", get(models))
            .route("/elsewhere", post(elsewhere).get(elsewhere))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("an address");
        // Like the real servers, write each streamed piece at once (no Nagle delay).
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            let _ = tcp.set_nodelay(true);
        });
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeModel {
            url: format!("http://{address}/v1"),
            shared,
        }
    }

    /// A fake that answers as a helpful model would, by task (recognised from the shipped
    /// instructions), always streaming and always with a thinking prelude.
    pub async fn coaching() -> FakeModel {
        FakeModel::start(|seen| Scripted::Stream(typical_answer(&seen.user_message()))).await
    }

    pub fn respond_with(&self, responder: impl Fn(&Seen) -> Scripted + Send + Sync + 'static) {
        *self.shared.responder.lock().expect("lock") = Arc::new(responder);
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().expect("lock").clone()
    }

    pub fn followed_redirects(&self) -> usize {
        *self.shared.followed_redirects.lock().expect("lock")
    }
}

/// What a small local model typically writes for each task.
pub fn typical_answer(user: &str) -> String {
    // Parsed once: the fake should cost nothing next to the model's own time.
    static COACH: std::sync::OnceLock<mentorbot::content::coach::Instructions> =
        std::sync::OnceLock::new();
    let coach = COACH.get_or_init(|| {
        mentorbot::content::Library::shipped()
            .expect("shipped content")
            .coach
            .coach
    });
    let thinking = "<think>The member wrote about a project; ask about it.</think>";
    if user.starts_with(coach.follow_up.as_str()) {
        format!(
            "{thinking}Who will own the vendor integration if it slips, and when will you ask them?"
        )
    } else if user.starts_with(coach.premortem.as_str()) {
        format!(
            "{thinking}1. Nobody owns the vendor integration end to end.\n2. The January date was never agreed with the vendor.\n3. Sales has not bought in to the new pricing."
        )
    } else if user.starts_with(coach.review.as_str()) {
        format!(
            "{thinking}- You led the pricing debate with sales (#1).\n- You rescued a launch on your own (#999).\n- Delivery stayed steady through the quarter (#2, #404).\n- Focus next on coaching your designer (#1)."
        )
    } else if user.starts_with(coach.hat.as_str()) {
        format!(
            "{thinking}leadership: Nobody has decided yet whether to do it, so the work is exploring."
        )
    } else {
        "I do not know this task.".to_string()
    }
}

async fn chat(State(shared): State<Shared>, headers: HeaderMap, body: String) -> Response {
    let body: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let seen = Seen {
        body,
        authorization: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    shared.seen.lock().expect("lock").push(seen.clone());
    let responder = shared.responder.lock().expect("lock").clone();
    let mut scripted = responder(&seen);
    while let Scripted::Slow(delay, inner) = scripted {
        tokio::time::sleep(delay).await;
        scripted = *inner;
    }
    answer(scripted)
}

fn answer(scripted: Scripted) -> Response {
    match scripted {
        Scripted::Stream(text) => {
            let mut events = vec![
                ": keep-alive\n\n".to_string(),
                chunk(json!({"reasoning_content": "private thoughts"}), None),
            ];
            let pieces: Vec<String> = text
                .chars()
                .collect::<Vec<_>>()
                .chunks(7)
                .map(|c| c.iter().collect())
                .collect();
            for piece in pieces {
                events.push(chunk(json!({"content": piece}), None));
            }
            events.push(chunk(json!({}), Some("stop")));
            events.push(format!(
                "data: {}\n\n",
                json!({"choices": [], "usage": {"prompt_tokens": 321, "completion_tokens": 21}})
            ));
            events.push("data: [DONE]\n\n".to_string());
            stream(events)
        }
        Scripted::Whole(text) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            json!({
                "object": "chat.completion",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 300, "completion_tokens": 20},
            })
            .to_string(),
        )
            .into_response(),
        Scripted::Status(status, body) => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response(),
        Scripted::StreamError => stream(vec![
            chunk(json!({"content": "Who "}), None),
            format!(
                "data: {}\n\n",
                json!({"error": {"message": "CUDA out of memory", "type": "server_error", "code": 500}})
            ),
        ]),
        Scripted::CutStream => stream(vec![
            chunk(json!({"content": "Who owns the "}), None),
            chunk(json!({"content": "vendor work"}), None),
        ]),
        Scripted::Garbage => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html")],
            "<html>502 Bad Gateway</html>",
        )
            .into_response(),
        Scripted::Redirect => (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, "/elsewhere")],
            "",
        )
            .into_response(),
        Scripted::Slow(_, inner) => answer(*inner),
    }
}

fn chunk(delta: Value, finish: Option<&str>) -> String {
    let body = json!({
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    });
    format!("data: {body}\n\n")
}

fn stream(events: Vec<String>) -> Response {
    let body = Body::from_stream(futures_util::stream::iter(
        events.into_iter().map(Ok::<_, Infallible>),
    ));
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/event-stream")],
        body,
    )
        .into_response()
}

async fn models(State(shared): State<Shared>) -> Response {
    let data: Vec<Value> = shared
        .models
        .lock()
        .expect("lock")
        .iter()
        .map(|id| json!({"id": id, "object": "model"}))
        .collect();
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        json!({"object": "list", "data": data}).to_string(),
    )
        .into_response()
}

async fn elsewhere(State(shared): State<Shared>) -> Response {
    *shared.followed_redirects.lock().expect("lock") += 1;
    answer(Scripted::Whole("Followed a redirect".into()))
}
