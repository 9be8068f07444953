//! Signing out other sessions from the account page.

use axum::extract::State;
use axum::response::Redirect;
use serde::Deserialize;

use crate::accounts::Client;
use crate::accounts::sessions::{self, CurrentUser, Ended};
use crate::error::Result;
use crate::state::AppState;
use crate::web::Form;

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
        Ended::ThisOne => Ok(Redirect::to("/")),
        Ended::Another | Ended::NoSuchSession => Ok(Redirect::to("/account?notice=session-revoked")),
    }
}

pub async fn revoke_other_sessions(
    State(state): State<AppState>,
    client: Client,
    current: CurrentUser,
) -> Result<Redirect> {
    sessions::end_others(&state, &current, &client).await?;
    Ok(Redirect::to("/account?notice=others-revoked"))
}
