//! Signing in through a one-time link and out again. The link's page asks for a click before
//! it uses the link, so a chat app's link preview cannot spend it.

use std::net::SocketAddr;

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{DOCTYPE, html};
use serde::Deserialize;

use super::{COOKIE, Web, client_address, layout, same_token, session_cookie};
use crate::mentor::web::SESSION_HOURS;

#[derive(Deserialize)]
pub struct SignInForm {
    token: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

fn too_many() -> Response {
    layout::problem(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many sign-in attempts",
        "Links from this address failed too often. Wait ten minutes, then ask mentorbot for a new link.",
    )
}

fn link_gone() -> Response {
    layout::problem(
        StatusCode::NOT_FOUND,
        "This sign-in link does not work",
        "A link works once, for ten minutes. Ask mentorbot for a new one with /web.",
    )
}

pub async fn page(
    State(web): State<Web>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let address = client_address(&peer, &headers);
    if web.blocked(address) {
        return too_many();
    }
    match web.mentor.link_usable(&token).await {
        Ok(true) => {}
        Ok(false) => {
            web.failed_from(address);
            return link_gone();
        }
        Err(error) => return layout::failure(&error),
    }
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Sign in · mentorbot" }
                link rel="stylesheet" href="/static/style.css";
            }
            body {
                main #main.narrow {
                    h1 { "Your mentorbot pages" }
                    p { "Your development log, your progress and, if you lead a team, its view. Only you can see them." }
                    form method="post" action="/signin" {
                        input type="hidden" name="token" value=(token);
                        button #sign-in type="submit" { "Sign in" }
                    }
                    p.quiet { "The link works once. You stay signed in for " (SESSION_HOURS) " hours, or until you sign out." }
                }
            }
        }
    };
    markup.into_response()
}

pub async fn submit(
    State(web): State<Web>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    let Form(form) = match form {
        Ok(form) => form,
        Err(rejection) => return layout::unreadable(rejection.status()),
    };
    let address = client_address(&peer, &headers);
    if web.blocked(address) {
        return too_many();
    }
    let signed_in = match web.mentor.sign_in(&form.token).await {
        Ok(Some(signed_in)) => signed_in,
        Ok(None) => {
            web.failed_from(address);
            return link_gone();
        }
        Err(error) => return layout::failure(&error),
    };
    let secure = if web.secure { "; Secure" } else { "" };
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        signed_in.token,
        SESSION_HOURS * 3600
    );
    let mut response = Redirect::to("/log").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

pub async fn sign_out(
    State(web): State<Web>,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let Form(form) = match form {
        Ok(form) => form,
        Err(rejection) => return layout::unreadable(rejection.status()),
    };
    let visitor = match web.visitor(&headers).await {
        Ok(Some(visitor)) => visitor,
        Ok(None) => return layout::signed_out(),
        Err(error) => return layout::failure(&error),
    };
    if !same_token(&form.csrf, &visitor.csrf) {
        return super::entries::forged();
    }
    if let Some(token) = session_cookie(&headers)
        && let Err(error) = web.mentor.sign_out(&token).await
    {
        return layout::failure(&error);
    }
    let mut response = Redirect::to("/").into_response();
    let secure = if web.secure { "; Secure" } else { "" };
    let cleared = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}");
    if let Ok(value) = HeaderValue::from_str(&cleared) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
