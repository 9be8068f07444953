//! "Email me a code": `/login/code` asks for the address, `/login/code/enter` takes the
//! code. Only when `EMAIL_CODE_LOGIN` is on; otherwise both are `404`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::accounts::email_codes::{self, Tried};
use crate::accounts::password::{DISABLED, SignedInWith};
use crate::accounts::{Client, sessions};
use crate::domain::{Amr, Email};
use crate::error::{AppError, Result};
use crate::state::AppState;
use crate::two_factor::pending::PendingSignIn;
use crate::web::format::{SECOND_STEP, after_sign_in, local_path};
use crate::web::sign_in::start_session;
use crate::web::{Form, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "login_code.html")]
pub struct CodePage {
    page: Page,
    /// The address the code went to, once asked; empty on the asking step.
    sent_to: String,
    email: String,
    next: String,
    /// The key of the words for what went wrong.
    error: Option<&'static str>,
}

/// What the asking browser keeps between the two steps.
#[derive(Serialize, Deserialize)]
struct Asked {
    email: String,
    nonce: String,
    next: String,
}

const ASKED: &str = "email_code";

#[derive(Deserialize)]
pub struct NextParam {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct AskForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn offered(state: &AppState) -> Result<()> {
    if state.config().email_code_login { Ok(()) } else { Err(AppError::NotFound) }
}

pub async fn ask_page(State(state): State<AppState>, page: Page, Query(param): Query<NextParam>) -> Result<CodePage> {
    offered(&state)?;
    let next = local_path(&param.next).unwrap_or_default().to_owned();
    Ok(CodePage { page, sent_to: String::new(), email: String::new(), next, error: None })
}

/// Answers every address alike: the code is only mailed to an account's.
pub async fn ask(
    State(state): State<AppState>,
    session: Session,
    page: Page,
    Form(form): Form<AskForm>,
) -> Result<Response> {
    offered(&state)?;
    let next = local_path(&form.next).unwrap_or_default().to_owned();
    let Ok(email) = Email::parse(&form.email) else {
        let again = CodePage { page, sent_to: String::new(), email: form.email, next, error: Some("code-error-email") };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response());
    };
    let nonce = email_codes::new_browser_nonce();
    email_codes::request(&state, &email, &nonce).await?;
    session.insert(ASKED, Asked { email: email.as_str().to_owned(), nonce, next }).await?;
    Ok(Redirect::to("/login/code/enter").into_response())
}

pub async fn enter_page(State(state): State<AppState>, session: Session, page: Page) -> Result<Response> {
    offered(&state)?;
    let Some(asked) = session.get::<Asked>(ASKED).await? else {
        return Ok(Redirect::to("/login/code").into_response());
    };
    Ok(CodePage { page, sent_to: asked.email, email: String::new(), next: asked.next, error: None }.into_response())
}

pub async fn enter(
    State(state): State<AppState>,
    client: Client,
    session: Session,
    page: Page,
    Form(form): Form<CodeForm>,
) -> Result<Response> {
    offered(&state)?;
    let Some(asked) = session.get::<Asked>(ASKED).await? else {
        return Ok(Redirect::to("/login/code").into_response());
    };
    let email = Email::parse(&asked.email).map_err(|_| AppError::BadRequest("code-error-refused".into()))?;
    let user = match email_codes::try_code(&state, &email, &asked.nonce, &form.code).await? {
        Tried::SignedIn(user) => user,
        Tried::Disabled => return Err(AppError::Forbidden(DISABLED)),
        Tried::Refused => {
            let again = CodePage {
                page,
                sent_to: asked.email,
                email: String::new(),
                next: asked.next,
                error: Some("code-error-refused"),
            };
            return Ok((StatusCode::UNAUTHORIZED, again).into_response());
        }
    };
    session.remove_value(ASKED).await?;
    if user.has_two_factor() {
        PendingSignIn::after_email_code(user.id, asked.next).begin(&session).await?;
        return Ok(Redirect::to(SECOND_STEP).into_response());
    }
    let auth = sessions::signed_in(&user, false, Amr::email(), &client);
    let known_device = start_session(&state, &session, &user, (&auth, SignedInWith::EmailCode), &client).await?;
    Ok((axum_extra::extract::cookie::CookieJar::new().add(known_device), Redirect::to(after_sign_in(&asked.next)))
        .into_response())
}
