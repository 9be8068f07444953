//! `/invitation`: the page behind an invitation's link, where the invited person sets a
//! password (or chooses a passkey) and lands signed in.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use secrecy::SecretString;
use serde::Deserialize;
use tower_sessions::Session;

use crate::accounts::invitations::{self, Accepted, Lookup};
use crate::accounts::password::SignedInWith;
use crate::accounts::{Client, sessions};
use crate::domain::{Amr, Password};
use crate::error::Result;
use crate::state::AppState;
use crate::store::invitations::Invitation;
use crate::web::link_page::{self, TokenParam};
use crate::web::sign_in::start_session;
use crate::web::{Form, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "invitation.html")]
pub struct InvitationPage {
    page: Page,
    email: String,
    token: String,
    roles: String,
    min_length: usize,
    error: Option<String>,
    /// Why the link cannot be used (the key of the words), instead of the form.
    refused: Option<&'static str>,
}

impl InvitationPage {
    /// The form for a valid invitation, with what was wrong with the password, if anything.
    fn form(state: &AppState, page: Page, invitation: Invitation, token: String, error: Option<String>) -> Self {
        Self {
            page,
            roles: invitation.role_names().collect::<Vec<_>>().join(", "),
            email: invitation.email,
            token,
            min_length: state.config().password_min_length,
            error,
            refused: None,
        }
    }
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    /// `passkey`: make the account without a password and add a passkey next.
    #[serde(default)]
    with: String,
}

/// Shows the form without using the link.
pub async fn invitation_page(
    State(state): State<AppState>,
    page: Page,
    Query(param): Query<TokenParam>,
) -> Result<Response> {
    match invitations::look_up(state.store(), &param.token).await? {
        Lookup::Valid(invitation) => {
            Ok(link_page::showing_link(InvitationPage::form(&state, page, invitation, param.token, None)))
        }
        refused => Ok(refusal(page, &refused)),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    client: Client,
    session: Session,
    page: Page,
    Form(form): Form<AcceptForm>,
) -> Result<Response> {
    let with_passkey = form.with == "passkey" && state.webauthn().is_some();
    let password = if with_passkey {
        None
    } else {
        match Password::parse(SecretString::from(form.password), state.config().password_policy()) {
            Ok(password) => Some(password),
            Err(error) => {
                let error = page.lang.password_error(error);
                return again(&state, page, form.token, error).await;
            }
        }
    };
    let user = match invitations::accept(&state, &form.token, password.as_ref()).await? {
        Accepted::Account(user) => user,
        Accepted::Refused(refused) => return Ok(refusal(page, &refused)),
        Accepted::AddressTaken => return Ok(refusal(page, &Lookup::Accepted)),
    };
    let amr = if with_passkey { Amr::email() } else { Amr::password() };
    let auth = sessions::signed_in(&user, false, amr, &client);
    let known_device = start_session(&state, &session, &user, (&auth, SignedInWith::Invitation), &client).await?;
    let next = if with_passkey { "/account/passkeys?notice=add-a-passkey" } else { "/account?notice=welcome" };
    Ok((CookieJar::new().add(known_device), Redirect::to(next)).into_response())
}

/// The form again with what was wrong with the password, if the link still works.
async fn again(state: &AppState, page: Page, token: String, error: String) -> Result<Response> {
    let invitation = match invitations::look_up(state.store(), &token).await? {
        Lookup::Valid(invitation) => invitation,
        refused => return Ok(refusal(page, &refused)),
    };
    let form = InvitationPage::form(state, page, invitation, token, Some(error));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, link_page::TOKEN_PAGE_HEADERS, form).into_response())
}

/// A `400` page saying why the link does not work and whom to ask.
fn refusal(page: Page, lookup: &Lookup) -> Response {
    let refused = match lookup {
        Lookup::Expired => "invitation-expired",
        Lookup::Accepted => "invitation-accepted",
        Lookup::Revoked => "invitation-revoked",
        Lookup::Unknown | Lookup::Valid(_) => "invitation-unknown",
    };
    let body = InvitationPage {
        page,
        email: String::new(),
        token: String::new(),
        roles: String::new(),
        min_length: 0,
        error: None,
        refused: Some(refused),
    };
    (StatusCode::BAD_REQUEST, link_page::TOKEN_PAGE_HEADERS, body).into_response()
}
