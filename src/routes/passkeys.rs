//! `/account/passkeys`: the user's passkeys, adding one (two JSON calls from
//! `assets/passkeys.js` around the browser's `navigator.credentials.create`), renaming
//! and deleting one (forms; deleting needs a recent sign-in).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use webauthn_rs::prelude::RegisterPublicKeyCredential;

use crate::accounts::Client;
use crate::accounts::sessions::{CurrentUser, recently_authenticated};
use crate::error::{AppError, Result};
use crate::i18n::Language;
use crate::passkeys::{self, NAME_MAX_CHARS, Refusal};
use crate::state::AppState;
use crate::store::passkeys::StoredPasskey;
use crate::web::account_area::notice_text;
use crate::web::confirm::ConfirmAction;
use crate::web::{Form, Json, NoticeParam, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "account/passkeys.html")]
pub struct PasskeysPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    available: bool,
    /// Adding a passkey needs a sign-in within the last ten minutes.
    recent: bool,
    passkeys: Vec<Listed>,
    name_max: usize,
    /// The name a new passkey gets unless the person types another: this browser's
    /// (a passkey made here is most often on this device).
    suggested_name: String,
}

struct Listed {
    id: i64,
    name: String,
    created: String,
    last_used: Option<String>,
}

impl Listed {
    fn of(stored: StoredPasskey, lang: Language) -> Self {
        Self {
            id: stored.id,
            name: stored.name,
            created: lang.date(stored.created_at),
            last_used: stored.last_used_at.map(|at| lang.date_time(at)),
        }
    }
}

pub async fn passkeys_page(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<PasskeysPage> {
    let passkeys = passkeys::list(&state, &current.user).await?.into_iter().map(|p| Listed::of(p, page.lang)).collect();
    let suggested_name = device_name(page.lang, &client);
    Ok(PasskeysPage {
        page,
        section: "/account/passkeys",
        notice: notice_text(&param.notice),
        available: state.webauthn().is_some(),
        recent: recently_authenticated(&current.auth),
        passkeys,
        name_max: NAME_MAX_CHARS,
        suggested_name,
    })
}

/// "Chrome on Linux", say; "Passkey" for a browser that does not say what it is.
fn device_name(lang: Language, client: &Client) -> String {
    if client.user_agent.trim().is_empty() {
        lang.t("passkey-default-name")
    } else {
        lang.describe_device(&client.user_agent)
    }
}

/// `{"publicKey": {...}}` for `navigator.credentials.create`.
pub async fn start_registration(State(state): State<AppState>, current: CurrentUser) -> Result<Response> {
    let options = passkeys::start_registration(&state, &current).await.map_err(registration_refused)?;
    Ok(axum::Json(options).into_response())
}

/// The browser's `RegisterPublicKeyCredential`, with the name the user gave it.
#[derive(Deserialize)]
pub struct NewPasskey {
    #[serde(flatten)]
    credential: RegisterPublicKeyCredential,
    #[serde(default)]
    name: String,
}

pub async fn finish_registration(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    Json(new): Json<NewPasskey>,
) -> Result<Response> {
    // No name typed: the browser's, rather than a name that tells passkeys apart from nothing
    // (in the account's language: this call has no page to go by).
    let name = if new.name.trim().is_empty() { device_name(current.user.language(), &client) } else { new.name };
    let stored = passkeys::finish_registration(&state, &current, &new.credential, &name, &client)
        .await
        .map_err(registration_refused)?;
    let body =
        serde_json::json!({"id": stored.id, "name": stored.name, "redirect": "/account/passkeys?notice=passkey-added"});
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

fn registration_refused(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::Off => AppError::NotFound,
        Refusal::StaleSignIn => AppError::Forbidden("error-passkey-confirm-first"),
        Refusal::NoCeremony => AppError::BadRequest("error-passkey-no-ceremony".into()),
        Refusal::NotAccepted => AppError::BadRequest("error-passkey-answer".into()),
        Refusal::AlreadyRegistered => AppError::Conflict("error-passkey-registered"),
        Refusal::Failed(error) => error,
    }
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    id: i64,
    #[serde(default)]
    name: String,
}

pub async fn rename(
    State(state): State<AppState>,
    current: CurrentUser,
    Form(form): Form<RenameForm>,
) -> Result<Response> {
    if !passkeys::rename(&state, &current.user, form.id, &form.name).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/account/passkeys?notice=passkey-renamed").into_response())
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    id: i64,
}

#[derive(Deserialize)]
pub struct WhichPasskey {
    #[serde(default)]
    id: i64,
}

/// `GET /account/passkeys/delete?id=`: "Delete this passkey?", whose answer is [`delete`].
pub async fn confirm_delete(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Query(which): Query<WhichPasskey>,
) -> Result<ConfirmAction> {
    let passkeys = passkeys::list(&state, &current.user).await?;
    let passkey = passkeys.into_iter().find(|passkey| passkey.id == which.id).ok_or(AppError::NotFound)?;
    let lang = page.lang;
    Ok(ConfirmAction {
        page,
        title: lang.t1("confirm-passkey-delete-title", "name", &passkey.name),
        consequence: lang.t("confirm-passkey-delete-consequence"),
        action: "/account/passkeys/delete".into(),
        fields: vec![("id", passkey.id.to_string())],
        button: lang.t("confirm-passkey-delete-button"),
        cancel: "/account/passkeys".into(),
    })
}

/// Behind [`crate::web::guard::fresh_sign_in`], like the admin area's changes.
pub async fn delete(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    Form(form): Form<DeleteForm>,
) -> Result<Response> {
    if !passkeys::delete(&state, &current.user, form.id, &client).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/account/passkeys?notice=passkey-deleted").into_response())
}

/// "Confirm your password" before adding a passkey: [`crate::web::guard::fresh_sign_in`]
/// in front of this asks for it, and renews the sign-in.
pub async fn confirm() -> Redirect {
    Redirect::to("/account/passkeys")
}
