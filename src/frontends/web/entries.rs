//! One entry on the web: editing it, deleting it (each a POST with the CSRF token), and the
//! export files.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::{Web, layout, same_token};
use crate::content::Mode;
use crate::error::Error;
use crate::mentor::ExportFormat;
use crate::mentor::web::{Visitor, WebEntry};

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
pub(super) async fn visitor_or_page(web: &Web, headers: &HeaderMap) -> Result<Visitor, Response> {
    match web.visitor(headers).await {
        Ok(Some(visitor)) => Ok(visitor),
        Ok(None) => Err(layout::signed_out()),
        Err(error) => Err(layout::failure(&error)),
    }
}

pub(super) fn entry_card(entry: &WebEntry) -> Markup {
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

/// The signed-in visitor and their entry `id`, or the page to show instead: signed out, or
/// not found (also for anyone else's entry).
async fn owned(web: &Web, headers: &HeaderMap, id: &str) -> Result<(Visitor, WebEntry), Response> {
    let visitor = visitor_or_page(web, headers).await?;
    let Ok(id) = id.parse::<i64>() else {
        return Err(layout::not_found());
    };
    match web.mentor.web_entry(&visitor, id).await {
        Ok(Some(entry)) => Ok((visitor, entry)),
        Ok(None) => Err(layout::not_found()),
        Err(error) => Err(layout::failure(&error)),
    }
}

pub async fn edit(State(web): State<Web>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    match owned(&web, &headers, &id).await {
        Ok((visitor, entry)) => {
            let body = edit_form(&visitor, &entry, &entry.text, entry.mode.as_str(), None);
            layout::page(&visitor, "Edit an entry", body).into_response()
        }
        Err(page) => page,
    }
}

pub async fn save(
    State(web): State<Web>,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Form<EntryForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return layout::unreadable(rejection.status()),
    };
    let (visitor, entry) = match owned(&web, &headers, &id).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    if !same_token(&form.csrf, &visitor.csrf) {
        return forged();
    }
    let Some(mode) = Mode::parse(&form.mode) else {
        return layout::problem(
            StatusCode::BAD_REQUEST,
            "Unknown mode",
            "Choose management or leadership.",
        );
    };
    match web
        .mentor
        .web_edit(&visitor, entry.id, &form.text, mode)
        .await
    {
        Ok(true) => Redirect::to(&format!("/log?done=saved#entry-{}", entry.id)).into_response(),
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
    let (visitor, entry) = match owned(&web, &headers, &id).await {
        Ok(found) => found,
        Err(page) => return page,
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
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let form = match form {
        Ok(Form(form)) => form,
        Err(rejection) => return layout::unreadable(rejection.status()),
    };
    let (visitor, entry) = match owned(&web, &headers, &id).await {
        Ok(found) => found,
        Err(page) => return page,
    };
    if !same_token(&form.csrf, &visitor.csrf) {
        return forged();
    }
    match web.mentor.web_delete(&visitor, entry.id).await {
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
