//! The OpenID Connect provider's endpoints: discovery, `/oauth2/authorize` (with the
//! consent form), `/oauth2/token`, `/oauth2/userinfo`, `/oauth2/revoke` and
//! `/oauth2/logout`. The rules are in [`crate::oidc`].

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

use crate::accounts::sessions::{self, CurrentUser};
use crate::error::{AppError, Result};
use crate::oidc::authorize::{Params, Refusal, Request, issuer};
use crate::oidc::cors::CallingClient;
use crate::oidc::tokens::{self, TokenError};
use crate::oidc::{SCOPES, clients};
use crate::security::headers;
use crate::state::AppState;
use crate::store::oauth::Client;
use crate::web::{Form, Page, Query};

/// `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0).
pub async fn discovery(State(state): State<AppState>) -> Response {
    let issuer = issuer(&state);
    let document = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth2/authorize"),
        "token_endpoint": format!("{issuer}/oauth2/token"),
        "userinfo_endpoint": format!("{issuer}/oauth2/userinfo"),
        "revocation_endpoint": format!("{issuer}/oauth2/revoke"),
        "introspection_endpoint": format!("{issuer}/oauth2/introspect"),
        "end_session_endpoint": format!("{issuer}/oauth2/logout"),
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "code_challenge_methods_supported": ["S256"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "EdDSA"],
        "scopes_supported": SCOPES,
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "sid", "email",
                             "email_verified", "name", "preferred_username", "roles", "groups"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "prompt_values_supported": ["none", "login", "consent"],
        "authorization_response_iss_parameter_supported": true,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
    });
    ([(header::CACHE_CONTROL, "public, max-age=300")], axum::Json(document)).into_response()
}

/// `GET /.well-known/oauth-authorization-server` (RFC 8414): the same document, for
/// OAuth clients that look there.
pub async fn authorization_server_metadata(state: State<AppState>) -> Response {
    discovery(state).await
}

#[derive(Template, WebTemplate)]
#[template(path = "consent.html")]
pub struct ConsentPage {
    page: Page,
    app: String,
    /// Where the answer sends the person: the host of the app's redirect URI.
    destination: String,
    email: String,
    scopes: Vec<(&'static str, String)>,
    /// The request, carried through the form as it came.
    fields: Vec<(&'static str, String)>,
}

/// What each scope lets the app see, for the consent page: the key of its words.
fn describe(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "openid" => "scope-openid",
        "email" => "scope-email",
        "profile" => "scope-profile",
        "roles" => "scope-roles",
        "groups" => "scope-groups",
        "offline_access" => "scope-offline-access",
        _ => return None,
    })
}

/// `GET /oauth2/authorize`: a good request from a signed-in user who allowed the app
/// goes straight back to it with a code; otherwise the login page or the consent page.
pub async fn authorize(
    State(state): State<AppState>,
    signed_in: Option<CurrentUser>,
    page: Page,
    OriginalUri(uri): OriginalUri,
    Query(params): Query<Params>,
) -> Result<Response> {
    let request = match params.check(&state).await {
        Ok(request) => request,
        Err(refusal) => return refused(refusal),
    };
    let current = match signed_in {
        Some(current) if !request.wants_new_sign_in(&current.auth) => current,
        _ if request.prompt_is("none") => {
            let to = request.error_redirect(&state, "login_required", "The user is not signed in.");
            return Ok(Redirect::to(&to).into_response());
        }
        _ => return Ok(Redirect::to(&login_address(uri.query().unwrap_or_default())).into_response()),
    };
    if request.needs_consent(&state, &current.user).await? || request.prompt_is("consent") {
        if request.prompt_is("none") {
            let to = request.error_redirect(&state, "consent_required", "The user has not allowed this app yet.");
            return Ok(Redirect::to(&to).into_response());
        }
        return Ok(consent_page(page, &current, &request, uri.query().unwrap_or_default()));
    }
    let to = request.allow(&state, &current.user, &current.auth, None).await?;
    Ok(Redirect::to(&to).into_response())
}

fn refused(refusal: Refusal) -> Result<Response> {
    match refusal {
        Refusal::Page(why) => Err(AppError::BadRequest(why.into())),
        Refusal::Redirect(to) => Ok(Redirect::to(&to).into_response()),
    }
}

/// The login page, coming back to this request without what asked for a new sign-in
/// (`login` among the `prompt` values, `max_age`): that sign-in will have happened, and
/// asking again on the way back would send the person round for ever.
fn login_address(query: &str) -> String {
    let kept = form_urlencoded::parse(query.as_bytes()).filter_map(|(name, value)| match name.as_ref() {
        "max_age" => None,
        "prompt" => {
            let rest: Vec<&str> = value.split(' ').filter(|word| !word.is_empty() && *word != "login").collect();
            (!rest.is_empty()).then(|| (name.clone(), rest.join(" ").into()))
        }
        _ => Some((name, value)),
    });
    let kept: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
    let next: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("next", &format!("/oauth2/authorize?{kept}"))
        .finish();
    format!("/login?{next}")
}

/// The consent form. Its answer redirects to the app, so the page's `form-action` lets it.
fn consent_page(page: Page, current: &CurrentUser, request: &Request, query: &str) -> Response {
    let fields = form_urlencoded::parse(query.as_bytes())
        .filter_map(|(name, value)| {
            FIELDS.iter().find(|field| **field == name).map(|field| (*field, value.into_owned()))
        })
        .collect();
    let lang = page.lang;
    let consent = ConsentPage {
        page,
        app: request.client.name.clone(),
        destination: request.redirect_host(),
        email: current.user.email.clone(),
        scopes: request
            .scope_list()
            .into_iter()
            .map(|scope| (scope, describe(scope).map(|key| lang.t(key)).unwrap_or_default()))
            .collect(),
        fields,
    };
    let policy = headers::with_form_targets(&[request.redirect_origin()]);
    ([(header::CONTENT_SECURITY_POLICY, policy)], consent).into_response()
}

/// The request's parameters the consent form carries back.
const FIELDS: [&str; 9] = [
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "max_age",
];

#[derive(Deserialize)]
pub struct Decision {
    #[serde(flatten)]
    params: Params,
    #[serde(default)]
    decision: String,
}

/// `POST /oauth2/authorize` and `POST /oauth2/logout`: an app's page may send its request
/// as a form (OpenID Connect Core §3.1.2.1, RP-Initiated Logout §2). It comes cross-site,
/// so the browser sends no session cookie (`SameSite=Lax`) with it: a `303` to the same
/// request as a `GET` has the browser ask again, with the cookie. Nothing is decided here.
pub async fn as_get(OriginalUri(uri): OriginalUri, Form(fields): Form<Vec<(String, String)>>) -> Response {
    let query: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    Redirect::to(&format!("{}?{query}", uri.path())).into_response()
}

/// `POST /oauth2/consent`: the consent form's answer.
pub async fn decide(
    State(state): State<AppState>,
    current: CurrentUser,
    client: crate::accounts::Client,
    Form(form): Form<Decision>,
) -> Result<Response> {
    let request = match form.params.check(&state).await {
        Ok(request) => request,
        Err(refusal) => return refused(refusal),
    };
    if form.decision != "allow" {
        tracing::info!(event = "oauth_consent_denied", user_id = current.user.id, client_id = %request.client.client_id);
        let to = request.error_redirect(&state, "access_denied", "The user did not allow the app.");
        return Ok(Redirect::to(&to).into_response());
    }
    let to = request.allow(&state, &current.user, &current.auth, Some(&client)).await?;
    Ok(Redirect::to(&to).into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    code_verifier: String,
    #[serde(default)]
    refresh_token: String,
    #[serde(default)]
    scope: String,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `POST /oauth2/token`. Errors are RFC 6749 §5.2 JSON.
pub async fn token(State(state): State<AppState>, request_headers: HeaderMap, Form(form): Form<TokenForm>) -> Response {
    let basic = basic_credentials(&request_headers);
    let client = client_of(&state, basic.as_ref(), form.client_id.as_deref(), form.client_secret.as_deref()).await;
    let answer = match &client {
        Ok(client) => match form.grant_type.as_str() {
            "authorization_code" => {
                tokens::exchange_code(&state, client, &form.code, &form.redirect_uri, &form.code_verifier).await
            }
            "refresh_token" => tokens::refresh(&state, client, &form.refresh_token).await,
            "client_credentials" => tokens::client_credentials(&state, client, &form.scope).await,
            "" => Err(TokenError::InvalidRequest("grant_type is required.")),
            _ => Err(TokenError::UnsupportedGrantType),
        },
        Err(_) => Err(TokenError::InvalidClient),
    };
    let response = match answer {
        Ok(issued) => (no_store(), axum::Json(issued)).into_response(),
        Err(error) => token_error(error, basic.is_some()),
    };
    answering(client.ok().as_ref(), response)
}

/// Marks a response as the answer to `client`, for the cross-origin check.
fn answering(client: Option<&Client>, mut response: Response) -> Response {
    if let Some(client) = client {
        response.extensions_mut().insert(CallingClient(client.client_id.clone()));
    }
    response
}

/// The client, authenticated by HTTP Basic or by form fields, or a public one by its id.
async fn client_of(
    state: &AppState,
    basic: Option<&(String, String)>,
    form_id: Option<&str>,
    form_secret: Option<&str>,
) -> Result<Client, TokenError> {
    let (client_id, secret) = match basic {
        Some((id, secret)) => (id.as_str(), Some(secret.as_str())),
        None => (form_id.ok_or(TokenError::InvalidClient)?, form_secret),
    };
    clients::authenticate(state.store(), client_id, secret).await?.ok_or(TokenError::InvalidClient)
}

/// `Authorization: Basic` with the client id and secret, each form-urlencoded (RFC 6749 §2.3.1).
fn basic_credentials(request_headers: &HeaderMap) -> Option<(String, String)> {
    let value = request_headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape =
        |part: &str| form_urlencoded::parse(format!("x={part}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((unescape(id)?, unescape(secret)?))
}

fn no_store() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::PRAGMA, HeaderValue::from_static("no-cache")),
    ]
}

fn token_error(error: TokenError, used_basic: bool) -> Response {
    let (status, code, description) = match &error {
        TokenError::InvalidRequest(why) => (StatusCode::BAD_REQUEST, "invalid_request", *why),
        TokenError::InvalidClient => {
            (StatusCode::UNAUTHORIZED, "invalid_client", "The client is unknown or its secret is wrong.")
        }
        TokenError::InvalidGrant(why) => (StatusCode::BAD_REQUEST, "invalid_grant", *why),
        TokenError::UnsupportedGrantType => (
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "Use authorization_code, refresh_token or client_credentials.",
        ),
        TokenError::UnauthorizedClient => {
            (StatusCode::BAD_REQUEST, "unauthorized_client", "This client is not registered for that grant.")
        }
        TokenError::InvalidScope => {
            (StatusCode::BAD_REQUEST, "invalid_scope", "A scope asked for is not registered for this client.")
        }
        TokenError::Failed(_) => {
            return AppError::Internal(anyhow::anyhow!("{error}")).into_response();
        }
    };
    tracing::warn!(event = "oauth_token_refused", error = code, "token request refused");
    let body = axum::Json(json!({"error": code, "error_description": description}));
    let mut response = (status, no_store(), body).into_response();
    if used_basic && code == "invalid_client" {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"gatehouse\""));
    }
    response
}

/// `GET`/`POST /oauth2/userinfo` with the access token in `Authorization: Bearer` (any
/// case) or, posted as a form, in `access_token` (RFC 6750 §2.1, §2.2); not both.
pub async fn userinfo(State(state): State<AppState>, request_headers: HeaderMap, body: Bytes) -> Result<Response> {
    let token = match access_token_of(&request_headers, &body) {
        Ok(Some(token)) => token,
        // RFC 6750 §3.1: a request with no token hears how to authenticate, no error code.
        Ok(None) => {
            return Ok((StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response());
        }
        Err(()) => {
            let why = "Send the access token once: in the Authorization header or the form body.";
            return Ok(userinfo_error(StatusCode::BAD_REQUEST, "invalid_request", why));
        }
    };
    Ok(match tokens::userinfo(&state, &token).await? {
        Some((claims, client_id)) => {
            let mut response = (no_store(), axum::Json(claims)).into_response();
            response.extensions_mut().insert(CallingClient(client_id));
            response
        }
        None => userinfo_error(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            "The access token is not valid: it may be expired, revoked or malformed.",
        ),
    })
}

/// The error in the challenge (RFC 6750 §3) and, for clients that read it there, in a
/// JSON body too.
fn userinfo_error(status: StatusCode, error: &str, description: &str) -> Response {
    let challenge = format!("Bearer error=\"{error}\", error_description=\"{description}\"");
    let body = axum::Json(json!({"error": error, "error_description": description}));
    (status, [(header::WWW_AUTHENTICATE, challenge)], no_store(), body).into_response()
}

/// The access token of a userinfo request; `Err` when it is sent two ways at once or the
/// header is not a bearer token.
fn access_token_of(request_headers: &HeaderMap, body: &[u8]) -> Result<Option<String>, ()> {
    let in_header = match request_headers.get(header::AUTHORIZATION) {
        None => None,
        Some(value) => {
            let (scheme, token) = value.to_str().map_err(drop)?.split_once(' ').ok_or(())?;
            if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
                return Err(());
            }
            Some(token.trim().to_owned())
        }
    };
    let is_form = request_headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    let mut in_body = form_urlencoded::parse(if is_form { body } else { &[] })
        .filter(|(name, _)| name == "access_token")
        .map(|(_, value)| value.into_owned());
    match (in_header, in_body.next(), in_body.next()) {
        (None, None, _) => Ok(None),
        (Some(token), None, _) | (None, Some(token), None) => Ok(Some(token)),
        _ => Err(()),
    }
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    token: String,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `POST /oauth2/revoke` (RFC 7009): `200` whether or not the token was known.
pub async fn revoke(
    State(state): State<AppState>,
    request_headers: HeaderMap,
    Form(form): Form<RevokeForm>,
) -> Response {
    let basic = basic_credentials(&request_headers);
    let client = client_of(&state, basic.as_ref(), form.client_id.as_deref(), form.client_secret.as_deref()).await;
    let answer = match &client {
        Ok(client) => tokens::revoke(&state, client, &form.token).await.map_err(TokenError::Failed),
        Err(_) => Err(TokenError::InvalidClient),
    };
    let response = match answer {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => token_error(error, basic.is_some()),
    };
    answering(client.ok().as_ref(), response)
}

#[derive(Deserialize)]
pub struct IntrospectForm {
    #[serde(default)]
    token: String,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `POST /oauth2/introspect` (RFC 7662), for confidential clients only: a public client
/// proves nothing about itself.
pub async fn introspect(
    State(state): State<AppState>,
    request_headers: HeaderMap,
    Form(form): Form<IntrospectForm>,
) -> Response {
    let basic = basic_credentials(&request_headers);
    let client = client_of(&state, basic.as_ref(), form.client_id.as_deref(), form.client_secret.as_deref()).await;
    let answer = match client {
        Ok(client) if !client.is_public() => {
            crate::oidc::introspect::introspect(&state, &client, &form.token).await.map_err(TokenError::Failed)
        }
        _ => Err(TokenError::InvalidClient),
    };
    match answer {
        Ok(answer) => (no_store(), axum::Json(answer)).into_response(),
        Err(error) => token_error(error, basic.is_some()),
    }
}

#[derive(Deserialize)]
pub struct LogoutParams {
    #[serde(default)]
    id_token_hint: String,
    #[serde(default)]
    post_logout_redirect_uri: String,
    state: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "logout_confirm.html")]
pub struct LogoutConfirmPage {
    page: Page,
    app: String,
    email: String,
    /// The request, carried through the form as it came.
    fields: Vec<(&'static str, String)>,
}

/// `GET /oauth2/logout` (RP-initiated logout): with an ID token we issued to the person
/// signed in here, ends this browser's session and returns to `post_logout_redirect_uri`
/// if that app registered it (`--post-logout-redirect-uri`, or a redirect URI); any other
/// address is never followed. A hint that does not name this very sign-in (`sub` and
/// `sid`: any page can send a browser here with any ID token) ends nothing without the
/// person's say on a confirmation page.
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    signed_in: Option<CurrentUser>,
    page: Page,
    Query(params): Query<LogoutParams>,
) -> Result<Response> {
    let hint = logout_hint_of(&state, &params).await?;
    if let Some(current) = signed_in {
        if !hint.names(&current) {
            // The form's answer redirects to the app (if it registered the address): the
            // page's form-action lets it.
            let registered = hint.client.may_return_after_logout(&params.post_logout_redirect_uri);
            let origin = url::Url::parse(&params.post_logout_redirect_uri).ok().filter(|_| registered);
            let targets: Vec<String> = origin.map(|url| url.origin().ascii_serialization()).into_iter().collect();
            let fields = vec![
                ("id_token_hint", params.id_token_hint),
                ("post_logout_redirect_uri", params.post_logout_redirect_uri),
                ("state", params.state.unwrap_or_default()),
            ];
            let email = current.user.email.clone();
            let confirm = LogoutConfirmPage { page, app: hint.client.name.clone(), email, fields };
            return Ok(
                ([(header::CONTENT_SECURITY_POLICY, headers::with_form_targets(&targets))], confirm).into_response()
            );
        }
        sessions::log_out(&state, &session).await?;
        tracing::info!(event = "oauth_logout", client_id = %hint.client.client_id, "signed out at the app's request");
    }
    back_to_app(&hint.client, &params.post_logout_redirect_uri, params.state.as_deref())
}

/// `POST /oauth2/logout/confirm`: the person said yes on the confirmation page.
pub async fn confirm_logout(
    State(state): State<AppState>,
    session: Session,
    Form(params): Form<LogoutParams>,
) -> Result<Response> {
    let hint = logout_hint_of(&state, &params).await?;
    sessions::log_out(&state, &session).await?;
    tracing::info!(event = "oauth_logout", client_id = %hint.client.client_id, "signed out, confirmed on the page");
    back_to_app(&hint.client, &params.post_logout_redirect_uri, params.state.as_deref())
}

async fn logout_hint_of(state: &AppState, params: &LogoutParams) -> Result<crate::oidc::LogoutHint> {
    crate::oidc::logout_hint(state, &params.id_token_hint)
        .await?
        .ok_or_else(|| AppError::BadRequest("error-logout-link".into()))
}

/// The app's `post_logout_redirect_uri` (with `state`) if the app registered it (as a
/// post-logout address or a redirect URI), else home.
fn back_to_app(client: &Client, post_logout_redirect_uri: &str, state: Option<&str>) -> Result<Response> {
    if !client.may_return_after_logout(post_logout_redirect_uri) {
        return Ok(Redirect::to("/?notice=signed-out").into_response());
    }
    let mut url = url::Url::parse(post_logout_redirect_uri).map_err(|error| AppError::Internal(error.into()))?;
    if let Some(value) = state.filter(|value| !value.is_empty()) {
        url.query_pairs_mut().append_pair("state", value);
    }
    Ok(Redirect::to(url.as_str()).into_response())
}
