//! `/admin` and `/admin/users`: find accounts by part of their address; and one
//! account's page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{UserPage, notice_text, target};
use crate::admin::search::{PAGE_SIZE, PageNumber, SearchError, SearchText};
use crate::error::Result;
use crate::i18n::Language;
use crate::state::AppState;
use crate::store::users::{self, User};
use crate::web::guard::Privileged;
use crate::web::{NoticeParam, Page, Path, Query};

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
pub struct UsersPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    /// The search as typed, to fill the field again.
    q: String,
    /// The key of the words for what was wrong with the search.
    error: Option<&'static str>,
    users: Vec<UserRow>,
    page_number: u32,
    previous: Option<String>,
    next: Option<String>,
}

struct UserRow {
    id: i64,
    email: String,
    verified: bool,
    disabled: bool,
    two_factor: bool,
    roles: String,
    created: String,
    last_login: String,
}

impl UserRow {
    fn of(user: User, lang: Language) -> Self {
        Self {
            id: user.id,
            verified: user.is_verified(),
            disabled: user.is_disabled(),
            two_factor: user.has_two_factor(),
            roles: user.roles().join(", "),
            created: lang.date(user.created_at),
            last_login: user.last_login_at.map_or_else(|| lang.t("admin-never"), |at| lang.date_time(at)),
            email: user.email,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
    #[serde(default)]
    notice: String,
}

/// A link to another page of the same search.
fn page_link(q: &str, number: PageNumber) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("q", q)
        .append_pair("page", &number.to_string())
        .finish();
    format!("/admin/users?{query}")
}

pub async fn users_page(
    State(state): State<AppState>,
    _admin: Privileged,
    page: Page,
    Query(query): Query<UsersQuery>,
) -> Result<Response> {
    let mut view = UsersPage {
        page,
        section: "/admin/users",
        notice: notice_text(&query.notice),
        q: query.q.clone(),
        error: None,
        users: Vec::new(),
        page_number: 1,
        previous: None,
        next: None,
    };
    let parsed = SearchText::parse(&query.q).map_err(|error| match error {
        SearchError::TooShort => "admin-error-search-short",
        SearchError::TooLong => "admin-error-search-long",
    });
    let number = PageNumber::parse(&query.page).map_err(|_| "admin-error-page");
    let (search, number) = match (parsed, number) {
        (Ok(search), Ok(number)) => (search, number),
        (Err(error), _) | (_, Err(error)) => {
            view.error = Some(error);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
        }
    };
    // One more than a page says whether there is a next one, without counting them all.
    let mut found =
        users::search(state.store(), search.as_ref().map(SearchText::as_str), PAGE_SIZE + 1, number.offset()).await?;
    let more = found.len() > PAGE_SIZE as usize;
    found.truncate(PAGE_SIZE as usize);
    view.page_number = number.get();
    view.previous = number.previous().map(|n| page_link(&query.q, n));
    view.next = number.next().filter(|_| more).map(|n| page_link(&query.q, n));
    let lang = view.page.lang;
    view.users = found.into_iter().map(|user| UserRow::of(user, lang)).collect();
    Ok(view.into_response())
}

pub async fn user_page(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    page: Page,
    Path(id): Path<String>,
    Query(param): Query<NoticeParam>,
) -> Result<UserPage> {
    let target = target(&state, &id).await?;
    let mut view = UserPage::load(&state, &admin, target, page).await?;
    view.notice = notice_text(&param.notice);
    Ok(view)
}
