//! `/admin/invitations`: invite someone by address (with roles), and see, resend or
//! revoke the invitations nobody has accepted yet.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::notice_text;
use crate::accounts::invitations::{self, Invited, Validity};
use crate::domain::{Email, Role};
use crate::error::{AppError, Result};
use crate::i18n::Language;
use crate::state::AppState;
use crate::store::{self, invitations as stored};
use crate::web::guard::Privileged;
use crate::web::{Form, NoticeParam, Page, Path, Query};

#[derive(Template, WebTemplate)]
#[template(path = "admin/invitations.html")]
pub struct InvitationsPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    email: String,
    roles: String,
    email_error: Option<String>,
    roles_error: Option<String>,
    open: Vec<Row>,
}

struct Row {
    id: i64,
    email: String,
    roles: String,
    sent: String,
    expires: String,
    expired: bool,
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    /// Role names separated by commas or spaces.
    #[serde(default)]
    roles: String,
}

fn validity(state: &AppState) -> Validity {
    Validity { days: state.config().invitation_valid_days }
}

async fn rows(state: &AppState, lang: Language) -> Result<Vec<Row>> {
    let now = store::now();
    let open = stored::open(state.store().pool()).await?;
    Ok(open
        .into_iter()
        .map(|invitation| Row {
            id: invitation.id,
            roles: invitation.role_names().collect::<Vec<_>>().join(", "),
            sent: lang.date_time(invitation.created_at),
            expires: lang.date_time(invitation.expires_at),
            expired: invitation.expires_at <= now,
            email: invitation.email,
        })
        .collect())
}

pub async fn invitations_page(
    State(state): State<AppState>,
    _admin: Privileged,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<InvitationsPage> {
    let open = rows(&state, page.lang).await?;
    Ok(InvitationsPage {
        page,
        section: "/admin/invitations",
        notice: notice_text(&param.notice),
        email: String::new(),
        roles: String::new(),
        email_error: None,
        roles_error: None,
        open,
    })
}

/// Role names as typed: all valid, or the first wrong one's message.
fn parse_roles(text: &str) -> Result<Vec<Role>, String> {
    let names = text.split([',', ' ']).map(str::trim).filter(|name| !name.is_empty());
    names.map(|name| Role::parse(name).map_err(|error| format!("{name:?}: {error}"))).collect()
}

pub async fn invite(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    page: Page,
    Form(form): Form<InviteForm>,
) -> Result<Response> {
    let email = Email::parse(&form.email);
    let roles = parse_roles(&form.roles);
    let (email, roles) = match (email, roles) {
        (Ok(email), Ok(roles)) => (email, roles),
        (email, roles) => {
            let lang = page.lang;
            let view = InvitationsPage {
                section: "/admin/invitations",
                notice: None,
                email_error: email.err().map(|error| lang.email_error(error)),
                roles_error: roles.err(),
                open: rows(&state, lang).await?,
                email: form.email,
                roles: form.roles,
                page,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
        }
    };
    let mut tx = state.store().begin().await?;
    let invited =
        invitations::invite(&mut tx, state.links(), validity(&state), Some(&admin.user), &email, &roles).await?;
    state.outbox().commit(tx).await?;
    let notice = match invited {
        Invited::Sent => "invited",
        Invited::HasAccount => "invited-has-account",
    };
    Ok(Redirect::to(&format!("/admin/invitations?notice={notice}")).into_response())
}

/// The open invitation a path's `{id}` names; anything else is `404`.
async fn open_invitation(state: &AppState, id: &str) -> Result<stored::Invitation> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let invitation = stored::find(state.store().pool(), id).await?;
    invitation.filter(|found| found.accepted_at.is_none() && found.revoked_at.is_none()).ok_or(AppError::NotFound)
}

pub async fn resend(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let invitation = open_invitation(&state, &id).await?;
    let mut tx = state.store().begin().await?;
    let lang = admin.user.language();
    if !invitations::resend(&mut tx, state.links(), validity(&state), &invitation, lang).await? {
        return Err(AppError::NotFound);
    }
    state.outbox().commit(tx).await?;
    Ok(Redirect::to("/admin/invitations?notice=invitation-resent"))
}

pub async fn revoke(State(state): State<AppState>, _admin: Privileged, Path(id): Path<String>) -> Result<Redirect> {
    let invitation = open_invitation(&state, &id).await?;
    if !stored::revoke(state.store().pool(), invitation.id, store::now()).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(event = "invitation_revoked", invitation_id = invitation.id, "invitation revoked");
    Ok(Redirect::to("/admin/invitations?notice=invitation-revoked"))
}
