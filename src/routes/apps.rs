//! `/account/apps`: the apps the user allowed to sign them in (OpenID Connect), and
//! taking that back.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::sessions::CurrentUser;
use crate::error::{AppError, Result};
use crate::oidc;
use crate::state::AppState;
use crate::web::account_area::notice_text;
use crate::web::{Form, NoticeParam, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "account/apps.html")]
pub struct AppsPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    apps: Vec<App>,
}

struct App {
    client_id: String,
    name: String,
    scope: String,
    since: String,
}

pub async fn apps_page(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<AppsPage> {
    let lang = page.lang;
    let apps = oidc::apps_with_access(&state, current.user.id)
        .await?
        .into_iter()
        .map(|grant| App {
            client_id: grant.client_id,
            name: grant.name,
            scope: grant.scope,
            since: lang.date(grant.created_at),
        })
        .collect();
    Ok(AppsPage { page, section: "/account/apps", notice: notice_text(&param.notice), apps })
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    client_id: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    current: CurrentUser,
    client: crate::accounts::Client,
    Form(form): Form<RevokeForm>,
) -> Result<Response> {
    if !oidc::revoke_access(&state, current.user.id, &form.client_id, &client).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/account/apps?notice=app-revoked").into_response())
}
