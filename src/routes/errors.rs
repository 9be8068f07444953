//! Renders errors for the kind of client a route serves: HTML pages for browsers,
//! problem+json for programs. Errors raised by layers outside the handlers (router 404
//! and 405, body limit, origin check) arrive without a body and are given one here too.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::HttpBody;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::error::{AppError, PROBLEM_TYPES, Problem};
use crate::i18n::Language;
use crate::state::AppState;
use crate::web::Page;
use crate::web::Path;

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    title: String,
    detail: String,
    /// Where the user can try again: the form whose post was refused.
    back_to: Option<&'static str>,
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// `GET /problems/{slug}`: what a problem+json `type` means, for the people who follow it,
/// in the browser's language. Cached by anyone, so it holds nothing of a session: no form
/// token, nobody signed in.
pub async fn problem_type(headers: HeaderMap, Path(slug): Path<String>) -> Result<Response, AppError> {
    PROBLEM_TYPES.iter().find(|known| **known == slug).ok_or(AppError::NotFound)?;
    let accept_language = headers.get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok());
    let lang = Language::choose(None, accept_language);
    let (title, detail) = (lang.t(&format!("problem-{slug}")), lang.t(&format!("problem-type-{slug}")));
    let page = ErrorPage { page: Page { lang, ..Page::default() }, title, detail, back_to: None };
    let caching = [(header::CACHE_CONTROL, "public, max-age=86400"), (header::VARY, "Accept-Language")];
    Ok((caching, page).into_response())
}

/// The page that holds the form a refused post came from (a form expired, a budget spent).
fn form_page(method: &Method, path: &str) -> Option<&'static str> {
    if *method == Method::GET || *method == Method::HEAD {
        return None;
    }
    Some(match path {
        "/login" => "/login",
        "/register" => "/register",
        "/forgot-password" => "/forgot-password",
        "/resend-verification" => "/login",
        "/account/password" | "/account/email" => "/account/settings",
        "/account/delete" => "/account/delete",
        path if path.starts_with("/account/sessions") => "/account/sessions",
        path if path.starts_with("/account/tokens") => "/account/tokens",
        path if path.starts_with("/account") => "/account",
        _ => "/",
    })
}

/// The problem a response describes, if it is an error this module should render.
fn problem_of(response: &Response) -> Option<Problem> {
    if let Some(problem) = response.extensions().get::<Problem>() {
        return Some(problem.clone());
    }
    let status = response.status();
    let bodiless = response.body().size_hint().exact() == Some(0);
    // Layers (the body limit, for one) answer in plain text; ours never do.
    let plain_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|content_type| content_type.as_bytes().starts_with(b"text/plain"));
    ((bodiless || plain_text) && (status.is_client_error() || status.is_server_error()))
        .then(|| Problem::for_status(status))
}

/// Inside the sessions, leaves the page header (who is signed in) with an error response
/// that has none, so the page [`html`] renders for it outside shows the header of every
/// other page. Only errors pay for reading the user; a user that cannot be read (the
/// database is away) leaves the signed-out header.
pub async fn keep_page_header(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let mut kept = parts.clone();
    let mut response = next.run(Request::from_parts(parts, body)).await;
    let status = response.status();
    let shown_as_page = status != StatusCode::UNAUTHORIZED && (status.is_client_error() || status.is_server_error());
    if shown_as_page
        && response.extensions().get::<Page>().is_none()
        && let Ok(page) = Page::from_request_parts(&mut kept, &state).await
    {
        response.extensions_mut().insert(page);
    }
    response
}

pub async fn html(request: Request, next: Next) -> Response {
    // After logging in, come back here; a form post cannot be replayed, so its page is the account.
    let back_to = form_page(request.method(), request.uri().path());
    let target = match *request.method() {
        Method::GET | Method::HEAD => {
            request.uri().path_and_query().map_or_else(|| "/".into(), |pq| pq.as_str().to_owned())
        }
        _ => "/account".to_owned(),
    };
    let response = next.run(request).await;
    let Some(problem) = problem_of(&response) else { return response };
    if problem.status == StatusCode::UNAUTHORIZED.as_u16() {
        return sign_in_first(&target);
    }
    let (mut parts, _) = response.into_parts();
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let back_to = back_to.filter(|_| matches!(status, StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS));
    // A handler that knows who is signed in leaves its page's header with the error.
    let header = parts.extensions.get::<Page>().cloned().unwrap_or_default();
    let retry_after = parts.headers.get(header::RETRY_AFTER).and_then(|value| value.to_str().ok()?.parse().ok());
    let (title, detail) = in_words(header.lang, &problem, retry_after);
    let page = ErrorPage { page: header, title, detail, back_to };
    let mut page = page.into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    *page.headers_mut() = parts.headers;
    *page.status_mut() = parts.status;
    page
}

/// Characters that can not stand as they are in a query value; `/` can, which keeps
/// `/login?next=/account` readable.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'>')
    .add(b'=')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

fn sign_in_first(target: &str) -> Response {
    let next = utf8_percent_encode(target, QUERY_VALUE);
    Redirect::to(&format!("/login?next={next}")).into_response()
}

/// Gives every API error a problem+json body. A plain function for `map_response`: it
/// needs no request, and axum middleware would box and clone the stack per request.
pub fn problem_json(response: Response) -> Response {
    let mut response = match problem_of(&response) {
        Some(problem) if response.extensions().get::<Problem>().is_none() => problem.to_json_response(response),
        _ => response,
    };
    crate::web::api_caller::add_challenge(&mut response);
    response
}

/// The problem's title and detail in the page's language: the detail's own words when it
/// was given as a key, else the general words of its kind (and the wait before another
/// attempt); a detail written out for this one error stays as the handler wrote it.
fn in_words(lang: Language, problem: &Problem, retry_after: Option<u64>) -> (String, String) {
    let slug = problem.kind.trim_start_matches("/problems/");
    let title_key = format!("problem-{slug}");
    if !Language::knows(&title_key) {
        return (problem.title.to_owned(), problem.detail.clone());
    }
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let general = problem.detail == Problem::for_status(status).detail || slug == "unavailable";
    let detail = match (problem.detail_key.as_deref(), slug, retry_after) {
        (Some(key), ..) => lang.t(key),
        (None, "too-many-requests", Some(secs)) if secs >= 120 => {
            lang.count("problem-wait-minutes", "count", secs.div_ceil(60) as i64)
        }
        (None, "too-many-requests", Some(secs)) => lang.count("problem-wait-seconds", "count", secs as i64),
        _ if general => lang.t(&format!("{title_key}-detail")),
        _ => problem.detail.clone(),
    };
    (lang.t(&title_key), detail)
}
