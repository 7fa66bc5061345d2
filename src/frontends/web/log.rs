//! "My log": a page of entries, newest first, with search by words and filters by mode, dates
//! and prompt or challenge; bad input gets a page that says what to fix.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::entries::{entry_card, visitor_or_page};
use super::{Web, layout};
use crate::content::Mode;
use crate::mentor::web::LogPage;
use crate::store::{About, LogFilter};

/// The log's query string, as typed; empty fields mean "any".
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Search {
    #[serde(default)]
    q: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    about: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: String,
}

/// A search that cannot be read: what to call the problem and how to fix it.
struct BadSearch {
    title: &'static str,
    explanation: String,
}

fn date(text: &str, field: &str) -> Result<Option<i64>, BadSearch> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|midnight| Some(midnight.and_utc().timestamp()))
        .ok_or_else(|| BadSearch {
            title: "I could not read that date",
            explanation: format!("The {field} date should look like 2026-12-31."),
        })
}

fn filter_of(search: &Search) -> Result<LogFilter, BadSearch> {
    let mode = match search.mode.trim() {
        "" => None,
        other => Some(Mode::parse(other).ok_or_else(|| BadSearch {
            title: "Unknown mode",
            explanation: "Choose management, leadership or any.".to_string(),
        })?),
    };
    let unknown = || BadSearch {
        title: "Unknown choice",
        explanation: "Choose a prompt or a challenge from the list, or anything.".into(),
    };
    let about = match search.about.split_once(':') {
        None if search.about.trim().is_empty() => None,
        Some(("prompt", id)) if !id.is_empty() => Some(About::Prompt(id.to_string())),
        Some(("challenge", id)) => Some(About::Challenge(id.parse().map_err(|_| unknown())?)),
        _ => return Err(unknown()),
    };
    let day = 24 * 3600;
    Ok(LogFilter {
        words: search
            .q
            .split_whitespace()
            .take(10)
            .map(|word| word.chars().take(100).collect())
            .collect(),
        mode,
        from: date(&search.from, "first")?,
        until: date(&search.to, "last")?.map(|last| last + day),
        about,
    })
}

pub async fn log(
    State(web): State<Web>,
    headers: HeaderMap,
    search: Result<Query<Search>, QueryRejection>,
) -> Response {
    let Query(search) = match search {
        Ok(search) => search,
        Err(rejection) => return layout::unreadable(rejection.status()),
    };
    let visitor = match visitor_or_page(&web, &headers).await {
        Ok(visitor) => visitor,
        Err(page) => return page,
    };
    let filter = match filter_of(&search) {
        Ok(filter) => filter,
        Err(bad) => return layout::problem(StatusCode::BAD_REQUEST, bad.title, &bad.explanation),
    };
    match web
        .mentor
        .web_log(&visitor, &filter, search.page.unwrap_or(1))
        .await
    {
        Ok(page) => layout::page(&visitor, "My log", log_body(&page, &search)).into_response(),
        Err(error) => layout::failure(&error),
    }
}

fn log_body(page: &LogPage, search: &Search) -> Markup {
    let selected = |value: &str, current: &str| value == current;
    let link = |to: i64| {
        let query = serde_urlencoded::to_string([
            ("q", search.q.as_str()),
            ("mode", search.mode.as_str()),
            ("from", search.from.as_str()),
            ("to", search.to.as_str()),
            ("about", search.about.as_str()),
            ("page", &to.to_string()),
        ])
        .unwrap_or_default();
        format!("/log?{query}")
    };
    html! {
        h1 { "My log" }
        @match search.done.as_str() {
            "saved" => p.notice role="status" { "Saved." },
            "deleted" => p.notice role="status" { "Deleted." },
            _ => {},
        }
        form #search method="get" action="/log" role="search" {
            div.field {
                label for="q" { "Words" }
                input #q type="search" name="q" value=(search.q) maxlength="200";
            }
            div.field {
            label for="mode" { "Mode" }
            select #mode name="mode" {
                option value="" selected[selected("", &search.mode)] { "Any" }
                option value="management" selected[selected("management", &search.mode)] { "Management" }
                option value="leadership" selected[selected("leadership", &search.mode)] { "Leadership" }
            }
            }
            div.field {
                label for="from" { "From" }
                input #from type="date" name="from" value=(search.from);
            }
            div.field {
                label for="to" { "To" }
                input #to type="date" name="to" value=(search.to);
            }
            div.field {
            label for="about" { "About" }
            select #about name="about" {
                option value="" { "Anything" }
                @for (id, question) in &page.prompts {
                    @let value = format!("prompt:{id}");
                    option value=(value) selected[selected(&value, &search.about)] { "Prompt: " (question) }
                }
                @for (id, title) in &page.challenges {
                    @let value = format!("challenge:{id}");
                    option value=(value) selected[selected(&value, &search.about)] { "Challenge: " (title) }
                }
            }
            }
            button #search-button type="submit" { "Search" }
        }
        p.count { (page.matching) " " (if page.matching == 1 { "entry" } else { "entries" }) ". Page " (page.page) " of " (page.pages) "." }
        @for entry in &page.entries { (entry_card(entry)) }
        nav.pages aria-label="More entries" {
            @if page.page > 1 { a rel="prev" href=(link(page.page - 1)) { "Newer" } }
            @if page.page < page.pages { a rel="next" href=(link(page.page + 1)) { "Older" } }
        }
        section.exports {
            h2 { "Export" }
            p { "Your whole log, as in the chat's /export:" }
            ul {
                li { a #export-md href="/export/mentorbot-log.md" download { "Markdown" } }
                li { a #export-json href="/export/mentorbot-log.json" download { "JSON" } }
                li { a #export-csv href="/export/mentorbot-log.csv" download { "CSV" } }
            }
        }
    }
}
