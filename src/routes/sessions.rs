//! The account area's sessions page: where the user is signed in, and signing out there.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Redirect;
use serde::Deserialize;

use crate::accounts::Client;
use crate::accounts::sessions::{self, CurrentUser, Ended};
use crate::error::Result;
use crate::state::AppState;
use crate::store;
use crate::web::account_area::notice_text;
use crate::web::confirm::ConfirmAction;
use crate::web::{Form, NoticeParam, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "account/sessions.html")]
pub struct SessionsPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    sessions: Vec<SessionView>,
    /// Whether a sign-in from a new browser is mailed to the owner.
    new_device_mail: bool,
}

/// What tells one session from another: browser and system, address, last use.
struct SessionView {
    id: String,
    current: bool,
    device: String,
    ip: String,
    created: String,
    last_seen: String,
}

pub async fn sessions_page(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<SessionsPage> {
    let this = current.session_key();
    let mut sessions: Vec<SessionView> =
        store::sessions::list_for_user(state.store().pool(), current.user.id, store::now())
            .await?
            .into_iter()
            .map(|row| SessionView {
                current: row.id_hash == this,
                device: page.lang.describe_device(&row.user_agent),
                ip: row.ip,
                created: page.lang.date_time(row.created_at),
                last_seen: page.lang.date_time(row.last_seen_at),
                id: row.id_hash,
            })
            .collect();
    // This device first: the one the reader knows.
    sessions.sort_by_key(|session| !session.current);
    let new_device_mail = current.user.wants_new_device_mail();
    let notice = notice_text(&param.notice);
    Ok(SessionsPage { page, section: "/account/sessions", notice, sessions, new_device_mail })
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    session_id: String,
}

pub async fn revoke_session(
    State(state): State<AppState>,
    client: Client,
    current: CurrentUser,
    Form(form): Form<RevokeForm>,
) -> Result<Redirect> {
    match sessions::end_one(&state, current.user.id, Some(&current), &form.session_id, &client).await? {
        Ended::ThisOne => Ok(Redirect::to("/?notice=signed-out")),
        Ended::Another | Ended::NoSuchSession => Ok(Redirect::to("/account/sessions?notice=session-revoked")),
    }
}

/// `GET /account/sessions/revoke-others`: "Sign out everywhere else?"
pub async fn confirm_revoke_others(page: Page) -> ConfirmAction {
    let lang = page.lang;
    ConfirmAction {
        page,
        title: lang.t("confirm-revoke-others-title"),
        consequence: lang.t("confirm-revoke-others-consequence"),
        action: "/account/sessions/revoke-others".into(),
        fields: Vec::new(),
        button: lang.t("sessions-sign-out-others"),
        cancel: "/account/sessions".into(),
    }
}

pub async fn revoke_other_sessions(
    State(state): State<AppState>,
    client: Client,
    current: CurrentUser,
) -> Result<Redirect> {
    sessions::end_others(&state, &current, &client).await?;
    Ok(Redirect::to("/account/sessions?notice=others-revoked"))
}
