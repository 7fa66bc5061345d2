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
/// Addresses whose failures are remembered at once, so a flood cannot grow the table.
const TRACKED_ADDRESSES: usize = 10_000;
/// The longest query string read; longer ones get a clear page.
const LONGEST_QUERY: usize = 2048;

/// What every handler shares.
#[derive(Clone)]
pub struct Web {
    mentor: Mentor,
    /// The public URL is https: cookies get `Secure`.
    secure: bool,
    /// The public URL's origin (`https://host[:port]`), which a browser's POST must come from.
    origin: String,
    failures: Arc<Mutex<HashMap<IpAddr, (u32, Instant)>>>,
}

/// The web view's routes, to merge into the HTTP server.
pub fn routes(mentor: Mentor, public_url: &str) -> Router {
    let origin = reqwest::Url::parse(public_url)
        .map(|url| url.origin().ascii_serialization())
        .unwrap_or_default();
    let web = Web {
        mentor,
        secure: public_url.starts_with("https://"),
        origin,
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
        .layer(middleware::from_fn_with_state(web.clone(), guard))
        .with_state(web)
}

/// Headers on every response; before any handler, a refusal of oversized query strings and
/// of a browser's POST from another site (its own pages' forms come from the same origin).
async fn guard(State(web): State<Web>, request: Request, next: Next) -> Response {
    let oversized = request
        .uri()
        .query()
        .is_some_and(|query| query.len() > LONGEST_QUERY);
    let static_file = request.uri().path().starts_with("/static/");
    let mut response = if oversized {
        layout::problem(
            StatusCode::URI_TOO_LONG,
            "That address is too long",
            "Search with fewer words, or start again from your log.",
        )
    } else if request.method() == axum::http::Method::POST
        && !from_this_site(request.headers(), &web.origin)
    {
        entries::forged()
    } else {
        next.run(request).await
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
        if failures.len() >= TRACKED_ADDRESSES {
            failures.retain(|_, (_, since)| now.duration_since(*since) < FAILURE_WINDOW);
        }
        if failures.len() >= TRACKED_ADDRESSES {
            // Under a flood of addresses, forget the oldest half rather than grow.
            let mut times: Vec<Instant> = failures.values().map(|(_, since)| *since).collect();
            times.sort();
            let cut = times[times.len() / 2];
            failures.retain(|_, (_, since)| *since > cut);
        }
        let (count, since) = failures.entry(address).or_insert((0, now));
        if now.duration_since(*since) >= FAILURE_WINDOW {
            *count = 0;
            *since = now;
        }
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

/// Who sent the request, for the sign-in limit: the peer, or, when the peer is a proxy on this
/// machine or a private network (a reverse proxy or an ingress), the last address it added to
/// `X-Forwarded-For`. IPv6 addresses count by their /64, which one host usually holds whole.
fn client_address(peer: &ConnectInfo<SocketAddr>, headers: &HeaderMap) -> IpAddr {
    let peer = peer.0.ip();
    let behind_proxy = match peer {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
        IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
    };
    let client = match behind_proxy {
        true => headers
            .get("x-forwarded-for")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .and_then(|last| last.trim().parse().ok())
            .unwrap_or(peer),
        false => peer,
    };
    match client {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// False when a browser says the request comes from another site: by `Sec-Fetch-Site`, or by
/// an `Origin` other than the public URL's. Under `Referrer-Policy: no-referrer` a browser's
/// own form posts say `Origin: null`, so that value leaves the verdict to `Sec-Fetch-Site`.
/// Clients that send neither are let through; the CSRF token (and for sign-in, the one-time
/// link) still guards them.
fn from_this_site(headers: &HeaderMap, origin: &str) -> bool {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let fetched_here = header("sec-fetch-site").is_none_or(|site| site == "same-origin");
    let origin_here = header("origin").is_none_or(|given| given == origin || given == "null");
    fetched_here && origin_here
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
