//! "My log": a page of entries with search and filters, editing and deleting one entry (each
//! a POST with the CSRF token), and the export files.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Web, layout, same_token};
use crate::content::Mode;
use crate::error::Error;
use crate::mentor::ExportFormat;
use crate::mentor::web::{LogPage, Visitor, WebEntry};
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

#[derive(Deserialize)]
pub struct EntryForm {
    csrf: String,
    text: String,
    mode: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub fn forged() -> Response {
    layout::problem(
        StatusCode::FORBIDDEN,
        "This form has expired",
        "It came from an older page or another site. Open the page again and repeat the change.",
    )
}

/// The signed-in visitor, or the page to show instead.
async fn visitor_or_page(web: &Web, headers: &HeaderMap) -> Result<Visitor, Response> {
    match web.visitor(headers).await {
        Ok(Some(visitor)) => Ok(visitor),
        Ok(None) => Err(layout::signed_out()),
        Err(error) => Err(layout::failure(&error)),
    }
}

fn date(text: &str, field: &str) -> Result<Option<i64>, Response> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|midnight| Some(midnight.and_utc().timestamp()))
        .ok_or_else(|| {
            layout::problem(
                StatusCode::BAD_REQUEST,
                "I could not read that date",
                &format!("The {field} date should look like 2026-12-31."),
            )
        })
}

fn filter_of(search: &Search) -> Result<LogFilter, Response> {
    let mode = match search.mode.trim() {
        "" => None,
        other => Some(Mode::parse(other).ok_or_else(|| {
            layout::problem(
                StatusCode::BAD_REQUEST,
                "Unknown mode",
                "Choose management, leadership or any.",
            )
        })?),
    };
    let about = match search.about.split_once(':') {
        None if search.about.trim().is_empty() => None,
        Some(("prompt", id)) if !id.is_empty() => Some(About::Prompt(id.to_string())),
        Some(("challenge", id)) => match id.parse() {
            Ok(id) => Some(About::Challenge(id)),
            Err(_) => None,
        },
        _ => None,
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
    Query(search): Query<Search>,
) -> Response {
    let visitor = match visitor_or_page(&web, &headers).await {
        Ok(visitor) => visitor,
        Err(page) => return page,
    };
    let filter = match filter_of(&search) {
        Ok(filter) => filter,
        Err(page) => return page,
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

fn entry_card(entry: &WebEntry) -> Markup {
    html! {
        article.entry id=(format!("entry-{}", entry.id)) {
            header {
                span.number { "#" (entry.number) }
                " · " time datetime=(entry.date) { (entry.day) }
                " · " span class=(format!("mode {}", entry.mode.as_str())) { (entry.mode.as_str()) }
                @if !entry.stated { " " span.quiet { "(suggested)" } }
            }
            @if let Some(question) = &entry.question { p.question { "Q: " (question) } }
            @if let Some(challenge) = &entry.challenge { p.question { "Challenge: " (challenge) } }
            p.text { (entry.text) }
            p.actions {
                a.edit href=(format!("/entries/{}/edit", entry.id)) { "Edit" span.hidden { " entry #" (entry.number) } }
                " "
                a.delete href=(format!("/entries/{}/delete", entry.id)) { "Delete" span.hidden { " entry #" (entry.number) } }
            }
        }
    }
}

fn edit_form(
    visitor: &Visitor,
    entry: &WebEntry,
    text: &str,
    mode: &str,
    error: Option<&str>,
) -> Markup {
    html! {
        h1 { "Edit entry #" (entry.number) }
        p.quiet { "Written " (entry.day) "." }
        @if let Some(question) = &entry.question { p.question { "Q: " (question) } }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form #edit method="post" action=(format!("/entries/{}", entry.id)) {
            input type="hidden" name="csrf" value=(visitor.csrf);
            label for="text" { "Your reflection" }
            textarea #text name="text" rows="8" required maxlength="4000" { (text) }
            label for="mode" { "Mode" }
            select #mode name="mode" {
                option value="management" selected[mode == "management"] { "Management" }
                option value="leadership" selected[mode == "leadership"] { "Leadership" }
            }
            button #save type="submit" { "Save" }
            " " a href="/log" { "Cancel" }
        }
    }
}

pub async fn edit(State(web): State<Web>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let visitor = match visitor_or_page(&web, &headers).await {
        Ok(visitor) => visitor,
        Err(page) => return page,
    };
    let Ok(id) = id.parse::<i64>() else {
        return layout::not_found();
    };
    match web.mentor.web_entry(&visitor, id).await {
        Ok(Some(entry)) => {
            let body = edit_form(&visitor, &entry, &entry.text, entry.mode.as_str(), None);
            layout::page(&visitor, "Edit an entry", body).into_response()
        }
        Ok(None) => layout::not_found(),
        Err(error) => layout::failure(&error),
    }
}

pub async fn save(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<EntryForm>,
) -> Response {
    let visitor = match visitor_or_page(&web, &headers).await {
        Ok(visitor) => visitor,
        Err(page) => return page,
    };
    if !same_token(&form.csrf, &visitor.csrf) {
        return forged();
    }
    let Ok(id) = id.parse::<i64>() else {
        return layout::not_found();
    };
    let entry = match web.mentor.web_entry(&visitor, id).await {
        Ok(Some(entry)) => entry,
        Ok(None) => return layout::not_found(),
        Err(error) => return layout::failure(&error),
    };
    let Some(mode) = Mode::parse(&form.mode) else {
        return layout::problem(
            StatusCode::BAD_REQUEST,
            "Unknown mode",
            "Choose management or leadership.",
        );
    };
    match web.mentor.web_edit(&visitor, id, &form.text, mode).await {
        Ok(true) => Redirect::to(&format!("/log?done=saved#entry-{id}")).into_response(),
        Ok(false) => layout::not_found(),
        // The text comes back in the form, so nothing typed is lost.
        Err(Error::User(message)) => {
            let body = edit_form(&visitor, &entry, &form.text, &form.mode, Some(&message));
            (
                StatusCode::BAD_REQUEST,
                layout::page(&visitor, "Edit an entry", body),
            )
                .into_response()
        }
        Err(error) => layout::failure(&error),
    }
}

pub async fn confirm_delete(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let visitor = match visitor_or_page(&web, &headers).await {
        Ok(visitor) => visitor,
        Err(page) => return page,
    };
    let Ok(id) = id.parse::<i64>() else {
        return layout::not_found();
    };
    let entry = match web.mentor.web_entry(&visitor, id).await {
        Ok(Some(entry)) => entry,
        Ok(None) => return layout::not_found(),
        Err(error) => return layout::failure(&error),
    };
    let body = html! {
        h1 { "Delete entry #" (entry.number) "?" }
        (entry_card(&entry))
        p { "Deleting cannot be undone. Your balance and streak will count without it." }
        form #delete method="post" action=(format!("/entries/{}/delete", entry.id)) {
            input type="hidden" name="csrf" value=(visitor.csrf);
            button #confirm-delete.danger type="submit" { "Delete it" }
            " " a href="/log" { "Keep it" }
        }
    };
    layout::page(&visitor, "Delete an entry", body).into_response()
}

pub async fn delete(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let visitor = match visitor_or_page(&web, &headers).await {
        Ok(visitor) => visitor,
        Err(page) => return page,
    };
    if !same_token(&form.csrf, &visitor.csrf) {
        return forged();
    }
    let Ok(id) = id.parse::<i64>() else {
        return layout::not_found();
    };
    match web.mentor.web_delete(&visitor, id).await {
        Ok(true) => Redirect::to("/log?done=deleted").into_response(),
        Ok(false) => layout::not_found(),
        Err(error) => layout::failure(&error),
    }
}

/// `mentorbot-log.md`, `.json` or `.csv`; any other name is not found.
pub async fn export(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Response {
    let visitor = match visitor_or_page(&web, &headers).await {
        Ok(visitor) => visitor,
        Err(page) => return page,
    };
    let format = match name.as_str() {
        "mentorbot-log.md" => ExportFormat::Markdown,
        "mentorbot-log.json" => ExportFormat::Json,
        "mentorbot-log.csv" => ExportFormat::Csv,
        _ => return layout::not_found(),
    };
    match web.mentor.web_export(&visitor, format).await {
        Ok(file) => {
            let mut response = file.data.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            );
            let disposition = format!("attachment; filename=\"{}\"", file.filename);
            if let Ok(value) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(error) => layout::failure(&error),
    }
}
