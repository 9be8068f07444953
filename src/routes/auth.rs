//! Sign-up, email verification, login and logout.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tower_sessions::{Expiry, Session};

use super::{Form, Page, Query, local_path};
use crate::app::AppState;
use crate::domain::{AuthSession, Email, Password, SessionPolicy, Token};
use crate::error::Result;
use crate::mail::messages;
use crate::security::client_ip::ClientIp;
use crate::security::hasher::Verification;
use crate::store::tokens::{self, Lookup, Purpose};
use crate::store::{self, users};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    page: Page,
}

pub async fn home(page: Page) -> HomePage {
    HomePage { page }
}

// ----- sign-up -----

#[derive(Template, WebTemplate, Default)]
#[template(path = "register.html")]
pub struct RegisterPage {
    page: Page,
    email: String,
    email_error: Option<String>,
    password_error: Option<String>,
    min_length: usize,
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "check_email.html")]
pub struct CheckEmailPage {
    page: Page,
}

pub async fn register_page(State(state): State<AppState>, page: Page) -> RegisterPage {
    RegisterPage { page, min_length: state.config().password_min_length, ..Default::default() }
}

pub async fn register(State(state): State<AppState>, page: Page, Form(form): Form<RegisterForm>) -> Result<Response> {
    let email = Email::parse(&form.email);
    let password = Password::parse(SecretString::from(form.password), state.config().password_policy());
    let (email, password) = match (email, password) {
        (Ok(email), Ok(password)) => (email, password),
        (email, password) => {
            let form_again = RegisterPage {
                page,
                email: form.email,
                email_error: email.err().map(|e| e.to_string()),
                password_error: password.err().map(|e| e.to_string()),
                min_length: state.config().password_min_length,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, form_again).into_response());
        }
    };

    // Hash before looking the address up, so a taken address costs the same time.
    let password_hash = state.hasher().hash(password.expose()).await?;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let mail = match users::insert_if_new(&mut *tx, &email, &password_hash, now).await? {
        Some(user_id) => {
            let token = Token::generate();
            tokens::insert(&mut *tx, &token, Purpose::VerifyEmail, user_id, email.as_str(), now).await?;
            tracing::info!(event = "user_registered", user_id, "new account");
            messages::verify_email(state.links(), &email, &token)
        }
        None => {
            let existing = users::find_by_email(&mut *tx, &email).await?;
            let token = match existing.as_ref().filter(|user| !user.is_verified()) {
                Some(user) => {
                    let token = Token::generate();
                    tokens::insert(&mut *tx, &token, Purpose::VerifyEmail, user.id, &user.email, now).await?;
                    Some(token)
                }
                None => None,
            };
            tracing::info!(
                event = "registration_for_existing_account",
                user_id = existing.map(|u| u.id),
                "told the owner"
            );
            messages::already_registered(state.links(), &email, token.as_ref())
        }
    };
    state.outbox().enqueue(&mut tx, &mail).await?;
    tx.commit().await?;
    state.outbox().wake();
    Ok(Redirect::to("/check-email").into_response())
}

pub async fn check_email(page: Page) -> CheckEmailPage {
    CheckEmailPage { page }
}

// ----- email verification -----

#[derive(Deserialize)]
pub struct TokenParam {
    #[serde(default)]
    token: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "verify_confirm.html")]
pub struct VerifyConfirmPage {
    page: Page,
    email: String,
    token: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "verify_done.html")]
pub struct VerifyDonePage {
    page: Page,
    email: String,
}

/// Why a link was refused, shown on a `400` page with a way to get a new link.
#[derive(Template, WebTemplate)]
#[template(path = "token_error.html")]
pub struct TokenErrorPage {
    page: Page,
    title: &'static str,
    message: &'static str,
}

impl TokenErrorPage {
    fn for_lookup(page: Page, lookup: &Lookup) -> Response {
        let (title, message) = match lookup {
            Lookup::Expired => {
                ("This link has expired", "Confirmation links are valid for 24 hours. Ask for a new one below.")
            }
            Lookup::Used => (
                "This link has already been used",
                "Each link works once. If you confirmed your address, you can log in; otherwise ask for a new link below.",
            ),
            Lookup::Unknown | Lookup::Valid(_) => (
                "This link is not valid",
                "It may have been cut short when it was copied, or replaced by a newer link. Ask for a new one below.",
            ),
        };
        let headers = [(header::REFERRER_POLICY, "no-referrer"), (header::CACHE_CONTROL, "no-store")];
        (StatusCode::BAD_REQUEST, headers, Self { page, title, message }).into_response()
    }
}

async fn lookup_verification(state: &AppState, raw: &str) -> Result<Lookup> {
    let Ok(token) = Token::parse(raw) else { return Ok(Lookup::Unknown) };
    Ok(tokens::lookup(state.store().pool(), &token, Purpose::VerifyEmail, store::now()).await?)
}

/// Shows a button and does not use the token: mail scanners fetch links nobody clicked.
pub async fn verify_page(
    State(state): State<AppState>,
    page: Page,
    Query(param): Query<TokenParam>,
) -> Result<Response> {
    match lookup_verification(&state, &param.token).await? {
        Lookup::Valid(row) => {
            let headers = [(header::REFERRER_POLICY, "no-referrer"), (header::CACHE_CONTROL, "no-store")];
            Ok((headers, VerifyConfirmPage { page, email: row.email, token: param.token }).into_response())
        }
        other => Ok(TokenErrorPage::for_lookup(page, &other)),
    }
}

pub async fn verify(State(state): State<AppState>, page: Page, Form(form): Form<TokenParam>) -> Result<Response> {
    let Ok(token) = Token::parse(&form.token) else {
        return Ok(TokenErrorPage::for_lookup(page, &Lookup::Unknown));
    };
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = match tokens::lookup(&mut *tx, &token, Purpose::VerifyEmail, now).await? {
        Lookup::Valid(row) => row,
        other => return Ok(TokenErrorPage::for_lookup(page, &other)),
    };
    // Two clicks racing: only the one that marks the token used goes on.
    if !tokens::consume(&mut *tx, &row.selector, now).await? {
        return Ok(TokenErrorPage::for_lookup(page, &Lookup::Used));
    }
    // A link sent to an address the account no longer has must not verify the new one.
    if !users::mark_verified(&mut *tx, row.user_id, &row.email, now).await? {
        return Ok(TokenErrorPage::for_lookup(page, &Lookup::Unknown));
    }
    tx.commit().await?;
    tracing::info!(event = "email_verified", user_id = row.user_id, "address confirmed");
    Ok(VerifyDonePage { page, email: row.email }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "resend_sent.html")]
pub struct ResendSentPage {
    page: Page,
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// Answers the same whatever the address, so it tells nobody which accounts exist.
pub async fn resend_verification(
    State(state): State<AppState>,
    page: Page,
    Form(form): Form<EmailForm>,
) -> Result<ResendSentPage> {
    if let Ok(email) = Email::parse(&form.email) {
        let now = store::now();
        let mut tx = state.store().begin().await?;
        if let Some(user) = users::find_by_email(&mut *tx, &email).await?.filter(|user| !user.is_verified()) {
            let token = Token::generate();
            tokens::insert(&mut *tx, &token, Purpose::VerifyEmail, user.id, &user.email, now).await?;
            state.outbox().enqueue(&mut tx, &messages::verify_email(state.links(), &email, &token)).await?;
            tx.commit().await?;
            state.outbox().wake();
            tracing::info!(event = "verification_resent", user_id = user.id, "new verification link");
        }
    }
    Ok(ResendSentPage { page })
}

// ----- login and logout -----

#[derive(Template, WebTemplate, Default)]
#[template(path = "login.html")]
pub struct LoginPage {
    page: Page,
    email: String,
    next: String,
    error: Option<&'static str>,
}

#[derive(Template, WebTemplate)]
#[template(path = "login_unverified.html")]
pub struct UnverifiedPage {
    page: Page,
    email: String,
}

#[derive(Deserialize)]
pub struct NextParam {
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    remember: Option<String>,
    #[serde(default)]
    next: String,
}

pub async fn login_page(page: Page, Query(param): Query<NextParam>) -> LoginPage {
    LoginPage { page, next: local_path(&param.next).unwrap_or_default().to_owned(), ..Default::default() }
}

pub async fn login(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    session: Session,
    page: Page,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let user = match Email::parse(&form.email) {
        Ok(email) => users::find_by_email(state.store().pool(), &email).await?,
        Err(_) => None,
    };
    // Exactly one verification whether or not the account exists: same time, same answer.
    let password = SecretString::from(form.password);
    let verification = state.hasher().verify(&password, user.as_ref().map(|u| u.password_hash.as_str())).await?;
    let next = local_path(&form.next).unwrap_or_default().to_owned();
    let known_user_id = user.as_ref().map(|u| u.id);
    let Some(user) = user.filter(|_| verification.is_match()) else {
        tracing::warn!(event = "login_failed", user_id = known_user_id, %ip, "wrong email or password");
        let form_again =
            LoginPage { page, email: form.email, next, error: Some("The email or password is incorrect.") };
        return Ok((StatusCode::UNAUTHORIZED, form_again).into_response());
    };
    if verification == Verification::MatchNeedsRehash {
        let fresh = state.hasher().hash(password.expose_secret()).await?;
        users::set_password_hash(state.store().pool(), user.id, &fresh).await?;
    }
    if !user.is_verified() {
        tracing::info!(event = "login_unverified", user_id = user.id, "right password, address not confirmed");
        return Ok((StatusCode::FORBIDDEN, UnverifiedPage { page, email: user.email }).into_response());
    }

    let remember = form.remember.is_some_and(|value| !matches!(value.as_str(), "" | "0" | "false" | "off"));
    // A new session id on login, so an id planted before login is worth nothing after it.
    session.cycle_id().await?;
    let auth = AuthSession {
        user_id: user.id,
        remember,
        authenticated_at: store::now(),
        ip: ip.to_string(),
        user_agent: user_agent(&headers),
    };
    session.insert(AuthSession::KEY, &auth).await?;
    if remember {
        session.set_expiry(Some(Expiry::OnInactivity(SessionPolicy::REMEMBERED.idle)));
    }
    tracing::info!(event = "login_succeeded", user_id = user.id, %ip, remember, "signed in");
    let target = if next.is_empty() { "/account".to_owned() } else { next };
    Ok(Redirect::to(&target).into_response())
}

fn user_agent(headers: &HeaderMap) -> String {
    let agent = headers.get(header::USER_AGENT).and_then(|value| value.to_str().ok()).unwrap_or_default();
    agent.chars().take(256).collect()
}

/// Ends the session on the server, so the old cookie stops working everywhere at once.
pub async fn logout(session: Session) -> Result<Redirect> {
    if let Ok(Some(auth)) = session.get::<AuthSession>(AuthSession::KEY).await {
        tracing::info!(event = "logout", user_id = auth.user_id, "signed out");
    }
    session.flush().await?;
    Ok(Redirect::to("/"))
}
