//! Deleting one's own account from the account page.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::sessions::CurrentUser;
use crate::accounts::{deletion, password};
use crate::error::Result;
use crate::state::AppState;
use crate::web::account_page::{AccountPage, FormErrors};
use crate::web::{Form, Page};

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
}

pub async fn delete_account(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Form(form): Form<DeleteForm>,
) -> Result<Response> {
    if !password::is_current(&state, &current.user, form.password).await? {
        let errors =
            FormErrors { delete_password: Some("That is not your password.".to_owned()), ..Default::default() };
        return AccountPage::with_errors(&state, &current, page, errors).await;
    }
    deletion::delete_own(&state, &current).await?;
    Ok(Redirect::to("/?notice=account-deleted").into_response())
}
