//! `/sign-in-alert`: the "was this not you?" link of a new-device mail. It shows a
//! button (mail scanners fetch links nobody clicked); pressing it ends that session and
//! goes on to choose a new password. `/account/sign-in-alerts` turns the mail on or off.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::devices::{self, Disowned};
use crate::accounts::sessions::CurrentUser;
use crate::accounts::{Client, links};
use crate::error::Result;
use crate::state::AppState;
use crate::store::tokens::{Lookup, Purpose};
use crate::store::users;
use crate::web::link_page::{self, LinkKind, TokenParam};
use crate::web::{Form, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "sign_in_alert.html")]
pub struct AlertPage {
    page: Page,
    email: String,
    token: String,
}

pub async fn alert_page(
    State(state): State<AppState>,
    page: Page,
    Query(param): Query<TokenParam>,
) -> Result<Response> {
    match links::look_up(state.store(), &param.token, Purpose::EndSession).await? {
        Lookup::Valid(row) => Ok(link_page::showing_link(AlertPage { page, email: row.email, token: param.token })),
        refused => Ok(link_page::refused(page, &refused, LinkKind::SignInAlert)),
    }
}

pub async fn disown(
    State(state): State<AppState>,
    client: Client,
    page: Page,
    Form(form): Form<TokenParam>,
) -> Result<Response> {
    match devices::disown(state.store(), &form.token, &client).await? {
        Disowned::Reset(reset) => {
            let query = form_urlencoded::Serializer::new(String::new()).append_pair("token", &reset.encode()).finish();
            Ok((link_page::TOKEN_PAGE_HEADERS, Redirect::to(&format!("/reset-password?{query}"))).into_response())
        }
        Disowned::Refused(refused) => Ok(link_page::refused(page, &refused, LinkKind::SignInAlert)),
    }
}

#[derive(Deserialize)]
pub struct AlertsForm {
    /// A checkbox: present when ticked.
    #[serde(default)]
    new_device_mail: Option<String>,
}

pub async fn save_setting(
    State(state): State<AppState>,
    current: CurrentUser,
    Form(form): Form<AlertsForm>,
) -> Result<Redirect> {
    let wanted = form.new_device_mail.is_some_and(|value| !matches!(value.as_str(), "" | "0" | "false" | "off"));
    users::set_new_device_mail(state.store().pool(), current.user.id, wanted).await?;
    tracing::info!(event = "new_device_mail_set", user_id = current.user.id, wanted, "sign-in alerts changed");
    Ok(Redirect::to("/account/sessions?notice=alerts-saved"))
}
