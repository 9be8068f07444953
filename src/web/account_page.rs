//! The account page: what we know of the signed-in user and the forms to change it.
//! Its forms post to their own routes and, when something is wrong, show this page again
//! with the message beside the field.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Page;
use super::format::{describe_device, human_date, human_time};
use crate::accounts::sessions::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::{self, api_tokens, sessions};

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    page: Page,
    user: UserView,
    notice: Option<&'static str>,
    sessions: Vec<SessionView>,
    events: Vec<EventView>,
    tokens: Vec<TokenView>,
    /// A token just created: shown this once.
    new_token: Option<String>,
    errors: FormErrors,
}

struct TokenView {
    id: i64,
    name: String,
    scope: String,
    created: String,
    expires: String,
    last_used: String,
}

struct UserView {
    email: String,
    verified: bool,
    signed_up: String,
    last_login: Option<String>,
    failed_logins: i64,
}

struct SessionView {
    id: String,
    current: bool,
    device: String,
    ip: String,
    created: String,
    last_seen: String,
}

struct EventView {
    what: &'static str,
    when: String,
    ip: String,
}

/// Messages beside the fields of the forms on the account page.
#[derive(Default)]
pub struct FormErrors {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
    pub new_email: Option<String>,
    pub new_email_value: String,
    pub email_password: Option<String>,
    pub delete_password: Option<String>,
    pub token: Option<String>,
    pub token_password: Option<String>,
}

/// The notice shown after a change, by the key a redirect put in `?notice=`.
pub fn notice_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "password-changed" => "Your password was changed. Every other session was signed out.",
        "email-change-sent" => "Check the inbox of the new address: your email changes when you confirm it there.",
        "session-revoked" => "That session was signed out.",
        "others-revoked" => "Every other session was signed out.",
        "token-revoked" => "The API token was revoked.",
        _ => return None,
    })
}

impl AccountPage {
    pub async fn load(
        state: &AppState,
        current: &CurrentUser,
        page: Page,
        notice: Option<&'static str>,
    ) -> Result<Self> {
        let pool = state.store().pool();
        let user = &current.user;
        let this = current.session_key();
        let sessions = sessions::list_for_user(pool, user.id, store::now())
            .await?
            .into_iter()
            .map(|row| SessionView {
                current: row.id_hash == this,
                device: describe_device(&row.user_agent),
                ip: row.ip,
                created: human_time(row.created_at),
                last_seen: human_time(row.last_seen_at),
                id: row.id_hash,
            })
            .collect();
        let events = events::recent(pool, user.id, 20)
            .await?
            .into_iter()
            .map(|event| EventView {
                what: EventKind::describe(&event.kind),
                when: human_time(event.created_at),
                ip: event.ip,
            })
            .collect();
        let last_login = user.last_login_at.map(|at| match &user.last_login_ip {
            Some(ip) => format!("{} from {ip}", human_time(at)),
            None => human_time(at),
        });
        let view = UserView {
            email: user.email.clone(),
            verified: user.is_verified(),
            signed_up: human_date(user.created_at),
            last_login,
            failed_logins: user.failed_logins,
        };
        let tokens = api_tokens::list(pool, user.id)
            .await?
            .into_iter()
            .map(|token| TokenView {
                id: token.id,
                name: token.name,
                scope: token.scope,
                created: human_date(token.created_at),
                expires: token.expires_at.map_or_else(|| "never".to_owned(), human_date),
                last_used: token.last_used_at.map_or_else(|| "never".to_owned(), human_time),
            })
            .collect();
        let errors = FormErrors::default();
        Ok(Self { page, user: view, notice, sessions, events, tokens, new_token: None, errors })
    }

    /// The page again with what was wrong with a form, answered `422`.
    pub async fn with_errors(
        state: &AppState,
        current: &CurrentUser,
        page: Page,
        errors: FormErrors,
    ) -> Result<Response> {
        let page = Self { errors, ..Self::load(state, current, page, None).await? };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    }

    /// The page with a token just created, shown this once and never cached.
    pub async fn with_new_token(
        state: &AppState,
        current: &CurrentUser,
        page: Page,
        token: String,
    ) -> Result<Response> {
        let page = Self { new_token: Some(token), ..Self::load(state, current, page, None).await? };
        Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
    }
}
