//! The web view: server-rendered pages of a member's log, progress and (for leaders) team,
//! reached through a one-time link from the chat. Every page works without JavaScript; every
//! change is a POST carrying the session's CSRF token; private pages are never cached.

mod charts;
mod entries;
mod layout;
mod log;
mod progress;
mod signin;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use crate::error::Error;
use crate::mentor::Mentor;
use crate::mentor::web::Visitor;

/// The session cookie's name.
pub const COOKIE: &str = "mentorbot_session";
/// Failed sign-ins allowed per address in [`FAILURE_WINDOW`].
const FAILURES_ALLOWED: u32 = 10;
const FAILURE_WINDOW: Duration = Duration::from_secs(600);
/// The longest query string read; longer ones get a clear page.
const LONGEST_QUERY: usize = 2048;

/// What every handler shares.
#[derive(Clone)]
pub struct Web {
    mentor: Mentor,
    /// The public URL is https: cookies get `Secure`.
    secure: bool,
    failures: Arc<Mutex<HashMap<IpAddr, (u32, Instant)>>>,
}

/// The web view's routes, to merge into the HTTP server.
pub fn routes(mentor: Mentor, public_url: &str) -> Router {
    let web = Web {
        mentor,
        secure: public_url.starts_with("https://"),
        failures: Arc::default(),
    };
    Router::new()
        .route("/", get(home))
        .route("/static/style.css", get(layout::stylesheet))
        .route("/signin/{token}", get(signin::page))
        .route("/signin", post(signin::submit))
        .route("/signout", post(signin::sign_out))
        .route("/log", get(log::log))
        .route("/entries/{id}", post(entries::save))
        .route("/entries/{id}/edit", get(entries::edit))
        .route(
            "/entries/{id}/delete",
            get(entries::confirm_delete).post(entries::delete),
        )
        .route("/export/{name}", get(entries::export))
        .route("/progress", get(progress::progress))
        .route("/team/{workspace}", get(progress::team))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn(guard))
        .with_state(web)
}

/// Headers on every response, and a refusal of oversized query strings before any handler.
async fn guard(request: Request, next: Next) -> Response {
    let oversized = request
        .uri()
        .query()
        .is_some_and(|query| query.len() > LONGEST_QUERY);
    let static_file = request.uri().path().starts_with("/static/");
    let mut response = match oversized {
        true => layout::problem(
            StatusCode::URI_TOO_LONG,
            "That address is too long",
            "Search with fewer words, or start again from your log.",
        ),
        false => next.run(request).await,
    };
    let headers = response.headers_mut();
    let fixed = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; img-src 'self'; connect-src 'self'; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    let cache = match static_file {
        true => "public, max-age=3600",
        false => "no-store",
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn home(State(web): State<Web>, headers: HeaderMap) -> Response {
    match web.visitor(&headers).await {
        Ok(Some(_)) => Redirect::to("/log").into_response(),
        Ok(None) => layout::signed_out(),
        Err(error) => layout::failure(&error),
    }
}

async fn not_found() -> Response {
    layout::not_found()
}

impl Web {
    /// The signed-in member behind the request's cookie, if any.
    async fn visitor(&self, headers: &HeaderMap) -> Result<Option<Visitor>, Error> {
        match session_cookie(headers) {
            Some(token) => self.mentor.visitor(&token).await,
            None => Ok(None),
        }
    }

    /// Counts a failed sign-in from `address`; true once it has failed too often.
    fn failed_from(&self, address: IpAddr) -> bool {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        failures.retain(|_, (_, since)| now.duration_since(*since) < FAILURE_WINDOW);
        let (count, _) = failures.entry(address).or_insert((0, now));
        *count += 1;
        *count > FAILURES_ALLOWED
    }

    /// True when `address` failed too often lately.
    fn blocked(&self, address: IpAddr) -> bool {
        let failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.get(&address).is_some_and(|(count, since)| {
            *count >= FAILURES_ALLOWED && since.elapsed() < FAILURE_WINDOW
        })
    }
}

/// The session token from the request's cookies.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// Who sent the request: the peer, or, when the peer is a proxy on this machine, the last
/// address it added to `X-Forwarded-For`.
fn client_address(peer: &ConnectInfo<SocketAddr>, headers: &HeaderMap) -> IpAddr {
    let peer = peer.0.ip();
    if !peer.is_loopback() {
        return peer;
    }
    headers
        .get("x-forwarded-for")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}

/// Compares two CSRF tokens without stopping at the first difference.
fn same_token(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}
