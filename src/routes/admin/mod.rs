//! The admin area under `/admin`. Every route here sits behind [`crate::web::guard`]'s
//! `needs_role("admin")` and `fresh_sign_in` (see the router): handlers take the admin
//! as `Privileged`. The user page lives here because the page handler and the actions
//! (which show it again when a form was wrong) both render it.

pub mod actions;
pub mod events;
pub mod invitations;
pub mod users;

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::accounts::sessions::CurrentUser;
use crate::error::{AppError, Result};
use crate::i18n::Language;
use crate::state::AppState;
use crate::store::events::EventKind;
use crate::store::events::LogEntry;
use crate::store::users::User;
use crate::store::{self, sessions};
use crate::web::Page;

/// The pages of the admin area, in the menu's order: (path, label).
pub const SECTIONS: [(&str, &str); 3] = [
    ("/admin/users", "admin-users"),
    ("/admin/invitations", "admin-invitations"),
    ("/admin/events", "admin-security-log"),
];

/// Events shown on a user's page; the security log pages through the rest.
const EVENTS_ON_USER_PAGE: i64 = 20;

/// The account named by a path's `{id}`; anything but an existing account's id is `404`.
async fn target(state: &AppState, id: &str) -> Result<User> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    store::users::find_by_id(state.store().pool(), id).await?.ok_or(AppError::NotFound)
}

/// The notice an action's redirect asked for with `?notice=`: the key of its words.
fn notice_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "verified" => "admin-notice-verified",
        "disabled" => "admin-notice-disabled",
        "enabled" => "admin-notice-enabled",
        "signed-out" => "admin-notice-signed-out",
        "two-factor-reset" => "admin-notice-two-factor-reset",
        "role-granted" => "admin-notice-role-granted",
        "role-revoked" => "admin-notice-role-revoked",
        "unchanged" => "admin-notice-unchanged",
        "deleted" => "admin-notice-deleted",
        "invited" => "admin-notice-invited",
        "invited-has-account" => "admin-notice-invited-has-account",
        "invitation-resent" => "admin-notice-invitation-resent",
        "invitation-revoked" => "admin-notice-invitation-revoked",
        _ => return None,
    })
}

/// `/admin/users/{id}`: an account's state, roles, sessions and recent events, with the
/// forms that act on it.
#[derive(Template, WebTemplate)]
#[template(path = "admin/user.html")]
pub struct UserPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    user: UserView,
    /// The admin is looking at their own account: the forms that would lock them out are not shown.
    is_self: bool,
    sessions: Vec<SessionRow>,
    events: Vec<EventRow>,
    /// The grant form's message and what was typed, when a role name was refused.
    role_error: Option<String>,
    role_typed: String,
}

struct UserView {
    id: i64,
    email: String,
    verified: bool,
    disabled: bool,
    two_factor: bool,
    roles: Vec<String>,
    created: String,
    last_login: String,
    failed_logins: i64,
}

struct SessionRow {
    device: String,
    ip: String,
    created: String,
    last_seen: String,
}

/// A row of the security log, on a user's page or on the log's own.
pub struct EventRow {
    user_id: i64,
    user_email: String,
    what: &'static str,
    detail: String,
    /// Who acted: the account's owner, an admin's address, or the operator.
    by: String,
    when: String,
    ip: String,
    device: String,
}

impl EventRow {
    fn of(entry: LogEntry, lang: Language) -> Self {
        let by = match (entry.acted_by.as_deref(), entry.actor_id, entry.actor_email) {
            (Some("admin"), _, Some(email)) => email,
            (Some("admin"), Some(id), None) => lang.t1("admin-by-deleted-admin", "id", id),
            (Some(_), ..) => lang.t("admin-by-operator"),
            (None, ..) => lang.t("admin-by-owner"),
        };
        Self {
            user_id: entry.user_id,
            user_email: entry.user_email,
            what: EventKind::describe(&entry.kind),
            detail: entry.detail.unwrap_or_default(),
            by,
            when: lang.date_time(entry.created_at),
            device: if entry.user_agent.is_empty() { String::new() } else { lang.describe_device(&entry.user_agent) },
            ip: entry.ip,
        }
    }
}

impl UserPage {
    pub async fn load(state: &AppState, admin: &CurrentUser, target: User, page: Page) -> Result<Self> {
        let pool = state.store().pool();
        let lang = page.lang;
        let sessions = sessions::list_for_user(pool, target.id, store::now())
            .await?
            .into_iter()
            .map(|session| SessionRow {
                device: lang.describe_device(&session.user_agent),
                ip: session.ip,
                created: lang.date_time(session.created_at),
                last_seen: lang.date_time(session.last_seen_at),
            })
            .collect();
        let events = store::events::log(pool, Some(target.id), None, EVENTS_ON_USER_PAGE, 0).await?;
        let user = UserView {
            id: target.id,
            verified: target.is_verified(),
            disabled: target.is_disabled(),
            two_factor: target.has_two_factor(),
            roles: target.roles().into_iter().map(str::to_owned).collect(),
            created: lang.date_time(target.created_at),
            last_login: target.last_login_at.map_or_else(|| lang.t("admin-never"), |at| lang.date_time(at)),
            failed_logins: target.failed_logins,
            email: target.email,
        };
        Ok(Self {
            page,
            section: "/admin/users",
            notice: None,
            is_self: admin.user.id == user.id,
            user,
            sessions,
            events: events.into_iter().map(|entry| EventRow::of(entry, lang)).collect(),
            role_error: None,
            role_typed: String::new(),
        })
    }

    /// The page again with the grant form's message, answered `422`.
    fn with_role_error(self, typed: String, error: String) -> Response {
        let page = Self { role_error: Some(error), role_typed: typed, ..self };
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    }
}
