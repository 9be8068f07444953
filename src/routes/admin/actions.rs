//! The forms on an account's admin page. Each acts through [`crate::admin`] in one
//! transaction, then goes back to the page with a notice (the list, after a delete).
//! A change the admin may not make to their own account is `409` with a page that says so.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{UserPage, target};
use crate::accounts::Client;
use crate::admin::{self, Actor, Refusal};
use crate::domain::Role;
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::store::Tx;
use crate::web::guard::Privileged;
use crate::web::{Form, Page, Path};

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

pub async fn verify(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    client: Client,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let target = target(&state, &id).await?;
    let mut tx = state.store().begin().await?;
    let verified = admin::verify(&mut tx, &Actor::admin(&admin.user, &client), &target).await?;
    done(&state, tx, target.id, changed(verified, "verified")).await
}

pub async fn disable(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    client: Client,
    Path(id): Path<String>,
) -> Result<Redirect> {
    set_disabled(&state, &admin.user, &client, &id, true).await
}

pub async fn enable(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    client: Client,
    Path(id): Path<String>,
) -> Result<Redirect> {
    set_disabled(&state, &admin.user, &client, &id, false).await
}

async fn set_disabled(
    state: &AppState,
    admin: &crate::store::users::User,
    client: &Client,
    id: &str,
    disabled: bool,
) -> Result<Redirect> {
    let target = target(state, id).await?;
    let mut tx = state.store().begin().await?;
    admin::set_disabled(&mut tx, &Actor::admin(admin, client), &target, disabled).await?.map_err(refused)?;
    done(state, tx, target.id, if disabled { "disabled" } else { "enabled" }).await
}

pub async fn revoke_sessions(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    client: Client,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let target = target(&state, &id).await?;
    let own_session = admin.session_key();
    let mut tx = state.store().begin().await?;
    admin::revoke_sessions(&mut tx, &Actor::admin(&admin.user, &client), &target, Some(&own_session)).await?;
    done(&state, tx, target.id, "signed-out").await
}

pub async fn reset_two_factor(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    client: Client,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let target = target(&state, &id).await?;
    let mut tx = state.store().begin().await?;
    let reset = admin::reset_two_factor(&mut tx, state.links(), &Actor::admin(&admin.user, &client), &target).await?;
    done(&state, tx, target.id, changed(reset, "two-factor-reset")).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn grant_role(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    client: Client,
    page: Page,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response> {
    let target = target(&state, &id).await?;
    let role = match Role::parse(form.role.trim()) {
        Ok(role) => role,
        Err(error) => {
            let view = UserPage::load(&state, &admin, target, page).await?;
            return Ok(view.with_role_error(form.role, error.to_string()));
        }
    };
    let mut tx = state.store().begin().await?;
    let granted = admin::grant_role(&mut tx, &Actor::admin(&admin.user, &client), &target, &role).await?;
    Ok(done(&state, tx, target.id, changed(granted, "role-granted")).await?.into_response())
}

pub async fn revoke_role(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    client: Client,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Redirect> {
    let target = target(&state, &id).await?;
    let role = Role::parse(&form.role).map_err(|_| AppError::Unprocessable("That is not a role name."))?;
    let mut tx = state.store().begin().await?;
    let revoked =
        admin::revoke_role(&mut tx, &Actor::admin(&admin.user, &client), &target, &role).await?.map_err(refused)?;
    done(&state, tx, target.id, changed(revoked, "role-revoked")).await
}

pub async fn delete(
    State(state): State<AppState>,
    Privileged(admin): Privileged,
    client: Client,
    Path(id): Path<String>,
) -> Result<Redirect> {
    let target = target(&state, &id).await?;
    let mut tx = state.store().begin().await?;
    admin::delete(&mut tx, state.links(), &Actor::admin(&admin.user, &client), &target).await?.map_err(refused)?;
    state.outbox().commit(tx).await?;
    Ok(Redirect::to("/admin/users?notice=deleted"))
}
