//! Signing in with another provider (`/login/oidc/{id}` for OpenID Connect,
//! `/login/oauth2/{id}` for plain OAuth2, and the callback each returns to), and linking
//! one to the signed-in account (`/account/links/{id}`).

use axum::extract::{MatchedPath, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;
use tower_sessions::Session;

use crate::accounts::sessions::{self, CurrentUser};
use crate::accounts::{Client, password};
use crate::domain::Amr;
use crate::error::{AppError, Result};
use crate::external::{self, Callback, Purpose, Refusal, SignIn, Unlink};
use crate::state::AppState;
use crate::two_factor::pending::PendingSignIn;
use crate::web::format::{SECOND_STEP, after_sign_in, local_path};
use crate::web::sign_in::start_session;
use crate::web::{Form, Path, Query};

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    next: String,
}

/// `POST /login/{oidc,oauth2}/{id}`: off to the provider.
pub async fn start(
    State(state): State<AppState>,
    session: Session,
    matched: MatchedPath,
    Path(id): Path<String>,
    Form(form): Form<StartForm>,
) -> Result<Response> {
    of_the_path_kind(&state, &matched, &id)?;
    let next = local_path(&form.next).unwrap_or_default().to_owned();
    let url = external::begin(&state, &session, &id, Purpose::SignIn { next }).await.map_err(refused)?;
    Ok(Redirect::to(url.as_str()).into_response())
}

/// `POST /account/links/{id}`: the same trip, to link the provider to this account.
pub async fn link(
    State(state): State<AppState>,
    current: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response> {
    let purpose = Purpose::Link { user_id: current.user.id };
    let url = external::begin(&state, &session, &id, purpose).await.map_err(refused)?;
    Ok(Redirect::to(url.as_str()).into_response())
}

/// `GET /login/{oidc,oauth2}/{id}/callback`: back from the provider.
pub async fn callback(
    State(state): State<AppState>,
    client: Client,
    session: Session,
    signed_in: Option<CurrentUser>,
    matched: MatchedPath,
    Path(id): Path<String>,
    Query(callback): Query<Callback>,
) -> Result<Response> {
    of_the_path_kind(&state, &matched, &id)?;
    let (purpose, identity) = external::finish(&state, &session, &id, callback).await.map_err(refused)?;
    match purpose {
        Purpose::Link { user_id } => {
            let Some(current) = signed_in.filter(|current| current.user.id == user_id) else {
                return Err(AppError::BadRequest("error-link-sign-in-first".into()));
            };
            if !external::link(&state, &current.user, &identity, &client).await? {
                return Err(AppError::Conflict(
                    "That account of the provider is linked to another account here, or this account is linked to \
                     another one of its accounts already.",
                ));
            }
            Ok(Redirect::to("/account?notice=provider-linked").into_response())
        }
        Purpose::SignIn { next } => match external::sign_in(&state, &identity, &client).await? {
            SignIn::Account(user) if user.is_disabled() => Err(AppError::Forbidden(password::DISABLED)),
            SignIn::Account(user) if user.has_two_factor() => {
                PendingSignIn::after_provider(user.id, next).begin(&session).await?;
                Ok(Redirect::to(SECOND_STEP).into_response())
            }
            SignIn::Account(user) => {
                let auth = sessions::signed_in(&user, false, Amr::federated(), &client);
                let with = password::SignedInWith::Provider;
                let known_device = start_session(&state, &session, &user, (&auth, with), &client).await?;
                Ok((CookieJar::new().add(known_device), Redirect::to(after_sign_in(&next))).into_response())
            }
            SignIn::EmailTaken => Err(AppError::Conflict(EMAIL_TAKEN)),
            SignIn::NoVerifiedEmail => Err(AppError::BadRequest("error-provider-no-email".into())),
            SignIn::SignupRefused => Err(AppError::Forbidden("error-signup-not-open")),
        },
    }
}

const EMAIL_TAKEN: &str = "error-provider-email-taken";

/// `POST /account/links/{id}/remove`.
pub async fn unlink(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    Path(id): Path<String>,
) -> Result<Response> {
    match external::unlink(&state, &current.user, &id, &client).await? {
        Unlink::Removed => Ok(Redirect::to("/account?notice=provider-unlinked").into_response()),
        Unlink::NotLinked => Err(AppError::NotFound),
        Unlink::LastWayIn => Err(AppError::Conflict(
            "This is the only way into your account. Set a password (\"Forgot your password?\") or add a passkey first.",
        )),
    }
}

/// A provider is reached at the path of its kind only (`/login/oidc/…` or
/// `/login/oauth2/…`): any other is no such page.
fn of_the_path_kind(state: &AppState, matched: &MatchedPath, id: &str) -> Result<()> {
    let kind = matched.as_str().split('/').nth(2).unwrap_or_default();
    if state.providers().is_of_kind(id, kind) { Ok(()) } else { Err(AppError::NotFound) }
}

/// Every refusal is a page: nothing is redirected anywhere after a bad callback.
fn refused(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::Unknown => AppError::NotFound,
        Refusal::Unavailable => AppError::Unavailable(anyhow::anyhow!("the sign-in provider cannot be reached")),
        Refusal::BadState => {
            tracing::warn!(event = "external_bad_state", "a provider callback with no matching sign-in");
            AppError::BadRequest("error-provider-sign-in-expired".into())
        }
        Refusal::ProviderError(error) => {
            tracing::info!(event = "external_provider_error", %error, "the provider refused the sign-in");
            // The provider's own code (access_denied, say) is logged above; the page says
            // what to do in the reader's words.
            AppError::BadRequest("error-provider-refused".into())
        }
        Refusal::BadAnswer(why) => {
            tracing::warn!(event = "external_bad_answer", why, "the provider's answer did not check out");
            AppError::BadRequest("error-provider-answer".into())
        }
        Refusal::Failed(error) => error,
    }
}
