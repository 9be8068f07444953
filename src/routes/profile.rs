//! `/account/profile`: the name and username apps see.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::accounts::profile;
use crate::accounts::sessions::CurrentUser;
use crate::domain::{DisplayName, Username};
use crate::error::{AppError, Result};
use crate::i18n::Language;
use crate::store::Store;
use crate::store::users;
use crate::web::account_area::notice_text;
use crate::web::{Form, NoticeParam, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "account/profile.html")]
pub struct ProfilePage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    display_name: String,
    username: String,
    name_error: Option<String>,
    username_error: Option<String>,
    /// The account's language code, empty when it follows the browser.
    chosen_language: String,
    /// Every language there are words for: (code, its name in itself).
    languages: Vec<(String, String)>,
}

fn languages() -> Vec<(String, String)> {
    Language::all().into_iter().map(|language| (language.code(), language.name())).collect()
}

pub async fn profile_page(current: CurrentUser, page: Page, Query(param): Query<NoticeParam>) -> ProfilePage {
    ProfilePage {
        page,
        section: "/account/profile",
        notice: notice_text(&param.notice),
        display_name: current.user.display_name.clone().unwrap_or_default(),
        username: current.user.username.clone().unwrap_or_default(),
        name_error: None,
        username_error: None,
        chosen_language: current.user.language.clone().unwrap_or_default(),
        languages: languages(),
    }
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    username: String,
}

pub async fn save_profile(
    State(store): State<Store>,
    current: CurrentUser,
    page: Page,
    Form(form): Form<ProfileForm>,
) -> Result<Response> {
    let lang = page.lang;
    let name = DisplayName::parse(&form.display_name);
    let username = Username::parse(&form.username);
    let refused = |name_error: Option<String>, username_error: Option<String>| {
        let page = ProfilePage {
            page,
            section: "/account/profile",
            notice: None,
            display_name: form.display_name.clone(),
            username: form.username.clone(),
            name_error,
            username_error,
            chosen_language: current.user.language.clone().unwrap_or_default(),
            languages: languages(),
        };
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    };
    let (name, username) = match (name, username) {
        (Ok(name), Ok(username)) => (name, username),
        (name, username) => {
            return Ok(refused(
                name.err().map(|e| lang.profile_error(e)),
                username.err().map(|e| lang.profile_error(e)),
            ));
        }
    };
    match profile::save(&store, current.user.id, name.as_ref(), username.as_ref()).await? {
        Ok(()) => Ok(Redirect::to("/account/profile?notice=profile-saved").into_response()),
        Err(profile::UsernameTaken) => Ok(refused(None, Some(lang.t("error-username-taken")))),
    }
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// The account's language for pages and mail; empty follows the browser's again.
pub async fn save_language(
    State(store): State<Store>,
    current: CurrentUser,
    Form(form): Form<LanguageForm>,
) -> Result<Redirect> {
    let language = match form.language.trim() {
        "" => None,
        code => Some(Language::from_code(code).ok_or(AppError::BadRequest("error-no-such-language".into()))?),
    };
    let code = language.map(Language::code);
    users::set_language(store.pool(), current.user.id, code.as_deref()).await?;
    tracing::info!(
        event = "language_changed",
        user_id = current.user.id,
        language = code.as_deref().unwrap_or("browser")
    );
    Ok(Redirect::to("/account/profile?notice=language-saved"))
}
