//! `/account/2fa`: turning two-step login on (a secret for the app, then its first
//! code), printing new recovery codes, and turning it off.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::Client;
use crate::accounts::sessions::CurrentUser;
use crate::error::{AppError, Result};
use crate::security::{csrf, headers};
use crate::state::AppState;
use crate::two_factor::{self, Refusal, Setup};
use crate::web::account_area::notice_text;
use crate::web::format::text_download;
use crate::web::{Form, NoticeParam, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "account/two_factor.html")]
pub struct TwoFactorPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    on: bool,
    recovery_codes_left: i64,
    /// A secret waiting for its first code: shown with its QR code and the form for it.
    setup: Option<Setup>,
    /// Recovery codes just made: shown this once, at the top.
    new_codes: Option<Vec<String>>,
    errors: Errors,
}

/// What was wrong, beside the form it belongs to: the keys of its words.
#[derive(Default)]
struct Errors {
    setup_password: Option<&'static str>,
    confirm_code: Option<&'static str>,
    codes_password: Option<&'static str>,
    disable_password: Option<&'static str>,
    disable_code: Option<&'static str>,
    /// For the page as a whole (e.g. the setup expired).
    page: Option<&'static str>,
}

impl TwoFactorPage {
    /// The new recovery codes as a text file's `data:` URL, for the Download link.
    fn codes_download(&self) -> String {
        let codes = self.new_codes.as_deref().unwrap_or_default().join("\n");
        text_download(&format!("Recovery codes for two-step login (each works once):\n\n{codes}\n"))
    }

    /// Shown with the new recovery codes: the page runs `keep.js` (Copy, Print).
    fn with_codes(self) -> Response {
        ([(header::CONTENT_SECURITY_POLICY, headers::SCRIPTED_CSP)], self).into_response()
    }

    async fn load(state: &AppState, current: &CurrentUser, page: Page) -> Result<Self> {
        let status = two_factor::status(state, &current.user).await?;
        Ok(Self {
            page,
            section: SECTION,
            notice: None,
            on: status.on,
            recovery_codes_left: status.recovery_codes_left,
            setup: None,
            new_codes: None,
            errors: Errors::default(),
        })
    }

    /// This page, answered with `status` and what went wrong.
    async fn refused(
        state: &AppState,
        current: &CurrentUser,
        page: Page,
        status: StatusCode,
        errors: Errors,
    ) -> Result<Response> {
        Ok((status, Self { errors, ..Self::load(state, current, page).await? }).into_response())
    }
}

const SECTION: &str = "/account/2fa";
const WRONG_PASSWORD: &str = "error-not-your-password";
const WRONG_CODE: &str = "two-factor-wrong-code";

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

pub async fn two_factor_page(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<TwoFactorPage> {
    Ok(TwoFactorPage { notice: notice_text(&param.notice), ..TwoFactorPage::load(&state, &current, page).await? })
}

pub async fn begin_setup(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Form(form): Form<PasswordForm>,
) -> Result<Response> {
    let (status, errors) = match two_factor::begin_setup(&state, &current.user, &form.password).await {
        Ok(setup) => {
            let shown = TwoFactorPage { setup: Some(setup), ..TwoFactorPage::load(&state, &current, page).await? };
            return Ok(shown.into_response());
        }
        Err(Refusal::WrongPassword) => {
            (StatusCode::UNAUTHORIZED, Errors { setup_password: Some(WRONG_PASSWORD), ..Errors::default() })
        }
        Err(Refusal::Unverified) => {
            let page_error = "two-factor-unverified";
            (StatusCode::FORBIDDEN, Errors { page: Some(page_error), ..Errors::default() })
        }
        Err(Refusal::AlreadyOn) => {
            let page_error = "two-factor-already-on";
            (StatusCode::CONFLICT, Errors { page: Some(page_error), ..Errors::default() })
        }
        Err(other) => return Err(unexpected(other)),
    };
    TwoFactorPage::refused(&state, &current, page, status, errors).await
}

pub async fn confirm_setup(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    page: Page,
    request_headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    match two_factor::confirm_setup(&state, &current, &form.code, &client).await {
        Ok(codes) => {
            let mut shown = TwoFactorPage::load(&state, &current, page).await?;
            // Turning it on gave the session a new id: the page's forms need a token for it.
            if let Some(token) = csrf::renewed_token(&state, &request_headers, &current.session).await {
                shown.page.csrf_token = token;
            }
            shown.new_codes = Some(codes);
            shown.notice = Some("notice-two-factor-on");
            Ok(shown.with_codes())
        }
        Err(Refusal::WrongCode) => {
            // The same secret again, so the user can correct the code without rescanning.
            let setup = two_factor::pending_setup(&state, &current.user).await?;
            let errors = Errors { confirm_code: Some(WRONG_CODE), ..Errors::default() };
            let again = TwoFactorPage { setup, errors, ..TwoFactorPage::load(&state, &current, page).await? };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response())
        }
        Err(Refusal::NoSetup) => {
            let page_error = "two-factor-setup-expired";
            let errors = Errors { page: Some(page_error), ..Errors::default() };
            TwoFactorPage::refused(&state, &current, page, StatusCode::CONFLICT, errors).await
        }
        Err(other) => Err(unexpected(other)),
    }
}

pub async fn renew_recovery_codes(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    page: Page,
    Form(form): Form<PasswordForm>,
) -> Result<Response> {
    let errors = match two_factor::renew_recovery_codes(&state, &current.user, &form.password, &client).await {
        Ok(codes) => {
            let shown = TwoFactorPage { new_codes: Some(codes), ..TwoFactorPage::load(&state, &current, page).await? };
            return Ok(shown.with_codes());
        }
        Err(Refusal::WrongPassword) => Errors { codes_password: Some(WRONG_PASSWORD), ..Errors::default() },
        Err(other) => return Err(unexpected(other)),
    };
    TwoFactorPage::refused(&state, &current, page, StatusCode::UNAUTHORIZED, errors).await
}

pub async fn turn_off(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    page: Page,
    Form(form): Form<DisableForm>,
) -> Result<Response> {
    let errors = match two_factor::turn_off(&state, &current.user, &form.password, &form.code, &client).await {
        Ok(()) => return Ok(Redirect::to("/account/2fa?notice=two-factor-off").into_response()),
        Err(Refusal::WrongPassword) => Errors { disable_password: Some(WRONG_PASSWORD), ..Errors::default() },
        Err(Refusal::WrongCode) => Errors { disable_code: Some("two-factor-wrong-disable-code"), ..Errors::default() },
        Err(other) => return Err(unexpected(other)),
    };
    TwoFactorPage::refused(&state, &current, page, StatusCode::UNAUTHORIZED, errors).await
}

/// The refusals a form cannot cause from this page's state: a second tab changed it.
fn unexpected(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::Throttled { retry_after_secs } => AppError::TooManyRequests { retry_after_secs },
        Refusal::Failed(error) => error,
        Refusal::NotOn => AppError::Conflict("error-two-factor-off"),
        Refusal::AlreadyOn | Refusal::NoSetup => AppError::Conflict("error-two-factor-changed"),
        Refusal::Unverified | Refusal::WrongPassword | Refusal::WrongCode => {
            AppError::BadRequest("error-form-unusable".to_owned())
        }
    }
}
