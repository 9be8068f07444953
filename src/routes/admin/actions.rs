//! The forms on an account's admin page. Each acts through [`crate::admin`] in one
//! transaction, then goes back to the page with a notice (the list, after a delete).
//! A change the admin may not make to their own account is `409` with a page that says so.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{UserPage, target};
use crate::accounts::Client;
use crate::accounts::sessions::CurrentUser;
use crate::admin::{self, Actor, Refusal};
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::store::Tx;
use crate::store::users::User;
use crate::web::confirm::ConfirmAction;
use crate::web::guard::Privileged;
use crate::web::{Form, Page, Path};

/// An admin acting on the account named by the path's `{id}` (`404` when there is none).
pub struct Acting {
    admin: CurrentUser,
    client: Client,
    target: User,
}

impl FromRequestParts<AppState> for Acting {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Privileged(admin) = Privileged::from_request_parts(parts, state).await?;
        let Path(id) = Path::<String>::from_request_parts(parts, state).await?;
        let Ok(client) = Client::from_request_parts(parts, state).await;
        Ok(Self { admin, client, target: target(state, &id).await? })
    }
}

impl Acting {
    fn actor(&self) -> Actor<'_> {
        Actor::admin(&self.admin.user, &self.client)
    }
}

/// Commits the change (waking the mail sender for any notice) and shows the account's
/// page with `notice`.
async fn done(state: &AppState, tx: Tx, id: i64, notice: &str) -> Result<Redirect> {
    state.outbox().commit(tx).await?;
    Ok(Redirect::to(&format!("/admin/users/{id}?notice={notice}")))
}

fn changed(changed: bool, notice: &'static str) -> &'static str {
    if changed { notice } else { "unchanged" }
}

fn refused(refusal: Refusal) -> AppError {
    AppError::Conflict(refusal.message())
}

pub async fn verify(State(state): State<AppState>, acting: Acting) -> Result<Redirect> {
    let mut tx = state.store().begin().await?;
    let verified = admin::verify(&mut tx, &acting.actor(), &acting.target).await?;
    done(&state, tx, acting.target.id, changed(verified, "verified")).await
}

/// "Are you sure?" about `what` done to the account, answered by a post to `/admin/users/{id}/{verb}`.
fn confirm(page: Page, acting: &Acting, verb: &str) -> ConfirmAction {
    let id = acting.target.id;
    let lang = page.lang;
    // The words for each step are `confirm-<verb>-title`, `-consequence` and `-button`.
    ConfirmAction {
        page,
        title: lang.t1(&format!("confirm-{verb}-title"), "email", &acting.target.email),
        consequence: lang.t(&format!("confirm-{verb}-consequence")),
        action: format!("/admin/users/{id}/{verb}"),
        fields: Vec::new(),
        button: lang.t(&format!("confirm-{verb}-button")),
        cancel: format!("/admin/users/{id}"),
    }
}

/// `GET /admin/users/{id}/disable`.
pub async fn confirm_disable(page: Page, acting: Acting) -> ConfirmAction {
    confirm(page, &acting, "disable")
}

/// `GET /admin/users/{id}/revoke-sessions`.
pub async fn confirm_revoke_sessions(page: Page, acting: Acting) -> ConfirmAction {
    confirm(page, &acting, "revoke-sessions")
}

/// `GET /admin/users/{id}/delete`.
pub async fn confirm_delete(page: Page, acting: Acting) -> ConfirmAction {
    confirm(page, &acting, "delete")
}

pub async fn disable(State(state): State<AppState>, acting: Acting) -> Result<Redirect> {
    set_disabled(&state, &acting, true).await
}

pub async fn enable(State(state): State<AppState>, acting: Acting) -> Result<Redirect> {
    set_disabled(&state, &acting, false).await
}

async fn set_disabled(state: &AppState, acting: &Acting, disabled: bool) -> Result<Redirect> {
    let mut tx = state.store().begin().await?;
    admin::set_disabled(&mut tx, &acting.actor(), &acting.target, disabled).await?.map_err(refused)?;
    done(state, tx, acting.target.id, if disabled { "disabled" } else { "enabled" }).await
}

pub async fn revoke_sessions(State(state): State<AppState>, acting: Acting) -> Result<Redirect> {
    let own_session = acting.admin.session_key();
    let mut tx = state.store().begin().await?;
    admin::revoke_sessions(&mut tx, &acting.actor(), &acting.target, Some(&own_session)).await?;
    done(&state, tx, acting.target.id, "signed-out").await
}

pub async fn reset_two_factor(State(state): State<AppState>, acting: Acting) -> Result<Redirect> {
    let mut tx = state.store().begin().await?;
    let reset = admin::reset_two_factor(&mut tx, state.links(), &acting.actor(), &acting.target).await?;
    done(&state, tx, acting.target.id, changed(reset, "two-factor-reset")).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn grant_role(
    State(state): State<AppState>,
    acting: Acting,
    page: Page,
    Form(form): Form<RoleForm>,
) -> Result<Response> {
    let role = match Role::parse(form.role.trim()) {
        Ok(role) => role,
        Err(error) => {
            let view = UserPage::load(&state, &acting.admin, acting.target, page).await?;
            return Ok(view.with_role_error(form.role, error.to_string()));
        }
    };
    let mut tx = state.store().begin().await?;
    let granted = admin::grant_role(&mut tx, &acting.actor(), &acting.target, &role).await?;
    Ok(done(&state, tx, acting.target.id, changed(granted, "role-granted")).await?.into_response())
}

pub async fn revoke_role(
    State(state): State<AppState>,
    acting: Acting,
    Form(form): Form<RoleForm>,
) -> Result<Redirect> {
    let role = Role::parse(&form.role).map_err(|_| AppError::Unprocessable("error-not-a-role"))?;
    let mut tx = state.store().begin().await?;
    let revoked = admin::revoke_role(&mut tx, &acting.actor(), &acting.target, &role).await?.map_err(refused)?;
    done(&state, tx, acting.target.id, changed(revoked, "role-revoked")).await
}

pub async fn delete(State(state): State<AppState>, acting: Acting) -> Result<Redirect> {
    let mut tx = state.store().begin().await?;
    admin::delete(&mut tx, state.links(), &acting.actor(), &acting.target).await?.map_err(refused)?;
    state.outbox().commit(tx).await?;
    Ok(Redirect::to("/admin/users?notice=deleted"))
}
