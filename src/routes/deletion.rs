//! The account area's page for deleting one's own account.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::sessions::CurrentUser;
use crate::accounts::{deletion, password};
use crate::error::Result;
use crate::state::AppState;
use crate::web::account_area::{Reentered, password_error};
use crate::web::{Form, Page};

#[derive(Template, WebTemplate)]
#[template(path = "account/delete.html")]
pub struct DeletePage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    error: Option<String>,
}

pub async fn delete_page(_current: CurrentUser, page: Page) -> DeletePage {
    DeletePage { page, section: "/account/delete", notice: None, error: None }
}

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
    let right = password::reconfirm(&state, &current.user, &form.password).await?;
    if !right {
        let error = password_error(page.lang, &form.password, right, Reentered::Password);
        let again = DeletePage { page, section: "/account/delete", notice: None, error };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response());
    }
    deletion::delete_own(&state, &current).await?;
    Ok(Redirect::to("/?notice=account-deleted").into_response())
}
