//! A fake Slack on 127.0.0.1 for end-to-end tests: the Web API methods mentorbot calls (JSON,
//! form or query parameters, bearer tokens), `response_url` and file-upload endpoints, and a
//! Socket Mode websocket that sends `hello`, delivers envelopes and records their acks. It
//! records every request, answers unknown methods with `unknown_method` (and fails the test),
//! and can misbehave: fail the next calls to a method, rate-limit, drop or `disconnect` the
//! socket, refuse a member's DMs.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use hmac::{KeyInit, Mac};
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

pub const TEAM: &str = "T0FAKE0001";
pub const BOT_USER: &str = "U0BOT00001";
pub const APP_ID: &str = "A0FAKE0001";
pub const BOT_TOKEN: &str = "xoxb-fake-bot-token";
pub const APP_TOKEN: &str = "xapp-fake-app-token";
pub const SIGNING_SECRET: &str = "fake-signing-secret";

/// One request as the fake received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The Web API method (`chat.postMessage`), or `respond` / `upload` for those endpoints.
    pub method: String,
    /// The parameters: the JSON body, or form and query parameters as strings.
    pub params: Value,
    pub token: Option<String>,
    pub status: u16,
    pub at: Instant,
}

/// A message posted with `chat.postMessage`.
#[derive(Clone, Debug)]
pub struct Posted {
    pub channel: String,
    pub ts: String,
    pub body: Value,
    pub at: Instant,
}

struct Fault {
    method: String,
    status: u16,
    body: Value,
    retry_after: Option<u64>,
}

enum Outgoing {
    Text(String),
    Drop,
    /// Keep the socket open but send and read nothing more, pongs included.
    Silence,
}

#[derive(Default)]
struct Socket {
    outbox: Option<mpsc::UnboundedSender<Outgoing>>,
    connections: u32,
    acks: Vec<Value>,
}

#[derive(Default)]
struct Workspace {
    users: HashMap<String, Value>,
    refuse_dms: HashSet<String>,
    posted: Vec<Posted>,
    uploads: HashMap<String, (String, Vec<u8>)>,
    /// (file id, channel) for every completed upload.
    shared_files: Vec<(String, String)>,
    /// Web API calls allowed per second across the workspace; `None` for no limit.
    rate_limit: Option<usize>,
    recent: VecDeque<Instant>,
    last_post_in: HashMap<String, Instant>,
    rate_limited: usize,
    refuse_socket: bool,
    /// User groups: id -> member ids.
    groups: HashMap<String, Vec<String>>,
    /// Methods whose next call is carried out and then left unanswered: the connection drops.
    drop_answers: Vec<String>,
    /// Methods whose next call is carried out and answered only two minutes later.
    held_answers: Vec<String>,
}

struct Shared {
    address: String,
    log: Mutex<Vec<Recorded>>,
    faults: Mutex<Vec<Fault>>,
    socket: Mutex<Socket>,
    workspace: Mutex<Workspace>,
    changed: watch::Sender<u64>,
    next_id: AtomicU64,
    unexpected: Mutex<Vec<String>>,
}

impl Shared {
    fn bump(&self) {
        self.changed.send_modify(|n| *n += 1);
    }

    fn id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}

pub struct FakeSlack {
    /// The Web API base, as `SLACK_API_BASE`.
    pub base: String,
    shared: Arc<Shared>,
}

impl Drop for FakeSlack {
    fn drop(&mut self) {
        let unexpected = lock(&self.shared.unexpected).clone();
        if !unexpected.is_empty() && !std::thread::panicking() {
            panic!("the fake Slack got requests it does not know: {unexpected:?}");
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeSlack {
    pub async fn start() -> FakeSlack {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("an address").to_string();
        let shared = Arc::new(Shared {
            address: address.clone(),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            socket: Mutex::new(Socket::default()),
            workspace: Mutex::new(Workspace::default()),
            changed: watch::channel(0).0,
            next_id: AtomicU64::new(1),
            unexpected: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/api/{method}", any(web_api))
            .route("/socket", get(socket))
            .route("/respond/{id}", post(respond))
            .route("/upload/{id}", post(upload))
            .with_state(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeSlack {
            base: format!("http://{address}/api/"),
            shared,
        }
    }

    /// Adds a person `users.info` knows.
    pub fn add_user(&self, id: &str, name: &str, tz: &str, admin: bool) {
        let user = json!({
            "id": id, "team_id": TEAM, "name": name, "real_name": name, "tz": tz,
            "tz_label": tz, "tz_offset": 0, "is_admin": admin, "is_owner": false,
            "is_bot": false, "profile": {"display_name": name, "real_name": name}
        });
        lock(&self.shared.workspace)
            .users
            .insert(id.to_string(), user);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    pub fn calls(&self, method: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method)
            .collect()
    }

    pub fn posted(&self) -> Vec<Posted> {
        lock(&self.shared.workspace).posted.clone()
    }

    /// The files shared into channels: (channel, filename, bytes).
    pub fn shared_files(&self) -> Vec<(String, String, Vec<u8>)> {
        let workspace = lock(&self.shared.workspace);
        workspace
            .shared_files
            .iter()
            .filter_map(|(file, channel)| {
                let (name, data) = workspace.uploads.get(file)?;
                Some((channel.clone(), name.clone(), data.clone()))
            })
            .collect()
    }

    /// Waits until a recorded request satisfies `matches`, or panics after `timeout`.
    pub async fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        matches: impl Fn(&Recorded) -> bool,
    ) -> Recorded {
        let deadline = Instant::now() + timeout;
        let mut changes = self.shared.changed.subscribe();
        loop {
            if let Some(found) = lock(&self.shared.log).iter().find(|r| matches(r)) {
                return found.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || tokio::time::timeout(left, changes.changed()).await.is_err() {
                let seen: Vec<String> = self
                    .requests()
                    .iter()
                    .map(|r| format!("{} -> {}", r.method, r.status))
                    .collect();
                panic!("timed out waiting for {what}; requests so far: {seen:#?}");
            }
        }
    }

    /// Waits until the socket is open and has said hello `connections` times in all.
    pub async fn wait_socket(&self, connections: u32, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut changes = self.shared.changed.subscribe();
        loop {
            {
                let socket = lock(&self.shared.socket);
                if socket.connections >= connections && socket.outbox.is_some() {
                    return;
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || tokio::time::timeout(left, changes.changed()).await.is_err() {
                panic!("timed out waiting for Socket Mode connection {connections}");
            }
        }
    }

    /// The ack for an envelope, once it arrives.
    pub async fn wait_ack(&self, envelope_id: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        let mut changes = self.shared.changed.subscribe();
        loop {
            if let Some(ack) = lock(&self.shared.socket)
                .acks
                .iter()
                .find(|a| a["envelope_id"] == envelope_id)
            {
                return ack.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || tokio::time::timeout(left, changes.changed()).await.is_err() {
                panic!("timed out waiting for the ack of {envelope_id}");
            }
        }
    }

    /// The `response_url` a new command or button carries.
    pub fn response_url(&self) -> String {
        format!(
            "http://{}/respond/{}",
            self.shared.address,
            self.shared.id()
        )
    }

    /// A slash command's payload, as Slack sends it (over HTTP form-encoded, or in an envelope).
    pub fn command_payload(&self, user: &str, channel: &str, command: &str, text: &str) -> Value {
        json!({
            "token": "deprecated-verification-token",
            "team_id": TEAM, "team_domain": "fake", "channel_id": channel,
            "channel_name": "product", "user_id": user, "user_name": user,
            "command": command, "text": text, "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.response_url(),
            "trigger_id": format!("trigger.{}", self.shared.id()),
        })
    }

    /// Delivers a slash command over the socket; returns its `response_url` and envelope id.
    pub fn slash(&self, user: &str, channel: &str, command: &str, text: &str) -> (String, String) {
        let payload = self.command_payload(user, channel, command, text);
        let url = payload["response_url"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let envelope = self.envelope("slash_commands", payload);
        (url, envelope)
    }

    /// Delivers an interaction payload over the socket; returns the envelope id.
    pub fn interact(&self, payload: Value) -> String {
        self.envelope("interactive", payload)
    }

    /// Sends any envelope over the socket; returns its id.
    pub fn envelope(&self, kind: &str, payload: Value) -> String {
        let envelope_id = format!("envelope-{}", self.shared.id());
        self.send_raw(
            json!({
                "type": kind, "envelope_id": envelope_id, "payload": payload,
                "accepts_response_payload": kind != "events_api",
            })
            .to_string(),
        );
        envelope_id
    }

    /// Sends a raw frame, such as a `disconnect` message or something malformed.
    pub fn send_raw(&self, frame: String) {
        if let Some(outbox) = &lock(&self.shared.socket).outbox {
            let _ = outbox.send(Outgoing::Text(frame));
        }
    }

    /// Slack's warning before it closes a connection: mentorbot should reconnect.
    pub fn ask_to_reconnect(&self) {
        self.send_raw(
            json!({"type": "disconnect", "reason": "refresh_requested",
                   "debug_info": {"host": "fake-slack"}})
            .to_string(),
        );
    }

    /// Drops the socket without a word.
    pub fn drop_socket(&self) {
        if let Some(outbox) = lock(&self.shared.socket).outbox.take() {
            let _ = outbox.send(Outgoing::Drop);
        }
    }

    /// The open socket goes silent: it stays open but carries nothing, not even pongs. The
    /// next socket mentorbot opens works as usual.
    pub fn go_silent(&self) {
        if let Some(outbox) = lock(&self.shared.socket).outbox.take() {
            let _ = outbox.send(Outgoing::Silence);
        }
    }

    /// Adds a user group `usergroups.users.list` knows.
    pub fn add_group(&self, id: &str, users: &[&str]) {
        let users = users.iter().map(|u| u.to_string()).collect();
        lock(&self.shared.workspace)
            .groups
            .insert(id.to_string(), users);
    }

    /// Carries out the next call to `method` (a post is kept) and then drops the connection
    /// without answering: the caller cannot tell whether Slack accepted it.
    pub fn drop_next_answer(&self, method: &str) {
        lock(&self.shared.workspace)
            .drop_answers
            .push(method.to_string());
    }

    /// Carries out the next call to `method` (a post is kept) and holds its answer for two
    /// minutes, long enough for the caller to be killed while it waits.
    pub fn hold_next_answer(&self, method: &str) {
        lock(&self.shared.workspace)
            .held_answers
            .push(method.to_string());
    }

    /// Answers `apps.connections.open` with `ok: false`, so the socket never connects.
    pub fn refuse_socket(&self) {
        lock(&self.shared.workspace).refuse_socket = true;
    }

    /// Answers the next `times` calls to `method` with `status` and `body`.
    pub fn fail_next(
        &self,
        method: &str,
        status: u16,
        body: Value,
        retry_after: Option<u64>,
        times: usize,
    ) {
        let mut faults = lock(&self.shared.faults);
        for _ in 0..times {
            faults.push(Fault {
                method: method.to_string(),
                status,
                body: body.clone(),
                retry_after,
            });
        }
    }

    /// Answers messages to this member's DM with `channel_not_found`, as Slack does for a
    /// member who left.
    pub fn refuse_dms(&self, user: &str) {
        lock(&self.shared.workspace)
            .refuse_dms
            .insert(user.to_string());
    }

    /// Enforces a workspace-wide limit on Web API calls (a sliding one-second window) and
    /// one message per second per channel, answering 429 with `Retry-After` beyond them.
    pub fn limit_rate(&self, per_second: usize) {
        lock(&self.shared.workspace).rate_limit = Some(per_second);
    }

    pub fn rate_limited(&self) -> usize {
        lock(&self.shared.workspace).rate_limited
    }
}

/// Slack's request signature for `body` at `timestamp`, as `X-Slack-Signature` carries it.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("v0:{timestamp}:{body}").as_bytes());
    format!("v0={}", hex::encode(mac.finalize().into_bytes()))
}

fn record(shared: &Shared, method: &str, params: Value, token: Option<String>, status: u16) {
    lock(&shared.log).push(Recorded {
        method: method.to_string(),
        params,
        token,
        status,
        at: Instant::now(),
    });
    shared.bump();
}

/// Reads parameters the way Slack does: query string, then a JSON or form body.
fn parameters(query: &HashMap<String, String>, headers: &HeaderMap, body: &Bytes) -> Value {
    let mut params = serde_json::Map::new();
    for (key, value) in query {
        params.insert(key.clone(), json!(value));
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") {
        if let Ok(Value::Object(body)) = serde_json::from_slice::<Value>(body) {
            params.extend(body);
        }
    } else if let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) {
        for (key, value) in form {
            params.insert(key, json!(value));
        }
    }
    Value::Object(params)
}

fn slack_error(status: StatusCode, error: &str, retry_after: Option<u64>) -> Response {
    let mut response = (status, Json(json!({"ok": false, "error": error}))).into_response();
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(
            "retry-after",
            seconds.to_string().parse().expect("a header"),
        );
    }
    response
}

async fn web_api(
    State(shared): State<Arc<Shared>>,
    Path(method): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = parameters(&query, &headers, &body);
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let fault = {
        let mut faults = lock(&shared.faults);
        let at = faults.iter().position(|f| f.method == method);
        at.map(|at| faults.remove(at))
    };
    if let Some(fault) = fault {
        record(&shared, &method, params, token, fault.status);
        let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::OK);
        let mut response = (status, Json(fault.body)).into_response();
        if let Some(seconds) = fault.retry_after {
            response.headers_mut().insert(
                "retry-after",
                seconds.to_string().parse().expect("a header"),
            );
        }
        return response;
    }
    let expected = if method == "apps.connections.open" {
        APP_TOKEN
    } else {
        BOT_TOKEN
    };
    if token.as_deref() != Some(expected) {
        record(&shared, &method, params, token, 200);
        return Json(json!({"ok": false, "error": "invalid_auth"})).into_response();
    }
    if let Some(limited) = rate_limit(&shared, &method, &params) {
        record(&shared, &method, params, token, 429);
        return limited;
    }
    let blocks = match method.as_str() {
        "views.open" | "views.publish" => &params["view"]["blocks"],
        _ => &params["blocks"],
    };
    if let Some(problem) = invalid_blocks(blocks) {
        lock(&shared.unexpected).push(format!("{method}: {problem}"));
        record(&shared, &method, params, token, 200);
        return Json(json!({"ok": false, "error": "invalid_blocks"})).into_response();
    }
    let answer = answer(&shared, &method, &params);
    let status = answer.status().as_u16();
    record(&shared, &method, params, token, status);
    let dropped = {
        let mut workspace = lock(&shared.workspace);
        let at = workspace.drop_answers.iter().position(|m| *m == method);
        at.map(|at| workspace.drop_answers.remove(at)).is_some()
    };
    let held = {
        let mut workspace = lock(&shared.workspace);
        let at = workspace.held_answers.iter().position(|m| *m == method);
        at.map(|at| workspace.held_answers.remove(at)).is_some()
    };
    if held {
        tokio::time::sleep(Duration::from_secs(120)).await;
    }
    if dropped {
        // Unwinding out of the handler ends the connection with no response at all, and
        // resume_unwind prints nothing.
        std::panic::resume_unwind(Box::new("the fake Slack drops this answer"));
    }
    answer
}

/// The workspace-wide limit on every call, and one post per second per channel.
fn rate_limit(shared: &Shared, method: &str, params: &Value) -> Option<Response> {
    let mut workspace = lock(&shared.workspace);
    let limit = workspace.rate_limit?;
    let now = Instant::now();
    while workspace
        .recent
        .front()
        .is_some_and(|at| now.duration_since(*at) >= Duration::from_secs(1))
    {
        workspace.recent.pop_front();
    }
    let channel_busy = method == "chat.postMessage"
        && params["channel"].as_str().is_some_and(|channel| {
            workspace
                .last_post_in
                .get(channel)
                .is_some_and(|at| now.duration_since(*at) < Duration::from_millis(900))
        });
    if workspace.recent.len() >= limit || channel_busy {
        workspace.rate_limited += 1;
        return Some(slack_error(
            StatusCode::TOO_MANY_REQUESTS,
            "ratelimited",
            Some(1),
        ));
    }
    workspace.recent.push_back(now);
    if method == "chat.postMessage"
        && let Some(channel) = params["channel"].as_str()
    {
        workspace.last_post_in.insert(channel.to_string(), now);
    }
    None
}

/// Slack's Block Kit limits, checked on every message and view: `Some(problem)` if broken.
fn invalid_blocks(blocks: &Value) -> Option<String> {
    let blocks = blocks.as_array()?;
    if blocks.len() > 50 {
        return Some(format!("{} blocks", blocks.len()));
    }
    let chars = |v: &Value| v.as_str().map_or(0, |t| t.chars().count());
    let mut action_ids = HashSet::new();
    for block in blocks {
        match block["type"].as_str() {
            Some("header") if chars(&block["text"]["text"]) > 150 => {
                return Some("a header over 150".into());
            }
            Some("section") => {
                if chars(&block["text"]["text"]) > 3000 {
                    return Some("a section over 3000".into());
                }
                if block["text"]["type"] == "mrkdwn" && chars(&block["text"]["text"]) == 0 {
                    return Some("an empty section".into());
                }
            }
            Some("input")
                if block["element"]["max_length"]
                    .as_u64()
                    .is_some_and(|n| n > 3000) =>
            {
                return Some("an input over 3000".into());
            }
            Some("actions") => {
                for element in block["elements"].as_array().into_iter().flatten() {
                    if chars(&element["value"]) > 2000 || chars(&element["text"]["text"]) > 75 {
                        return Some("a button over its limits".into());
                    }
                    let id = element["action_id"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    if !action_ids.insert(id) {
                        return Some("a repeated action_id".into());
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn ok(mut body: Value) -> Response {
    body["ok"] = json!(true);
    Json(body).into_response()
}

fn answer(shared: &Shared, method: &str, params: &Value) -> Response {
    let text = |key: &str| params[key].as_str().unwrap_or_default().to_string();
    match method {
        "auth.test" => ok(json!({
            "url": "https://fake.slack.com/", "team": "Fake", "user": "mentorbot",
            "team_id": TEAM, "user_id": BOT_USER, "bot_id": "B0FAKE0001"
        })),
        "apps.connections.open" => {
            if lock(&shared.workspace).refuse_socket {
                return Json(json!({"ok": false, "error": "invalid_auth"})).into_response();
            }
            ok(json!({"url": format!("ws://{}/socket", shared.address)}))
        }
        "users.info" => match lock(&shared.workspace).users.get(&text("user")) {
            Some(user) => ok(json!({"user": user})),
            None => Json(json!({"ok": false, "error": "user_not_found"})).into_response(),
        },
        "usergroups.users.list" => {
            let group = text("usergroup");
            let users = lock(&shared.workspace).groups.get(&group).cloned();
            match users {
                Some(users) => ok(json!({"users": users})),
                None => Json(json!({"ok": false, "error": "no_such_subteam"})).into_response(),
            }
        }
        "conversations.open" => {
            let user = match &params["users"] {
                Value::Array(users) => users
                    .first()
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                _ => text("users"),
            };
            ok(json!({"channel": {"id": format!("D{user}")}}))
        }
        "chat.postMessage" => {
            let channel = text("channel");
            let mut workspace = lock(&shared.workspace);
            let refused = channel
                .strip_prefix('D')
                .is_some_and(|user| workspace.refuse_dms.contains(user));
            if refused {
                return Json(json!({"ok": false, "error": "channel_not_found"})).into_response();
            }
            let ts = format!("1700000000.{:06}", shared.id());
            workspace.posted.push(Posted {
                channel: channel.clone(),
                ts: ts.clone(),
                body: params.clone(),
                at: Instant::now(),
            });
            ok(json!({"channel": channel, "ts": ts,
                      "message": {"ts": ts, "text": params["text"], "type": "message"}}))
        }
        "conversations.history" => {
            let channel = text("channel");
            let with_metadata = params["include_all_metadata"] == json!("true")
                || params["include_all_metadata"] == json!(true);
            let workspace = lock(&shared.workspace);
            let messages: Vec<Value> = workspace
                .posted
                .iter()
                .rev()
                .filter(|posted| posted.channel == channel)
                .take(100)
                .map(|posted| {
                    let mut message = json!({"type": "message", "ts": posted.ts,
                        "text": posted.body["text"], "bot_id": "B0FAKE0001"});
                    if with_metadata && !posted.body["metadata"].is_null() {
                        message["metadata"] = posted.body["metadata"].clone();
                    }
                    message
                })
                .collect();
            ok(json!({"messages": messages, "has_more": false}))
        }
        "views.publish" => {
            // A home tab is published for one user, and only a view of type "home" fits it.
            if params["user_id"].as_str().is_none_or(str::is_empty)
                || params["view"]["type"] != "home"
            {
                return Json(json!({"ok": false, "error": "invalid_arguments"})).into_response();
            }
            let mut view = params["view"].clone();
            view["id"] = json!(format!("V{}", shared.id()));
            ok(json!({"view": view}))
        }
        "views.open" => {
            let mut view = params["view"].clone();
            view["id"] = json!(format!("V{}", shared.id()));
            view["team_id"] = json!(TEAM);
            view["hash"] = json!("hash");
            ok(json!({"view": view}))
        }
        "files.getUploadURLExternal" => {
            let id = format!("F{}", shared.id());
            lock(&shared.workspace)
                .uploads
                .insert(id.clone(), (text("filename"), Vec::new()));
            ok(
                json!({"upload_url": format!("http://{}/upload/{id}", shared.address), "file_id": id}),
            )
        }
        "files.completeUploadExternal" => {
            let files: Vec<Value> = match &params["files"] {
                Value::String(encoded) => serde_json::from_str(encoded).unwrap_or_default(),
                Value::Array(files) => files.clone(),
                _ => Vec::new(),
            };
            let channel = text("channel_id");
            let mut workspace = lock(&shared.workspace);
            for file in &files {
                let id = file["id"].as_str().unwrap_or_default().to_string();
                if !workspace.uploads.contains_key(&id) {
                    return Json(json!({"ok": false, "error": "file_not_found"})).into_response();
                }
                workspace.shared_files.push((id, channel.clone()));
            }
            ok(json!({"files": files}))
        }
        _ => {
            lock(&shared.unexpected).push(method.to_string());
            Json(json!({"ok": false, "error": "unknown_method"})).into_response()
        }
    }
}

async fn respond(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let mut params: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if let Some(problem) = invalid_blocks(&params["blocks"]) {
        lock(&shared.unexpected).push(format!("respond: {problem}"));
    }
    params["response_url_id"] = json!(id);
    record(&shared, "respond", params, None, 200);
    (StatusCode::OK, "ok").into_response()
}

async fn upload(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let known = match lock(&shared.workspace).uploads.get_mut(&id) {
        Some((_, data)) => {
            *data = body.to_vec();
            true
        }
        None => false,
    };
    record(
        &shared,
        "upload",
        json!({"file": id, "bytes": body.len()}),
        None,
        200,
    );
    if known {
        (StatusCode::OK, format!("OK - {}", body.len())).into_response()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

async fn socket(State(shared): State<Arc<Shared>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |ws| serve_socket(shared, ws))
}

async fn serve_socket(shared: Arc<Shared>, mut ws: WebSocket) {
    let (outbox, mut outgoing) = mpsc::unbounded_channel();
    {
        let mut socket = lock(&shared.socket);
        socket.outbox = Some(outbox);
        socket.connections += 1;
    }
    let hello = json!({
        "type": "hello", "num_connections": 1,
        "connection_info": {"app_id": APP_ID},
        "debug_info": {"host": "fake-slack", "approximate_connection_time": 18060}
    });
    if ws
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    shared.bump();
    loop {
        tokio::select! {
            next = outgoing.recv() => match next {
                Some(Outgoing::Text(frame)) => {
                    if ws.send(Message::Text(frame.into())).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Drop) | None => break,
                Some(Outgoing::Silence) => {
                    // Held open and unread; mentorbot has to notice on its own.
                    tokio::time::sleep(Duration::from_secs(120)).await;
                    break;
                }
            },
            incoming = ws.recv() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if let Ok(ack) = serde_json::from_str::<Value>(&text) {
                        lock(&shared.socket).acks.push(ack);
                        shared.bump();
                    }
                }
                Some(Ok(Message::Ping(data))) => {
                    let _ = ws.send(Message::Pong(data)).await;
                }
                Some(Ok(_)) => {}
                _ => break,
            },
        }
    }
    shared.bump();
}
