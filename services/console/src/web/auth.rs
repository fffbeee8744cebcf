//! Signing in and out: the provider's login page does the signing in; the console keeps a
//! session for the officer and ends it here and at the provider.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{
    Page, PageError, SESSION_COOKIE, SIGN_IN_COOKIE, Section, cookie_value, render, set_cookie,
};

#[derive(Deserialize)]
pub struct SignIn {
    #[serde(default)]
    return_to: String,
}

/// Only a path of this console: anything else returns to the home page.
fn local_path(path: &str) -> &str {
    if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') {
        path
    } else {
        "/"
    }
}

pub async fn sign_in(
    State(state): State<super::State>,
    Query(query): Query<SignIn>,
) -> Result<Response, PageError> {
    let (sign_in, url) = state
        .sessions
        .begin(local_path(&query.return_to))
        .await
        .map_err(|e| PageError::Unavailable(e.to_string()))?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(SIGN_IN_COOKIE, &sign_in, 15 * 60),
        )],
        Redirect::to(&url),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Callback {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: String,
}

pub async fn callback(
    State(state): State<super::State>,
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Result<Response, PageError> {
    // The provider's answer counts only in the browser that started this sign-in.
    if !answer.error.is_empty()
        || answer.state.is_empty()
        || cookie_value(&headers, SIGN_IN_COOKIE).as_deref() != Some(answer.state.as_str())
    {
        return Err(PageError::SignIn("/".into()));
    }
    let (secret, return_to) = state
        .sessions
        .finish(&answer.state, &answer.code)
        .await
        .map_err(|e| PageError::from_session(e, "/"))?;
    let mut response = Redirect::to(local_path(&return_to)).into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &secret, 12 * 3600),
    );
    headers.append(header::SET_COOKIE, set_cookie(SIGN_IN_COOKIE, "", 0));
    Ok(response)
}

/// Ends the session here, then at the provider, which returns the browser to
/// `/signed-out`.
pub async fn sign_out(State(state): State<super::State>, headers: HeaderMap) -> Response {
    let id_token = match cookie_value(&headers, SESSION_COOKIE) {
        Some(secret) => state.sessions.end(&secret).await.ok().flatten(),
        None => None,
    };
    let next = match id_token {
        Some(id_token) => state
            .sessions
            .provider_sign_out(&id_token)
            .await
            .unwrap_or_else(|| "/signed-out".into()),
        None => "/signed-out".into(),
    };
    (
        [(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0))],
        Redirect::to(&next),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "signed_out.html")]
struct SignedOut<'a> {
    page: Page<'a>,
    message: &'static str,
}

pub async fn signed_out() -> Response {
    render(&SignedOut {
        page: Page::new("You have signed out", None, Section::None),
        message: "Your session has ended on this device.",
    })
}
