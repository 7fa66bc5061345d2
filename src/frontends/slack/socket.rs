//! Socket Mode, kept by mentorbot itself: opens the socket with `apps.connections.open`,
//! answers each envelope, pings Slack, and marks the connection down as soon as it goes
//! silent or closes, so `/healthz` can tell; then connects again.
//!
//! slack-morphism's listener reconnects on its own but tells nobody when a socket is lost,
//! so a silent socket looked healthy until a restart. Its envelope types are still used.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use slack_morphism::prelude::*;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

use crate::config::Secret;

use super::api;
use super::handler::Handler;

/// How often Slack is pinged, and how long a socket may stay silent (no envelope, no pong)
/// before it counts as lost. A lost socket shows on `/healthz` at most `ping_every` later:
/// 20 s with the defaults, within the 30 s an orchestrator is promised.
#[derive(Clone, Copy, Debug)]
pub struct Deadlines {
    pub ping_every: Duration,
    pub silent_after: Duration,
}

impl Default for Deadlines {
    fn default() -> Deadlines {
        Deadlines {
            ping_every: Duration::from_secs(5),
            silent_after: Duration::from_secs(15),
        }
    }
}

/// The first wait after a failed connection, doubled on each failure up to the last.
const FIRST_RETRY: Duration = Duration::from_secs(1);
const LONGEST_RETRY: Duration = Duration::from_secs(30);
/// How long opening a socket (TCP, TLS, the websocket handshake) may take.
const HANDSHAKE: Duration = Duration::from_secs(30);

/// How a socket ended.
enum Ended {
    /// mentorbot is stopping.
    Shutdown,
    /// Slack asked for a new connection (`disconnect` envelope): connect again at once.
    Refresh,
    /// Closed, failed or silent; connect again after a pause.
    Lost(String),
}

/// Keeps a socket open until `stopped` turns true; `connected` is true between a `hello`
/// and the moment the socket is lost.
pub(super) async fn serve(
    handler: Arc<Handler>,
    app_token: Secret,
    deadlines: Deadlines,
    connected: Arc<AtomicBool>,
    mut stopped: watch::Receiver<bool>,
) {
    let token = api::token(&app_token);
    let mut retry = FIRST_RETRY;
    loop {
        let opening = async {
            let url = open(&handler, &token).await?;
            match tokio::time::timeout(HANDSHAKE, tokio_tungstenite::connect_async(url.as_str()))
                .await
            {
                Ok(Ok((socket, _))) => Ok(socket),
                Ok(Err(error)) => Err(format!("opening the socket: {error}")),
                Err(_) => Err(format!("opening the socket took over {HANDSHAKE:?}")),
            }
        };
        let opened = tokio::select! {
            opened = opening => opened,
            _ = stopped.wait_for(|stop| *stop) => return,
        };
        let ended = match opened {
            Ok(socket) => {
                let said_hello = Arc::new(AtomicBool::new(false));
                let ended = session(
                    &handler,
                    socket,
                    deadlines,
                    &connected,
                    &said_hello,
                    &mut stopped,
                )
                .await;
                if said_hello.load(Ordering::SeqCst) {
                    retry = FIRST_RETRY;
                }
                ended
            }
            Err(error) => Ended::Lost(error),
        };
        connected.store(false, Ordering::SeqCst);
        match ended {
            Ended::Shutdown => return,
            Ended::Refresh => tracing::info!("Slack asked for a new socket; connecting again"),
            Ended::Lost(why) => {
                tracing::warn!("Slack's Socket Mode lost: {why}; connecting again in {retry:?}");
                if wait_or_stop(retry, &mut stopped).await {
                    return;
                }
                retry = (retry * 2).min(LONGEST_RETRY);
            }
        }
        if stopping(&stopped) {
            return;
        }
    }
}

fn stopping(stopped: &watch::Receiver<bool>) -> bool {
    *stopped.borrow()
}

/// A fresh socket address from `apps.connections.open`, with the app-level token.
async fn open(handler: &Handler, token: &SlackApiToken) -> Result<String, String> {
    let request = SlackApiAppsConnectionOpenRequest::new();
    let answer = tokio::time::timeout(
        Duration::from_secs(30),
        handler
            .api
            .client
            .open_session(token)
            .apps_connections_open(&request),
    )
    .await;
    match answer {
        Ok(Ok(opened)) => Ok(opened.url.0.to_string()),
        Ok(Err(error)) => Err(format!("apps.connections.open: {error}")),
        Err(_) => Err("apps.connections.open took over 30 s".to_string()),
    }
}

/// True when mentorbot is stopping; otherwise waits `pause` first.
async fn wait_or_stop(pause: Duration, stopped: &mut watch::Receiver<bool>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(pause) => false,
        _ = stopped.wait_for(|stop| *stop) => true,
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Reads envelopes until the socket ends. Each envelope is handled in a task of its own, so
/// a slow answer never holds up the next envelope or a ping; acknowledgements come back here
/// to be written.
async fn session(
    handler: &Arc<Handler>,
    socket: Socket,
    deadlines: Deadlines,
    connected: &AtomicBool,
    said_hello: &Arc<AtomicBool>,
    stopped: &mut watch::Receiver<bool>,
) -> Ended {
    let (mut writer, mut reader) = socket.split();
    let (acks, mut to_write) = mpsc::unbounded_channel::<String>();
    let mut pings = tokio::time::interval(deadlines.ping_every);
    pings.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            _ = stopped.changed() => {
                let _ = writer.send(Message::Close(None)).await;
                return Ended::Shutdown;
            }
            Some(ack) = to_write.recv() => {
                let written = tokio::time::timeout(deadlines.silent_after, writer.send(Message::Text(ack.into())));
                match written.await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => return Ended::Lost(format!("writing an acknowledgement: {error}")),
                    Err(_) => return Ended::Lost("a write stalled".to_string()),
                }
            }
            _ = pings.tick() => {
                let silent = last_heard.elapsed();
                if silent >= deadlines.silent_after {
                    return Ended::Lost(format!("silent for {} s", silent.as_secs()));
                }
                let pinged = tokio::time::timeout(deadlines.silent_after, writer.send(Message::Ping(Vec::new().into())));
                match pinged.await {
                    Ok(Ok(())) => {}
                    Ok(Err(error)) => return Ended::Lost(format!("pinging: {error}")),
                    Err(_) => return Ended::Lost("a ping stalled".to_string()),
                }
            }
            frame = reader.next() => {
                last_heard = Instant::now();
                match frame {
                    None => return Ended::Lost("closed".to_string()),
                    Some(Err(error)) => return Ended::Lost(error.to_string()),
                    Some(Ok(Message::Close(_))) => return Ended::Lost("closed by Slack".to_string()),
                    Some(Ok(Message::Text(text))) => {
                        match envelope(handler, text.as_str(), &acks) {
                            Envelope::Hello => {
                                said_hello.store(true, Ordering::SeqCst);
                                connected.store(true, Ordering::SeqCst);
                                tracing::info!("Slack's Socket Mode said hello");
                            }
                            Envelope::Disconnect => return Ended::Refresh,
                            Envelope::Handled => {}
                        }
                    }
                    Some(Ok(_)) => {}
                }
            }
        }
    }
}

enum Envelope {
    Hello,
    Disconnect,
    Handled,
}

/// One frame from Slack: `hello`, `disconnect`, or an envelope with a payload to acknowledge.
#[derive(Deserialize)]
struct Frame {
    #[serde(rename = "type")]
    kind: String,
    envelope_id: Option<String>,
    #[serde(default)]
    accepts_response_payload: bool,
    #[serde(default)]
    payload: Value,
}

/// Starts the work one envelope asks for; its acknowledgement goes to `acks`. A malformed
/// envelope is acknowledged (it would not parse better the next time) and logged without
/// its body, which holds what a member typed and the `response_url`.
fn envelope(handler: &Arc<Handler>, text: &str, acks: &mpsc::UnboundedSender<String>) -> Envelope {
    let frame = match serde_json::from_str::<Frame>(text) {
        Ok(frame) => frame,
        Err(error) => {
            tracing::warn!(
                "ignoring a Slack frame that does not parse: {}",
                where_in(&error)
            );
            return Envelope::Handled;
        }
    };
    let id = match (frame.kind.as_str(), frame.envelope_id) {
        ("hello", _) => return Envelope::Hello,
        ("disconnect", _) => return Envelope::Disconnect,
        (_, Some(id)) => id,
        (kind, None) => {
            tracing::warn!("ignoring a Slack frame of type {kind:?} without an envelope id");
            return Envelope::Handled;
        }
    };
    match frame.kind.as_str() {
        "slash_commands" => match serde_json::from_value::<SlackCommandEvent>(frame.payload) {
            // Acknowledged bare: the answer follows through `response_url`, and an empty
            // payload could show in Slack as a message of its own.
            Ok(command) => {
                send(acks, json!({ "envelope_id": id }));
                handler.command(command);
            }
            Err(error) => unreadable(acks, id, &error),
        },
        "interactive" => match serde_json::from_value::<SlackInteractionEvent>(frame.payload) {
            Ok(interaction) => {
                let (handler, acks) = (handler.clone(), acks.clone());
                let with_payload = frame.accepts_response_payload;
                tokio::spawn(async move {
                    let answer = handler.interaction(interaction).await;
                    let ack = match answer {
                        SlackInteractionResponse::Empty => json!({ "envelope_id": id }),
                        _ if !with_payload => json!({ "envelope_id": id }),
                        payload => json!({ "envelope_id": id, "payload": payload }),
                    };
                    send(&acks, ack);
                });
            }
            Err(error) => unreadable(acks, id, &error),
        },
        "events_api" => {
            send(acks, json!({ "envelope_id": id }));
            let handler = handler.clone();
            tokio::spawn(async move { handler.event(&frame.payload).await });
        }
        _ => send(acks, json!({ "envelope_id": id })),
    }
    Envelope::Handled
}

/// A payload that does not parse is acknowledged, since it would not parse better when sent
/// again, and logged without its body.
fn unreadable(acks: &mpsc::UnboundedSender<String>, id: String, error: &serde_json::Error) {
    tracing::warn!(
        "ignoring a Slack envelope that does not parse: {}",
        where_in(error)
    );
    send(acks, json!({ "envelope_id": id }));
}

/// A parse error's kind and place, without its message, which can quote what a member typed.
fn where_in(error: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {}, column {}",
        error.classify(),
        error.line(),
        error.column()
    )
}

fn send(acks: &mpsc::UnboundedSender<String>, ack: Value) {
    // The receiver is gone only when the socket is, and then Slack sends the envelope again.
    let _ = acks.send(ack.to_string());
}
