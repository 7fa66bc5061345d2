//! The frame every page shares (navigation, sign-out, footer), the stylesheet, and the pages
//! that say something went wrong: not found, signed out, bad input, an internal error.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use crate::error::Error;
use crate::frontends::error_text;
use crate::mentor::web::Visitor;

const STYLE: &str = include_str!("style.css");

pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// A page for a signed-in member: navigation, the page, and who is signed in until when.
pub fn page(visitor: &Visitor, title: &str, body: Markup) -> Markup {
    let until = chrono::DateTime::from_timestamp(visitor.expires_at, 0)
        .map(|t| t.format("%-d %b %H:%M UTC").to_string())
        .unwrap_or_default();
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a.skip href="#main" { "Skip to the page" }
                header.site {
                    nav aria-label="Pages" {
                        a #nav-log href="/log" { "My log" }
                        a #nav-progress href="/progress" { "My progress" }
                        @for (i, team) in visitor.teams.iter().enumerate() {
                            a id=(format!("nav-team-{i}")) href=(format!("/team/{team}")) {
                                "My team"
                                @if visitor.teams.len() > 1 { " " (i + 1) }
                            }
                        }
                    }
                    form.signout method="post" action="/signout" {
                        input type="hidden" name="csrf" value=(visitor.csrf);
                        button #sign-out type="submit" { "Sign out" }
                    }
                }
                main #main { (body) }
                footer.site {
                    p { "Signed in as " (visitor.member.display_name) " until " (until) ". Only you can see these pages." }
                }
            }
        }
    }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="referrer" content="no-referrer";
            title { (title) " · mentorbot" }
            link rel="stylesheet" href="/static/style.css";
        }
    }
}

/// A page for someone not signed in, or a problem, with no navigation.
fn bare(status: StatusCode, title: &str, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body { main #main.narrow { (body) } }
        }
    };
    (status, markup).into_response()
}

pub fn not_found() -> Response {
    bare(
        StatusCode::NOT_FOUND,
        "Not found",
        html! {
            h1 #not-found { "Not found" }
            p { "There is nothing here, or nothing you can see." }
            p { a href="/log" { "Back to your log" } }
        },
    )
}

/// For a page that needs a session: how to get one.
pub fn signed_out() -> Response {
    bare(
        StatusCode::UNAUTHORIZED,
        "Signed out",
        html! {
            h1 #signed-out { "You are not signed in" }
            p { "Ask mentorbot for a link: " code { "/web" } " on Discord, " code { "/mentor web" } " on Slack, or " code { "/web" } " in the terminal. Each link works once, for ten minutes." }
        },
    )
}

/// Bad input: what was wrong and where to go; nothing was changed.
pub fn problem(status: StatusCode, title: &str, explanation: &str) -> Response {
    bare(
        status,
        title,
        html! {
            h1 #problem { (title) }
            p { (explanation) }
            p { "Nothing was changed. " a href="/log" { "Back to your log" } }
        },
    )
}

/// A form or query string that could not be read (too long, a field missing or malformed).
pub fn unreadable(status: StatusCode) -> Response {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => problem(
            status,
            "That is too long to send",
            "A form may carry 64 KiB; an entry may hold 4,000 characters.",
        ),
        _ => problem(
            StatusCode::BAD_REQUEST,
            "That could not be read",
            "Part of the form or the address is missing or malformed. Open the page again and retry.",
        ),
    }
}

/// An error: the member's own mistake in plain words, or an apology with the log's error id.
pub fn failure(error: &Error) -> Response {
    let status = match error {
        Error::User(_) => StatusCode::BAD_REQUEST,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    problem(
        status,
        "That did not work",
        &error_text(error, "serving a web page"),
    )
}
