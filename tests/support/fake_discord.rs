//! A fake Discord on 127.0.0.1 for end-to-end tests: the REST routes mentorbot uses (API v10)
//! and a JSON gateway (HELLO, IDENTIFY, READY, heartbeats and their ACKs, RESUME, dispatches).
//! The gateway takes several connections, one per shard named in IDENTIFY, and routes each
//! guild event to shard `(guild_id >> 22) % shards` and each DM event to shard 0, as Discord does.
//! It records every request, answers anything unexpected with a loud 404, and can be told to
//! misbehave: fail the next requests to a route, close the socket, ask for a reconnect, or
//! invalidate the session.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::{mpsc, watch};

pub const APP_ID: u64 = 100_000_000_000_000_001;
pub const BOT_ID: u64 = 100_000_000_000_000_002;
pub const GUILD_ID: u64 = 100_000_000_000_000_500;
pub const CHANNEL_ID: u64 = 100_000_000_000_000_600;

/// One request as the fake received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// The JSON body (for multipart requests, `payload_json`).
    pub body: Value,
    /// Attached files: (filename, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    pub status: u16,
    pub at: Instant,
}

struct Fault {
    path_contains: String,
    status: u16,
    body: Value,
}

enum Outgoing {
    Json(Value),
    Close,
}

struct Gateway {
    sessions: Vec<Session>,
    identifies: u32,
    resumes: u32,
    heartbeats: u32,
    connections: u32,
    /// The shard count `GET /gateway/bot` recommends.
    recommended_shards: u64,
    /// The `shard` field of every IDENTIFY, in order.
    identified_shards: Vec<[u64; 2]>,
    /// The heartbeat interval HELLO asks for, in milliseconds.
    heartbeat_interval: u64,
    /// While set, heartbeats get no ACK: a gateway gone silent.
    silent: bool,
}

impl Default for Gateway {
    fn default() -> Gateway {
        Gateway {
            sessions: Vec::new(),
            identifies: 0,
            resumes: 0,
            heartbeats: 0,
            connections: 0,
            recommended_shards: 1,
            identified_shards: Vec::new(),
            heartbeat_interval: 41_250,
            silent: false,
        }
    }
}

/// One open gateway connection.
struct Session {
    connection: u32,
    /// [shard id, shard count] from IDENTIFY; [0, 1] when none was given.
    shard: [u64; 2],
    sequence: u64,
    outbox: mpsc::UnboundedSender<Outgoing>,
}

/// The shard Discord sends an event to: guild events by `(guild_id >> 22) % shards`, the rest
/// (DMs) to shard 0.
pub fn shard_of(data: &Value, shards: u64) -> u64 {
    let guild = data["guild_id"]
        .as_str()
        .and_then(|id| id.parse::<u64>().ok());
    guild.map_or(0, |id| (id >> 22) % shards.max(1))
}

/// A message the fake created in a channel (a nonce resent with `enforce_nonce` creates none).
#[derive(Clone, Debug)]
pub struct Created {
    pub channel: String,
    /// The member a DM channel belongs to, if it is one.
    pub recipient: Option<String>,
    pub nonce: Option<String>,
    pub id: String,
    pub body: Value,
    pub at: Instant,
}

#[derive(Default)]
struct Channels {
    /// user id -> DM channel id
    dms: std::collections::HashMap<String, String>,
    created: Vec<Created>,
    refuse_dms: std::collections::HashSet<String>,
    /// Requests per second allowed across the bot; `None` for no limit.
    rate_limit: Option<usize>,
    recent: std::collections::VecDeque<Instant>,
    rate_limited: usize,
}

struct Shared {
    channels: Mutex<Channels>,
    ws_url: String,
    log: Mutex<Vec<Recorded>>,
    faults: Mutex<Vec<Fault>>,
    gateway: Mutex<Gateway>,
    changed: watch::Sender<u64>,
    next_id: AtomicU64,
    /// Requests to routes the fake does not know: each fails the test when the fake is dropped.
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

pub struct FakeDiscord {
    pub base: String,
    shared: Arc<Shared>,
}

/// Like ferrisbot's fakes, an unexpected request fails the test instead of passing unseen.
impl Drop for FakeDiscord {
    fn drop(&mut self) {
        let unexpected = lock(&self.shared.unexpected).clone();
        if !unexpected.is_empty() && !std::thread::panicking() {
            panic!("the fake Discord got requests it does not know: {unexpected:?}");
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakeDiscord {
    pub async fn start() -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("an address");
        let shared = Arc::new(Shared {
            ws_url: format!("ws://{address}/gateway"),
            channels: Mutex::new(Channels::default()),
            log: Mutex::new(Vec::new()),
            faults: Mutex::new(Vec::new()),
            gateway: Mutex::new(Gateway::default()),
            changed: watch::channel(0).0,
            next_id: AtomicU64::new(200_000_000_000_000_000),
            unexpected: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/gateway", get(gateway))
            .fallback(rest)
            .with_state(shared.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeDiscord {
            base: format!("http://{address}"),
            shared,
        }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    /// How many requests have been recorded so far (without copying them).
    pub fn recorded(&self) -> usize {
        lock(&self.shared.log).len()
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
                panic!(
                    "timed out waiting for {what}; requests so far: {:#?}",
                    self.summary()
                );
            }
        }
    }

    /// Waits until the requests recorded so far, taken together, satisfy `done`.
    pub async fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&[Recorded]) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        let mut changes = self.shared.changed.subscribe();
        while !done(&lock(&self.shared.log)) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || tokio::time::timeout(left, changes.changed()).await.is_err() {
                panic!("timed out waiting for {what}");
            }
        }
    }

    /// Waits until the gateway state satisfies `ready`.
    pub async fn wait_gateway(
        &self,
        what: &str,
        timeout: Duration,
        ready: impl Fn(u32, u32, u32) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        let mut changes = self.shared.changed.subscribe();
        loop {
            {
                let gateway = lock(&self.shared.gateway);
                if ready(gateway.identifies, gateway.resumes, gateway.heartbeats)
                    && !gateway.sessions.is_empty()
                {
                    return;
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || tokio::time::timeout(left, changes.changed()).await.is_err() {
                panic!("timed out waiting for the gateway: {what}");
            }
        }
    }

    pub fn gateway_counts(&self) -> (u32, u32, u32) {
        let gateway = lock(&self.shared.gateway);
        (gateway.identifies, gateway.resumes, gateway.connections)
    }

    fn summary(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| format!("{} {} -> {}", r.method, r.path, r.status))
            .collect()
    }

    /// Answers the next `times` requests whose path contains `path_contains` with `status`.
    pub fn fail_next(&self, path_contains: &str, status: u16, body: Value, times: usize) {
        let mut faults = lock(&self.shared.faults);
        for _ in 0..times {
            faults.push(Fault {
                path_contains: path_contains.to_string(),
                status,
                body: body.clone(),
            });
        }
    }

    /// Sends a dispatch (op 0) to the shard Discord would route it to; returns that shard,
    /// or `None` when no connection holds it.
    pub fn dispatch(&self, event: &str, data: Value) -> Option<u64> {
        let mut gateway = lock(&self.shared.gateway);
        let session = gateway
            .sessions
            .iter_mut()
            .rev()
            .find(|session| session.shard[0] == shard_of(&data, session.shard[1]))?;
        session.sequence += 1;
        let payload = json!({"op": 0, "t": event, "s": session.sequence, "d": data});
        let _ = session.outbox.send(Outgoing::Json(payload));
        Some(session.shard[0])
    }

    /// Sends a raw gateway payload, such as op 7 (reconnect) or op 9 (invalid session), on
    /// every connection.
    pub fn send_op(&self, payload: Value) {
        for session in &lock(&self.shared.gateway).sessions {
            let _ = session.outbox.send(Outgoing::Json(payload.clone()));
        }
    }

    /// Closes every gateway socket abruptly.
    pub fn close_socket(&self) {
        for session in lock(&self.shared.gateway).sessions.drain(..) {
            let _ = session.outbox.send(Outgoing::Close);
        }
    }

    /// Has HELLO ask for a heartbeat every `millis` milliseconds.
    pub fn heartbeat_every(&self, millis: u64) {
        lock(&self.shared.gateway).heartbeat_interval = millis;
    }

    /// Stops (or resumes) acknowledging heartbeats, as a gateway that went silent.
    pub fn go_silent(&self, silent: bool) {
        lock(&self.shared.gateway).silent = silent;
    }

    /// Has `GET /gateway/bot` recommend `shards` shards.
    pub fn recommend_shards(&self, shards: u64) {
        lock(&self.shared.gateway).recommended_shards = shards;
    }

    /// The [shard id, shard count] of every IDENTIFY so far.
    pub fn identified_shards(&self) -> Vec<[u64; 2]> {
        lock(&self.shared.gateway).identified_shards.clone()
    }

    /// Messages created in channels so far.
    pub fn created(&self) -> Vec<Created> {
        lock(&self.shared.channels).created.clone()
    }

    /// Answers messages to this member's DM channel with error 50007, as Discord does when
    /// they do not accept direct messages.
    pub fn refuse_dms(&self, user: u64) {
        lock(&self.shared.channels)
            .refuse_dms
            .insert(user.to_string());
    }

    /// Enforces a global limit of `per_second` requests (a sliding one-second window),
    /// answering 429 with `retry_after` beyond it.
    pub fn limit_rate(&self, per_second: usize) {
        lock(&self.shared.channels).rate_limit = Some(per_second);
    }

    /// How many requests were refused by the rate limit.
    pub fn rate_limited(&self) -> usize {
        lock(&self.shared.channels).rate_limited
    }

    /// A new unique snowflake.
    pub fn id(&self) -> u64 {
        self.shared.id()
    }
}

pub fn user(id: u64, name: &str) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name, "avatar": null, "bot": false})
}

fn bot_user() -> Value {
    json!({"id": BOT_ID.to_string(), "username": "mentorbot", "discriminator": "0", "global_name": null, "avatar": null, "bot": true})
}

/// Fields every interaction carries, for `user` in the test guild (or in a DM).
pub fn interaction_base(id: u64, kind: u8, user: &Value, in_dm: bool) -> Value {
    let mut base = json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "token": format!("token-{id}"),
        "version": 1,
        "channel_id": CHANNEL_ID.to_string(),
        "app_permissions": "0",
        "locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 10_485_760,
    });
    if in_dm {
        base["user"] = user.clone();
        base["context"] = json!(1);
    } else {
        base["guild_id"] = json!(GUILD_ID.to_string());
        base["guild_locale"] = json!("en-US");
        base["context"] = json!(0);
        base["member"] = json!({
            "user": user, "roles": [], "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": false, "mute": false, "flags": 0, "permissions": "0",
        });
    }
    base
}

pub fn message_json(id: u64, content: &str, components: Value) -> Value {
    json!({
        "id": id.to_string(), "channel_id": CHANNEL_ID.to_string(), "author": bot_user(),
        "content": content, "timestamp": "2026-11-22T10:00:00.000000+00:00", "edited_timestamp": null,
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": [], "pinned": false, "type": 0, "flags": 0, "components": components,
    })
}

async fn gateway(upgrade: WebSocketUpgrade, State(shared): State<Arc<Shared>>) -> Response {
    upgrade.on_upgrade(move |socket| session(socket, shared))
}

async fn session(mut socket: WebSocket, shared: Arc<Shared>) {
    let (outbox, mut pending) = mpsc::unbounded_channel();
    let connection = {
        let mut gateway = lock(&shared.gateway);
        gateway.connections += 1;
        let connection = gateway.connections;
        gateway.sessions.push(Session {
            connection,
            shard: [0, 1],
            sequence: 0,
            outbox,
        });
        connection
    };
    let interval = lock(&shared.gateway).heartbeat_interval;
    let hello = json!({"op": 10, "d": {"heartbeat_interval": interval}, "s": null, "t": null});
    if socket
        .send(Message::Text(hello.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(Message::Text(text))) = incoming else {
                    match incoming {
                        Some(Ok(_)) => continue,
                        _ => break,
                    }
                };
                let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                let reply = answer_op(&shared, connection, &payload);
                shared.bump();
                if let Some(reply) = reply
                    && socket.send(Message::Text(reply.to_string().into())).await.is_err()
                {
                    break;
                }
            }
            outgoing = pending.recv() => match outgoing {
                Some(Outgoing::Json(payload)) => {
                    if socket.send(Message::Text(payload.to_string().into())).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Close) | None => {
                    let frame = CloseFrame { code: 4000, reason: "fake discord closed the socket".into() };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    break;
                }
            },
        }
    }
    lock(&shared.gateway)
        .sessions
        .retain(|session| session.connection != connection);
    shared.bump();
}

fn answer_op(shared: &Shared, connection: u32, payload: &Value) -> Option<Value> {
    let mut gateway = lock(&shared.gateway);
    let gateway = &mut *gateway;
    let session = gateway
        .sessions
        .iter_mut()
        .find(|session| session.connection == connection)?;
    match payload["op"].as_u64() {
        Some(1) => {
            gateway.heartbeats += 1;
            (!gateway.silent).then(|| json!({"op": 11, "d": null, "s": null, "t": null}))
        }
        Some(2) => {
            gateway.identifies += 1;
            let shard = &payload["d"]["shard"];
            session.shard = match (shard[0].as_u64(), shard[1].as_u64()) {
                (Some(id), Some(count)) if id < count => [id, count],
                _ => [0, 1],
            };
            gateway.identified_shards.push(session.shard);
            session.sequence = 1;
            Some(json!({"op": 0, "t": "READY", "s": 1, "d": {
                "v": 10, "user": bot_user(), "guilds": [], "session_id": format!("session-{}", gateway.identifies),
                "resume_gateway_url": shared.ws_url, "shard": session.shard,
                "application": {"id": APP_ID.to_string(), "flags": 0},
            }}))
        }
        Some(6) => {
            gateway.resumes += 1;
            session.sequence += 1;
            Some(json!({"op": 0, "t": "RESUMED", "s": session.sequence, "d": {}}))
        }
        _ => None,
    }
}

async fn rest(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    // discord.py asks for the interaction callback's resource; mentorbot takes the bare 204.
    let with_response = request
        .uri()
        .query()
        .is_some_and(|q| q.contains("with_response=1") || q.contains("with_response=true"));
    let multipart = request
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (body, files) = if multipart {
        read_multipart(request).await
    } else {
        let bytes = Bytes::from_request(request, &()).await.unwrap_or_default();
        (
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            Vec::new(),
        )
    };
    let fault = {
        let mut faults = lock(&shared.faults);
        let index = faults.iter().position(|f| path.contains(&f.path_contains));
        index.map(|i| faults.remove(i))
    };
    let (status, response) = match (fault, over_rate_limit(&shared)) {
        (Some(fault), _) => (fault.status, Some(fault.body)),
        (None, Some(retry_after)) => (
            429,
            Some(
                json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": true}),
            ),
        ),
        (None, None) => route(&shared, &method, &path, &body),
    };
    let (status, response) = match (status, with_response) {
        (204, true) if path.ends_with("/callback") => {
            let id = path.trim_start_matches("/api/v10/interactions/");
            let id = id.split('/').next().unwrap_or_default();
            let resource = json!({"interaction": {"id": id, "type": 2,
                "response_message_id": shared.id().to_string(),
                "response_message_loading": false, "response_message_ephemeral": true}});
            (200, Some(resource))
        }
        _ => (status, response),
    };
    lock(&shared.log).push(Recorded {
        method,
        path,
        body,
        files,
        status,
        at: Instant::now(),
    });
    shared.bump();
    let status_code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut reply = match response {
        Some(json) => (status_code, Json(json)).into_response(),
        None => status_code.into_response(),
    };
    if status == 429 {
        reply
            .headers_mut()
            .insert("retry-after", HeaderValue::from_static("1"));
    }
    reply
}

/// Seconds to wait when the global limit is exceeded, after counting this request.
fn over_rate_limit(shared: &Shared) -> Option<f64> {
    let mut channels = lock(&shared.channels);
    let limit = channels.rate_limit?;
    let now = Instant::now();
    while channels
        .recent
        .front()
        .is_some_and(|at| now.duration_since(*at) >= Duration::from_secs(1))
    {
        channels.recent.pop_front();
    }
    if channels.recent.len() >= limit {
        channels.rate_limited += 1;
        let oldest = channels.recent.front().copied().unwrap_or(now);
        let wait = Duration::from_secs(1).saturating_sub(now.duration_since(oldest));
        return Some(wait.as_secs_f64().max(0.001));
    }
    channels.recent.push_back(now);
    None
}

async fn read_multipart(request: Request) -> (Value, Vec<(String, Vec<u8>)>) {
    let mut body = Value::Null;
    let mut files = Vec::new();
    let Ok(mut form) = Multipart::from_request(request, &()).await else {
        return (body, files);
    };
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_string);
        let data = field.bytes().await.unwrap_or_default().to_vec();
        match filename {
            Some(filename) => files.push((filename, data)),
            None if name == "payload_json" => {
                body = serde_json::from_slice(&data).unwrap_or(Value::Null)
            }
            None => {}
        }
    }
    (body, files)
}

/// Creates a message, unless the same nonce was sent with `enforce_nonce` to this channel
/// before: then the first message is returned again, as Discord does.
fn create_message(shared: &Shared, channel: &str, body: &Value) -> (u16, Option<Value>) {
    let mut channels = lock(&shared.channels);
    let recipient = channels
        .dms
        .iter()
        .find(|(_, dm)| dm.as_str() == channel)
        .map(|(user, _)| user.clone());
    if recipient
        .as_ref()
        .is_some_and(|user| channels.refuse_dms.contains(user))
    {
        return (
            403,
            Some(json!({"message": "Cannot send messages to this user", "code": 50007})),
        );
    }
    let nonce = body["nonce"].as_str().map(str::to_string);
    let enforced = body["enforce_nonce"].as_bool() == Some(true);
    if enforced
        && let Some(earlier) = channels
            .created
            .iter()
            .find(|c| c.channel == channel && c.nonce == nonce)
    {
        return (
            200,
            Some(message_json(earlier.id.parse().unwrap_or(0), "", json!([]))),
        );
    }
    let id = shared.id();
    channels.created.push(Created {
        channel: channel.to_string(),
        recipient,
        nonce,
        id: id.to_string(),
        body: body.clone(),
        at: Instant::now(),
    });
    let content = body["content"].as_str().unwrap_or_default().to_string();
    (200, Some(message_json(id, &content, json!([]))))
}

/// The documented answer for each route mentorbot uses; a 404 for anything else.
fn route(shared: &Shared, method: &str, path: &str, body: &Value) -> (u16, Option<Value>) {
    let parts: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    match (method, parts.as_slice()) {
        ("GET", ["gateway"]) => (200, Some(json!({"url": shared.ws_url}))),
        ("GET", ["gateway", "bot"]) => (
            200,
            Some(json!({
                "url": shared.ws_url, "shards": lock(&shared.gateway).recommended_shards,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            })),
        ),
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut command| {
                    command["id"] = json!(shared.id().to_string());
                    command["application_id"] = json!(APP_ID.to_string());
                    command["version"] = json!(shared.id().to_string());
                    if command.get("type").is_none() {
                        command["type"] = json!(1);
                    }
                    command["default_member_permissions"] = Value::Null;
                    command
                })
                .collect();
            (200, Some(Value::Array(commands)))
        }
        ("POST", ["interactions", _, _, "callback"]) => (204, None),
        // What discord.py reads when it logs in (the comparison benchmark's Python bot).
        ("GET", ["users", "@me"]) => (200, Some(bot_user())),
        ("GET", ["oauth2", "applications", "@me"]) => (
            200,
            Some(json!({
                "id": APP_ID.to_string(), "name": "mentorbot", "description": "", "icon": null,
                "bot_public": false, "bot_require_code_grant": false, "verify_key": "0000",
                "flags": 0, "owner": bot_user(),
            })),
        ),
        ("POST", ["webhooks", _, _])
        | ("PATCH", ["webhooks", _, _, "messages", _])
        | ("GET", ["webhooks", _, _, "messages", _]) => {
            let content = body["content"].as_str().unwrap_or_default().to_string();
            (200, Some(message_json(shared.id(), &content, json!([]))))
        }
        ("POST", ["users", "@me", "channels"]) => {
            let recipient = body["recipient_id"].as_str().unwrap_or("0").to_string();
            let mut channels = lock(&shared.channels);
            let channel = channels
                .dms
                .entry(recipient.clone())
                .or_insert_with(|| shared.id().to_string())
                .clone();
            let recipients = json!([user(recipient.parse().unwrap_or(0), "member")]);
            (
                200,
                Some(json!({"id": channel, "type": 1, "recipients": recipients})),
            )
        }
        ("POST", ["channels", channel, "messages"]) => create_message(shared, channel, body),
        _ => {
            lock(&shared.unexpected).push(format!("{method} {path}"));
            (404, Some(json!({"message": "404: Not Found", "code": 0})))
        }
    }
}
