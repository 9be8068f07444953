//! Sign-up, email verification, login and logout.

use askama::Template;
use askama_web::WebTemplate;
use std::net::IpAddr;

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tower_sessions::{Expiry, Session};

use super::{Form, Page, Query, local_path};
use crate::app::AppState;
use crate::domain::{AuthSession, Email, Password, SessionPolicy, Token};
use crate::error::{AppError, Result};
use crate::mail::messages;
use crate::metrics;
use crate::security::client_ip::ClientIp;
use crate::security::device;
use crate::security::hasher::Verification;
use crate::store::events::{self, EventKind};
use crate::store::tokens::{self, Lookup, Purpose};
use crate::store::users::User;
use crate::store::{self, throttle, users};

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
            metrics::signup();
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
    pub token: String,
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
    message: String,
    /// Where the form for a new link posts, and what its button says.
    retry_action: &'static str,
    retry_label: &'static str,
}

/// The kinds of emailed link, for the refusal page.
#[derive(Debug, Clone, Copy)]
pub enum LinkKind {
    Verification,
    PasswordReset,
    EmailChange,
}

impl TokenErrorPage {
    pub fn for_lookup(page: Page, lookup: &Lookup, kind: LinkKind) -> Response {
        let (validity, retry_action, retry_label) = match kind {
            LinkKind::Verification => ("24 hours", "/resend-verification", "Send a new link"),
            LinkKind::PasswordReset => ("one hour", "/forgot-password", "Send a new reset link"),
            LinkKind::EmailChange => ("24 hours", "", ""),
        };
        let (title, message) = match lookup {
            Lookup::Expired => ("This link has expired", format!("Links like this one are valid for {validity}.")),
            Lookup::Used => ("This link has already been used", "Each link works once.".to_owned()),
            Lookup::Unknown | Lookup::Valid(_) => (
                "This link is not valid",
                "It may have been cut short when it was copied, or replaced by a newer link.".to_owned(),
            ),
        };
        let headers = super::TOKEN_PAGE_HEADERS;
        let body = Self { page, title, message, retry_action, retry_label };
        (StatusCode::BAD_REQUEST, headers, body).into_response()
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
            let headers = super::TOKEN_PAGE_HEADERS;
            Ok((headers, VerifyConfirmPage { page, email: row.email, token: param.token }).into_response())
        }
        other => Ok(TokenErrorPage::for_lookup(page, &other, LinkKind::Verification)),
    }
}

pub async fn verify(State(state): State<AppState>, page: Page, Form(form): Form<TokenParam>) -> Result<Response> {
    let Ok(token) = Token::parse(&form.token) else {
        return Ok(TokenErrorPage::for_lookup(page, &Lookup::Unknown, LinkKind::Verification));
    };
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = match tokens::redeem(&mut tx, &token, Purpose::VerifyEmail, now).await? {
        Lookup::Valid(row) => row,
        other => return Ok(TokenErrorPage::for_lookup(page, &other, LinkKind::Verification)),
    };
    // A link sent to an address the account no longer has must not verify the new one.
    if !users::mark_verified(&mut *tx, row.user_id, &row.email, now).await? {
        return Ok(TokenErrorPage::for_lookup(page, &Lookup::Unknown, LinkKind::Verification));
    }
    events::record(&mut *tx, row.user_id, EventKind::EmailVerified, "", "", now).await?;
    tx.commit().await?;
    tracing::info!(event = "email_verified", user_id = row.user_id, "address confirmed");
    metrics::verification();
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
    pub email: String,
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
        let user = users::find_by_email(&mut *tx, &email).await?.filter(|user| !user.is_verified());
        if let Some(user) = user
            && state.within_mail_budget(&email).await?
        {
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

/// What checking an email and password found.
pub enum PasswordCheck {
    Accepted(User),
    /// Wrong email or password: one answer for both.
    Refused,
    Throttled {
        retry_after_secs: u64,
    },
    Unverified(User),
    Disabled(User),
}

/// The one password check behind the login form, HTTP Basic and the token endpoint: the
/// account throttle, exactly one verification whether or not the account exists (same
/// time, same answer), failure counting and hash upgrades.
pub async fn check_password(
    state: &AppState,
    email: &str,
    password: SecretString,
    headers: &HeaderMap,
    ip: IpAddr,
) -> Result<PasswordCheck> {
    let pool = state.store().pool();
    let email = Email::parse(email).ok();
    let user = match &email {
        Some(email) => users::find_by_email(pool, email).await?,
        None => None,
    };
    if let Some(email) = &email
        && let Some(retry_after_secs) = account_throttle(state, email, user.as_ref(), headers).await?
    {
        tracing::warn!(event = "login_throttled", user_id = user.as_ref().map(|u| u.id), %ip, retry_after_secs);
        metrics::login("throttled");
        return Ok(PasswordCheck::Throttled { retry_after_secs });
    }
    let verification = state.hasher().verify(&password, user.as_ref().map(|u| u.password_hash.as_str())).await?;
    let known_user_id = user.as_ref().map(|u| u.id);
    let Some(user) = user.filter(|_| verification.is_match()) else {
        tracing::warn!(event = "login_failed", user_id = known_user_id, %ip, "wrong email or password");
        metrics::login("failed");
        if let Some(email) = &email {
            record_failure(state, email, known_user_id, &ip.to_string(), &user_agent(headers)).await?;
        }
        return Ok(PasswordCheck::Refused);
    };
    if verification == Verification::MatchNeedsRehash {
        let fresh = state.hasher().hash(password.expose_secret()).await?;
        users::set_password_hash(pool, user.id, &fresh).await?;
    }
    if user.is_disabled() {
        tracing::warn!(event = "login_disabled", user_id = user.id, %ip, "right password, account disabled");
        metrics::login("disabled");
        return Ok(PasswordCheck::Disabled(user));
    }
    if !user.is_verified() {
        tracing::info!(event = "login_unverified", user_id = user.id, "right password, address not confirmed");
        metrics::login("unverified");
        return Ok(PasswordCheck::Unverified(user));
    }
    let now = store::now();
    throttle::clear(pool, &user.email).await?;
    users::record_login(pool, user.id, &ip.to_string(), now).await?;
    events::record(pool, user.id, EventKind::LoggedIn, &ip.to_string(), &user_agent(headers), now).await?;
    tracing::info!(event = "login_succeeded", user_id = user.id, %ip, "signed in");
    metrics::login("ok");
    Ok(PasswordCheck::Accepted(user))
}

pub const DISABLED: &str = "This account has been disabled. Contact the people who run this site.";

pub async fn login(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    headers: HeaderMap,
    session: Session,
    page: Page,
    Form(form): Form<LoginForm>,
) -> Result<Response> {
    let next = local_path(&form.next).unwrap_or_default().to_owned();
    let user = match check_password(&state, &form.email, SecretString::from(form.password), &headers, ip).await? {
        PasswordCheck::Accepted(user) => user,
        PasswordCheck::Refused => {
            let error = Some("The email or password is incorrect.");
            return Ok((StatusCode::UNAUTHORIZED, LoginPage { page, email: form.email, next, error }).into_response());
        }
        PasswordCheck::Throttled { retry_after_secs } => {
            return Ok(AppError::TooManyRequests { retry_after_secs }.into_response());
        }
        PasswordCheck::Disabled(_) => return Err(AppError::Forbidden(DISABLED)),
        PasswordCheck::Unverified(user) => {
            return Ok((StatusCode::FORBIDDEN, UnverifiedPage { page, email: user.email }).into_response());
        }
    };
    let remember = form.remember.is_some_and(|value| !matches!(value.as_str(), "" | "0" | "false" | "off"));
    let auth = AuthSession {
        user_id: user.id,
        remember,
        authenticated_at: store::now(),
        ip: ip.to_string(),
        user_agent: user_agent(&headers),
    };
    start_session(&session, &auth).await?;
    let target = if next.is_empty() { "/account".to_owned() } else { next };
    let known_device = device::cookie(state.signing_key(), user.id, state.secure_cookies());
    Ok((CookieJar::new().add(known_device), Redirect::to(&target)).into_response())
}

/// A new session id on login (an id planted before login is worth nothing after it), and
/// a thirty-day cookie when the user asked to be remembered.
pub async fn start_session(session: &Session, auth: &AuthSession) -> Result<()> {
    session.cycle_id().await?;
    session.insert(AuthSession::KEY, auth).await?;
    if auth.remember {
        session.set_expiry(Some(Expiry::OnInactivity(SessionPolicy::REMEMBERED.idle)));
    }
    Ok(())
}

/// Seconds this address must wait before another try, unless the browser logged in to
/// the account before. Keyed by address, so unknown addresses behave exactly the same.
async fn account_throttle(
    state: &AppState,
    email: &Email,
    user: Option<&User>,
    headers: &HeaderMap,
) -> Result<Option<u64>> {
    let failures = throttle::get(state.store().pool(), email.as_str()).await?;
    let Some(wait) = crate::security::throttle::retry_after(failures, store::now()) else { return Ok(None) };
    let trusted =
        user.is_some_and(|user| device::is_known(state.signing_key(), headers, user.id, state.secure_cookies()));
    Ok((!trusted).then_some(wait))
}

async fn record_failure(
    state: &AppState,
    email: &Email,
    user_id: Option<i64>,
    ip: &str,
    user_agent: &str,
) -> Result<()> {
    let pool = state.store().pool();
    let now = store::now();
    let forget_before = now - crate::security::throttle::FORGET_AFTER_SECS;
    let failures = throttle::record_failure(pool, email.as_str(), now, forget_before).await?;
    let Some(user_id) = user_id else { return Ok(()) };
    users::record_failed_login(pool, user_id).await?;
    events::record(pool, user_id, EventKind::LoginFailed, ip, user_agent, now).await?;
    if failures.failures >= crate::security::throttle::FREE_ATTEMPTS
        && throttle::claim_notice(pool, email.as_str(), now).await?
    {
        state.outbox().send(state.store(), &messages::failed_logins(state.links(), email)).await?;
    }
    Ok(())
}

pub fn user_agent(headers: &HeaderMap) -> String {
    let agent = headers.get(header::USER_AGENT).and_then(|value| value.to_str().ok()).unwrap_or_default();
    agent.chars().take(256).collect()
}

/// Ends the session on the server, so the old cookie stops working everywhere at once.
pub async fn logout(State(state): State<AppState>, session: Session) -> Result<Redirect> {
    if let Ok(Some(auth)) = session.get::<AuthSession>(AuthSession::KEY).await {
        tracing::info!(event = "logout", user_id = auth.user_id, "signed out");
        let pool = state.store().pool();
        events::record(pool, auth.user_id, EventKind::LoggedOut, &auth.ip, &auth.user_agent, store::now()).await?;
        store::refresh_tokens::revoke_for_user(pool, auth.user_id, store::now()).await?;
    }
    session.flush().await?;
    Ok(Redirect::to("/"))
}
