//! The HTTP server on `MENTORBOT_HTTP_ADDR`: `GET /healthz` for every deployment, and Slack's
//! signed routes when Slack comes over HTTP.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Context as _;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use futures_util::future::BoxFuture;
use serde_json::json;

use crate::store::Store;

/// Asks a front end, when `/healthz` is called, whether it is connected right now.
pub type Probe = Arc<dyn Fn() -> BoxFuture<'static, bool> + Send + Sync>;

/// A probe that reads a flag the front end keeps up to date.
pub fn flag(connected: Arc<AtomicBool>) -> Probe {
    Arc::new(move || {
        let up = connected.load(Ordering::SeqCst);
        Box::pin(async move { up })
    })
}

/// How long a front end's answer may take before it counts as disconnected.
const PROBE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// What `/healthz` checks: the database, and whether each front end is connected.
#[derive(Clone)]
pub struct Health {
    store: Store,
    front_ends: Vec<(&'static str, Probe)>,
}

impl Health {
    pub fn new(store: Store) -> Health {
        Health {
            store,
            front_ends: Vec::new(),
        }
    }

    pub fn watch(&mut self, name: &'static str, probe: Probe) {
        self.front_ends.push((name, probe));
    }
}

/// 200 with a small JSON body when the database answers and every front end is connected;
/// 503 with the same body otherwise.
async fn healthz(State(health): State<Health>) -> (StatusCode, Json<serde_json::Value>) {
    let database = health.store.reachable().await;
    let mut front_ends = serde_json::Map::new();
    let mut all_connected = true;
    for (name, probe) in &health.front_ends {
        let connected = matches!(
            tokio::time::timeout(PROBE_DEADLINE, probe()).await,
            Ok(true)
        );
        all_connected &= connected;
        let state = if connected {
            "connected"
        } else {
            "disconnected"
        };
        front_ends.insert(name.to_string(), json!(state));
    }
    let healthy = database && all_connected;
    let body = json!({
        "status": if healthy { "ok" } else { "unavailable" },
        "database": if database { "ok" } else { "unreachable" },
        "front_ends": front_ends,
    });
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// Binds `addr`, failing at once (at start-up) if it cannot.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on MENTORBOT_HTTP_ADDR {addr}"))
}

/// Serves `/healthz` (and `extra`: Slack's routes, the web view) until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    health: Health,
    extra: Option<Router>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .with_state(health);
    if let Some(extra) = extra {
        router = router.merge(extra);
    }
    tracing::info!(addr = ?listener.local_addr().ok(), "serving HTTP");
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")
}
