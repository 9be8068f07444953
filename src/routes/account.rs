//! The signed-in user's own account: what we know, and what they can change.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use secrecy::SecretString;
use serde::Deserialize;

use super::auth::{LinkKind, TokenErrorPage, TokenParam};
use super::{CurrentUser, Form, Page, Query, human_date, human_time};
use crate::app::AppState;
use crate::domain::{AuthSession, Email, Password, Token};
use crate::error::{AppError, Result};
use crate::mail::messages;
use crate::security::client_ip::ClientIp;
use crate::store::events::{self, EventKind};
use crate::store::tokens::{self, Lookup, Purpose};
use crate::store::users::User;
use crate::store::{self, api_tokens, outbox, refresh_tokens, sessions, users};

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    page: Page,
    user: UserView,
    notice: Option<&'static str>,
    sessions: Vec<SessionView>,
    events: Vec<EventView>,
    tokens: Vec<TokenView>,
    /// A token just created: shown this once.
    new_token: Option<String>,
    errors: FormErrors,
}

struct TokenView {
    id: i64,
    name: String,
    scope: String,
    created: String,
    expires: String,
    last_used: String,
}

struct UserView {
    email: String,
    verified: bool,
    signed_up: String,
    last_login: Option<String>,
    failed_logins: i64,
}

pub struct SessionView {
    pub id: String,
    pub current: bool,
    pub device: String,
    pub ip: String,
    pub created: String,
    pub last_seen: String,
}

struct EventView {
    what: &'static str,
    when: String,
    ip: String,
}

/// Messages beside the fields of the forms on the account page.
#[derive(Default)]
struct FormErrors {
    current_password: Option<String>,
    new_password: Option<String>,
    new_email: Option<String>,
    new_email_value: String,
    email_password: Option<String>,
    delete_password: Option<String>,
    token: Option<String>,
    token_password: Option<String>,
}

#[derive(Deserialize)]
pub struct NoticeParam {
    #[serde(default)]
    notice: String,
}

fn notice_text(key: &str) -> Option<&'static str> {
    Some(match key {
        "password-changed" => "Your password was changed. Every other session was signed out.",
        "email-change-sent" => "Check the inbox of the new address: your email changes when you confirm it there.",
        "session-revoked" => "That session was signed out.",
        "others-revoked" => "Every other session was signed out.",
        "token-revoked" => "The API token was revoked.",
        _ => return None,
    })
}

pub async fn account(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<AccountPage> {
    render(&state, &current, page, notice_text(&param.notice), FormErrors::default()).await
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    page: Page,
    notice: Option<&'static str>,
    errors: FormErrors,
) -> Result<AccountPage> {
    render_with_token(state, current, page, notice, errors, None).await
}

async fn render_with_token(
    state: &AppState,
    current: &CurrentUser,
    page: Page,
    notice: Option<&'static str>,
    errors: FormErrors,
    new_token: Option<String>,
) -> Result<AccountPage> {
    let pool = state.store().pool();
    let user = &current.user;
    let sessions = session_views(state, current).await?;
    let events = events::recent(pool, user.id, 20)
        .await?
        .into_iter()
        .map(|event| EventView {
            what: EventKind::describe(&event.kind),
            when: human_time(event.created_at),
            ip: event.ip,
        })
        .collect();
    let last_login = user.last_login_at.map(|at| match &user.last_login_ip {
        Some(ip) => format!("{} from {ip}", human_time(at)),
        None => human_time(at),
    });
    let view = UserView {
        email: user.email.clone(),
        verified: user.is_verified(),
        signed_up: human_date(user.created_at),
        last_login,
        failed_logins: user.failed_logins,
    };
    let tokens = api_tokens::list(pool, user.id)
        .await?
        .into_iter()
        .map(|token| TokenView {
            id: token.id,
            name: token.name,
            scope: token.scope,
            created: human_date(token.created_at),
            expires: token.expires_at.map_or_else(|| "never".to_owned(), human_date),
            last_used: token.last_used_at.map_or_else(|| "never".to_owned(), human_time),
        })
        .collect();
    Ok(AccountPage { page, user: view, notice, sessions, events, tokens, new_token, errors })
}

pub async fn session_views(state: &AppState, current: &CurrentUser) -> Result<Vec<SessionView>> {
    let this = current.session_key();
    let rows = sessions::list_for_user(state.store().pool(), current.user.id, store::now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| SessionView {
            current: row.id_hash == this,
            device: describe_device(&row.user_agent),
            ip: row.ip,
            created: human_time(row.created_at),
            last_seen: human_time(row.last_seen_at),
            id: row.id_hash,
        })
        .collect())
}

/// "Firefox on Linux" from a User-Agent, good enough to recognise one's own devices.
pub fn describe_device(user_agent: &str) -> String {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(name), None) | (None, Some(name)) => name.to_owned(),
        (None, None) if user_agent.is_empty() => "Unknown device".to_owned(),
        (None, None) => user_agent.chars().take(40).collect(),
    }
}

async fn password_is_right(state: &AppState, user: &User, password: String) -> Result<bool> {
    let password = SecretString::from(password);
    Ok(state.hasher().verify(&password, Some(&user.password_hash)).await?.is_match())
}

fn unprocessable(page: AccountPage) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

// ----- change password -----

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    current: CurrentUser,
    page: Page,
    Form(form): Form<ChangePasswordForm>,
) -> Result<Response> {
    let user = &current.user;
    let right = password_is_right(&state, user, form.current_password).await?;
    let new_password = Password::parse(SecretString::from(form.new_password), state.config().password_policy());
    let new_password = match (right, new_password) {
        (true, Ok(password)) => password,
        (right, new_password) => {
            let errors = FormErrors {
                current_password: (!right).then(|| "That is not your current password.".to_owned()),
                new_password: new_password.err().map(|e| e.to_string()),
                ..Default::default()
            };
            return Ok(unprocessable(render(&state, &current, page, None, errors).await?));
        }
    };
    let password_hash = state.hasher().hash(new_password.expose()).await?;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    users::set_password_hash(&mut *tx, user.id, &password_hash).await?;
    sessions::delete_for_user(&mut *tx, user.id).await?;
    refresh_tokens::revoke_for_user(&mut *tx, user.id, now).await?;
    events::record(&mut *tx, user.id, EventKind::PasswordChanged, &ip.to_string(), &current.auth.user_agent, now)
        .await?;
    state.outbox().enqueue(&mut tx, &messages::password_changed(state.links(), &user.address()?)).await?;
    tx.commit().await?;
    state.outbox().wake();
    // Every other session ended above; this browser carries on under a new id.
    let renewed = AuthSession { authenticated_at: now, ..current.auth.clone() };
    super::auth::start_session(&current.session, &renewed).await?;
    tracing::info!(event = "password_changed", user_id = user.id, "password changed; other sessions ended");
    Ok(Redirect::to("/account?notice=password-changed").into_response())
}

// ----- change email -----

#[derive(Deserialize)]
pub struct ChangeEmailForm {
    #[serde(default)]
    new_email: String,
    #[serde(default)]
    password: String,
}

pub async fn change_email(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    current: CurrentUser,
    page: Page,
    Form(form): Form<ChangeEmailForm>,
) -> Result<Response> {
    let user = &current.user;
    let right = password_is_right(&state, user, form.password).await?;
    let new_email = Email::parse(&form.new_email).map_err(|e| e.to_string()).and_then(|email| {
        if email.as_str() == user.email { Err("That is already your address.".to_owned()) } else { Ok(email) }
    });
    let new_email = match (right, new_email) {
        (true, Ok(email)) => email,
        (right, new_email) => {
            let errors = FormErrors {
                email_password: (!right).then(|| "That is not your password.".to_owned()),
                new_email: new_email.err(),
                new_email_value: form.new_email,
                ..Default::default()
            };
            return Ok(unprocessable(render(&state, &current, page, None, errors).await?));
        }
    };

    if state.within_mail_budget(&new_email).await? {
        let now = store::now();
        let mut tx = state.store().begin().await?;
        let mail = if users::find_by_email(&mut *tx, &new_email).await?.is_some() {
            // Say nothing to the requester about whose address it is; tell its owner.
            messages::email_already_in_use(state.links(), &new_email)
        } else {
            // Only the newest request can be confirmed (Devise's reconfirmable).
            tokens::revoke_for_user(&mut *tx, user.id, Purpose::ChangeEmail, now).await?;
            let token = Token::generate();
            tokens::insert(&mut *tx, &token, Purpose::ChangeEmail, user.id, new_email.as_str(), now).await?;
            let old = user.address()?;
            state.outbox().enqueue(&mut tx, &messages::email_change_requested(state.links(), &old, &new_email)).await?;
            messages::confirm_new_email(state.links(), &new_email, &token)
        };
        state.outbox().enqueue(&mut tx, &mail).await?;
        let agent = &current.auth.user_agent;
        events::record(&mut *tx, user.id, EventKind::EmailChangeRequested, &ip.to_string(), agent, now).await?;
        tx.commit().await?;
        state.outbox().wake();
        tracing::info!(event = "email_change_requested", user_id = user.id, "confirmation sent to the new address");
    }
    Ok(Redirect::to("/account?notice=email-change-sent").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm_email.html")]
pub struct ConfirmEmailPage {
    page: Page,
    email: String,
    token: String,
    done: bool,
}

/// Like `/verify-email`: following the link only shows a button.
pub async fn confirm_email_page(
    State(state): State<AppState>,
    page: Page,
    Query(param): Query<TokenParam>,
) -> Result<Response> {
    let lookup = match Token::parse(&param.token) {
        Ok(token) => tokens::lookup(state.store().pool(), &token, Purpose::ChangeEmail, store::now()).await?,
        Err(_) => Lookup::Unknown,
    };
    match lookup {
        Lookup::Valid(row) => {
            let headers = super::TOKEN_PAGE_HEADERS;
            Ok((headers, ConfirmEmailPage { page, email: row.email, token: param.token, done: false }).into_response())
        }
        refused => Ok(TokenErrorPage::for_lookup(page, &refused, LinkKind::EmailChange)),
    }
}

/// Makes the confirmed address the account's: exactly the one this link was sent to.
pub async fn confirm_email(
    State(state): State<AppState>,
    page: Page,
    Form(form): Form<TokenParam>,
) -> Result<Response> {
    let Ok(token) = Token::parse(&form.token) else {
        return Ok(TokenErrorPage::for_lookup(page, &Lookup::Unknown, LinkKind::EmailChange));
    };
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = match tokens::redeem(&mut tx, &token, Purpose::ChangeEmail, now).await? {
        Lookup::Valid(row) => row,
        refused => return Ok(TokenErrorPage::for_lookup(page, &refused, LinkKind::EmailChange)),
    };
    match users::change_email(&mut *tx, row.user_id, &row.email, now).await {
        Ok(true) => {}
        Ok(false) => return Ok(TokenErrorPage::for_lookup(page, &Lookup::Unknown, LinkKind::EmailChange)),
        Err(error) if store::is_unique_violation(&error) => {
            tracing::info!(event = "email_change_refused", user_id = row.user_id, "the address was taken meanwhile");
            let error =
                AppError::Conflict("That address now belongs to another account, so your address was not changed.");
            return Ok(error.into_response());
        }
        Err(error) => return Err(error.into()),
    }
    tokens::revoke_for_user(&mut *tx, row.user_id, Purpose::ChangeEmail, now).await?;
    tokens::revoke_for_user(&mut *tx, row.user_id, Purpose::ResetPassword, now).await?;
    events::record(&mut *tx, row.user_id, EventKind::EmailChanged, "", "", now).await?;
    tx.commit().await?;
    tracing::info!(event = "email_changed", user_id = row.user_id, "address changed");
    Ok(ConfirmEmailPage { page, email: row.email, token: String::new(), done: true }.into_response())
}

// ----- sessions -----

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    session_id: String,
}

pub async fn revoke_session(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    current: CurrentUser,
    Form(form): Form<RevokeForm>,
) -> Result<Redirect> {
    if end_session(&state, current.user.id, Some(&current), &form.session_id, &ip.to_string()).await? == Ended::ThisOne
    {
        return Ok(Redirect::to("/"));
    }
    Ok(Redirect::to("/account?notice=session-revoked"))
}

#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    ThisOne,
    Another,
    NoSuchSession,
}

/// Ends one of the user's sessions (possibly the current one).
/// Ends one of `user_id`'s sessions; `current` is the caller's own browser session, if any.
pub async fn end_session(
    state: &AppState,
    user_id: i64,
    current: Option<&CurrentUser>,
    id: &str,
    ip: &str,
) -> Result<Ended> {
    let pool = state.store().pool();
    if !sessions::delete_one(pool, user_id, id).await? {
        return Ok(Ended::NoSuchSession);
    }
    let now = store::now();
    let agent = current.map_or("", |current| current.auth.user_agent.as_str());
    events::record(pool, user_id, EventKind::SessionRevoked, ip, agent, now).await?;
    refresh_tokens::revoke_for_user(pool, user_id, now).await?;
    tracing::info!(event = "session_revoked", user_id, "session ended by its owner");
    match current {
        Some(current) if current.session_key() == id => {
            current.session.flush().await?;
            Ok(Ended::ThisOne)
        }
        _ => Ok(Ended::Another),
    }
}

pub async fn revoke_other_sessions(
    State(state): State<AppState>,
    Extension(ClientIp(ip)): Extension<ClientIp>,
    current: CurrentUser,
) -> Result<Redirect> {
    let this = current.session_key();
    let pool = state.store().pool();
    let ended = sessions::delete_others(pool, current.user.id, &this).await?;
    refresh_tokens::revoke_for_user(pool, current.user.id, store::now()).await?;
    let agent = &current.auth.user_agent;
    events::record(pool, current.user.id, EventKind::OtherSessionsRevoked, &ip.to_string(), agent, store::now())
        .await?;
    tracing::info!(event = "other_sessions_revoked", user_id = current.user.id, ended, "other sessions ended");
    Ok(Redirect::to("/account?notice=others-revoked"))
}

// ----- delete -----

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
}

/// Deletes the account, its tokens, sessions, activity and pending mail in one transaction.
pub async fn delete_account(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Form(form): Form<DeleteForm>,
) -> Result<Response> {
    let user = &current.user;
    if !password_is_right(&state, user, form.password).await? {
        let errors =
            FormErrors { delete_password: Some("That is not your password.".to_owned()), ..Default::default() };
        return Ok(unprocessable(render(&state, &current, page, None, errors).await?));
    }
    let email = user.address()?;
    let mut tx = state.store().begin().await?;
    outbox::delete_unsent_to(&mut *tx, email.as_str()).await?;
    users::delete(&mut *tx, user.id).await?;
    state.outbox().enqueue(&mut tx, &messages::account_deleted(state.links(), &email)).await?;
    tx.commit().await?;
    state.outbox().wake();
    current.session.flush().await?;
    tracing::info!(event = "account_deleted", user_id = user.id, "account deleted by its owner");
    Ok(Redirect::to("/").into_response())
}

// ----- personal API tokens -----

#[derive(Deserialize)]
pub struct NewTokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    expires_in_days: String,
    #[serde(default)]
    password: String,
}

/// Creates a token and shows it this once; the password makes it a recent authentication.
pub async fn create_token(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Form(form): Form<NewTokenForm>,
) -> Result<Response> {
    let right = password_is_right(&state, &current.user, form.password).await?;
    let days = match form.expires_in_days.trim() {
        "" => Ok(None),
        days => days.parse::<i64>().map(Some).map_err(|_| "A token may expire in 1 to 3650 days, or never."),
    };
    let valid = days.and_then(|days| super::api::validate_new_token(&form.name, &form.scope, days));
    let (name, scope, expires_at) = match (right, valid) {
        (true, Ok(valid)) => valid,
        (right, valid) => {
            let errors = FormErrors {
                token_password: (!right).then(|| "That is not your password.".to_owned()),
                token: valid.err().map(str::to_owned),
                ..Default::default()
            };
            return Ok(unprocessable(render(&state, &current, page, None, errors).await?));
        }
    };
    let created = super::api::create_api_token(&state, current.user.id, &name, scope, expires_at).await?;
    let page = render_with_token(&state, &current, page, None, FormErrors::default(), created.token).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], page).into_response())
}

#[derive(Deserialize)]
pub struct RevokeTokenForm {
    #[serde(default)]
    token_id: i64,
}

pub async fn revoke_token(
    State(state): State<AppState>,
    current: CurrentUser,
    Form(form): Form<RevokeTokenForm>,
) -> Result<Redirect> {
    if api_tokens::delete(state.store().pool(), current.user.id, form.token_id).await? {
        tracing::info!(
            event = "api_token_revoked",
            user_id = current.user.id,
            token_id = form.token_id,
            "API token revoked"
        );
    }
    Ok(Redirect::to("/account?notice=token-revoked"))
}
