//! `/admin/events`: the security log of every account, newest first, a page at a time,
//! narrowed to one account (by address or id) and/or one kind of event.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::EventRow;
use crate::admin::search::{PAGE_SIZE, PageNumber};
use crate::domain::Email;
use crate::error::Result;
use crate::state::AppState;
use crate::store::events::{self, ALL_KINDS, EventKind};
use crate::store::users;
use crate::web::guard::Privileged;
use crate::web::{Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "admin/events.html")]
pub struct EventsPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    /// The filters as typed, to fill the form again.
    user: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    error: Option<&'static str>,
    events: Vec<EventRow>,
    page_number: u32,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    user: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    page: String,
}

/// Who the log is narrowed to.
enum UserFilter {
    Everyone,
    Account(i64),
    /// A well-formed address no account has: an empty log, not an error.
    NoSuchAccount,
}

async fn user_filter(state: &AppState, typed: &str) -> Result<Result<UserFilter, &'static str>> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(Ok(UserFilter::Everyone));
    }
    if let Ok(id) = typed.parse::<i64>() {
        return Ok(Ok(UserFilter::Account(id)));
    }
    let Ok(email) = Email::parse(typed) else { return Ok(Err("admin-error-account")) };
    let found = users::find_by_email(state.store().pool(), &email).await?;
    Ok(Ok(found.map_or(UserFilter::NoSuchAccount, |user| UserFilter::Account(user.id))))
}

fn page_link(query: &EventsQuery, number: PageNumber) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("user", &query.user)
        .append_pair("kind", &query.kind)
        .append_pair("page", &number.to_string())
        .finish();
    format!("/admin/events?{query}")
}

pub async fn events_page(
    State(state): State<AppState>,
    _admin: Privileged,
    page: Page,
    Query(query): Query<EventsQuery>,
) -> Result<Response> {
    let mut view = EventsPage {
        page,
        section: "/admin/events",
        notice: None,
        user: query.user.clone(),
        kind: query.kind.clone(),
        kinds: ALL_KINDS.iter().map(|kind| (kind.as_str(), EventKind::describe(kind.as_str()))).collect(),
        error: None,
        events: Vec::new(),
        page_number: 1,
        previous: None,
        next: None,
    };
    let kind = match query.kind.as_str() {
        "" => Ok(None),
        typed => EventKind::parse(typed).map(Some).ok_or("admin-error-kind"),
    };
    let number = PageNumber::parse(&query.page).map_err(|_| "admin-error-page");
    let (user, kind, number) = match (user_filter(&state, &query.user).await?, kind, number) {
        (Ok(user), Ok(kind), Ok(number)) => (user, kind, number),
        (Err(error), ..) | (_, Err(error), _) | (.., Err(error)) => {
            view.error = Some(error);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
        }
    };
    let user_id = match user {
        UserFilter::Everyone => None,
        UserFilter::Account(id) => Some(id),
        UserFilter::NoSuchAccount => {
            view.notice = Some("admin-no-such-account");
            return Ok(view.into_response());
        }
    };
    let mut found = events::log(state.store().pool(), user_id, kind, PAGE_SIZE + 1, number.offset()).await?;
    let more = found.len() > PAGE_SIZE as usize;
    found.truncate(PAGE_SIZE as usize);
    view.page_number = number.get();
    view.previous = number.previous().map(|n| page_link(&query, n));
    view.next = number.next().filter(|_| more).map(|n| page_link(&query, n));
    let lang = view.page.lang;
    view.events = found.into_iter().map(|entry| EventRow::of(entry, lang)).collect();
    Ok(view.into_response())
}
