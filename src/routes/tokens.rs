//! The account area's API tokens page: the tokens, a new one shown once, revoking.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::api_tokens::{self, BAD_EXPIRY, NewApiToken};
use crate::accounts::sessions::CurrentUser;
use crate::accounts::{Client, password};
use crate::error::Result;
use crate::security::headers;
use crate::state::AppState;
use crate::store;
use crate::web::account_area::{Reentered, notice_text, password_error};
use crate::web::format::text_download;
use crate::web::{Form, NoticeParam, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "account/tokens.html")]
pub struct TokensPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    tokens: Vec<TokenView>,
    /// A token just created: shown this once, at the top.
    new_token: Option<String>,
    errors: TokenErrors,
    /// What was typed, kept when the form comes back with an error.
    form: NewTokenForm,
}

struct TokenView {
    id: i64,
    name: String,
    scope: String,
    created: String,
    expires: String,
    last_used: String,
}

#[derive(Default)]
struct TokenErrors {
    token: Option<String>,
    password: Option<String>,
}

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

impl Default for NewTokenForm {
    fn default() -> Self {
        let expires_in_days = "90".to_owned();
        Self { name: String::new(), scope: "read".to_owned(), expires_in_days, password: String::new() }
    }
}

impl TokensPage {
    /// The new token as a text file's `data:` URL, for the Download link.
    fn token_download(&self) -> String {
        text_download(&format!("{}\n", self.new_token.as_deref().unwrap_or_default()))
    }

    async fn load(state: &AppState, current: &CurrentUser, page: Page, notice: Option<&'static str>) -> Result<Self> {
        let lang = page.lang;
        let never = || lang.t("tokens-never");
        let tokens = store::api_tokens::list(state.store().pool(), current.user.id)
            .await?
            .into_iter()
            .map(|token| TokenView {
                id: token.id,
                name: token.name,
                scope: token.scope,
                created: lang.date(token.created_at),
                expires: token.expires_at.map_or_else(never, |at| lang.date(at)),
                last_used: token.last_used_at.map_or_else(never, |at| lang.date_time(at)),
            })
            .collect();
        let (new_token, errors, form) = (None, TokenErrors::default(), NewTokenForm::default());
        Ok(Self { page, section: "/account/tokens", notice, tokens, new_token, errors, form })
    }
}

pub async fn tokens_page(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<TokensPage> {
    TokensPage::load(&state, &current, page, notice_text(&param.notice)).await
}

/// Creates a token and shows it this once; the password makes it a recent authentication.
pub async fn create_token(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    page: Page,
    Form(mut form): Form<NewTokenForm>,
) -> Result<Response> {
    let typed = std::mem::take(&mut form.password);
    let right = password::reconfirm(&state, &current.user, &typed).await?;
    let days = match form.expires_in_days.trim() {
        "" => Ok(None),
        days => days.parse::<i64>().map(Some).map_err(|_| BAD_EXPIRY),
    };
    let new = days.and_then(|days| NewApiToken::parse(&form.name, &form.scope, days));
    let new = match (right, new) {
        (true, Ok(new)) => new,
        (right, new) => {
            let errors = TokenErrors {
                token: new.err().map(|key| page.lang.t(key)),
                password: password_error(page.lang, &typed, right, Reentered::Password),
            };
            let again = TokensPage { errors, form, ..TokensPage::load(&state, &current, page, None).await? };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, again).into_response());
        }
    };
    let (_, secret) = api_tokens::create(state.store(), current.user.id, &new, &client).await?;
    let shown = TokensPage { new_token: Some(secret), ..TokensPage::load(&state, &current, page, None).await? };
    // It runs keep.js (Copy) beside the token.
    let policy = (header::CONTENT_SECURITY_POLICY, headers::SCRIPTED_CSP);
    Ok(([(header::CACHE_CONTROL, "no-store"), policy], shown).into_response())
}

#[derive(Deserialize)]
pub struct RevokeTokenForm {
    #[serde(default)]
    token_id: i64,
}

pub async fn revoke_token(
    State(state): State<AppState>,
    current: CurrentUser,
    client: Client,
    Form(form): Form<RevokeTokenForm>,
) -> Result<Redirect> {
    api_tokens::revoke(state.store(), current.user.id, form.token_id, &client).await?;
    Ok(Redirect::to("/account/tokens?notice=token-revoked"))
}
