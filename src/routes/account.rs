//! The account area's pages that only show: the overview, the settings page (its forms
//! post to `password` and `email`) and the activity log.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::accounts::password::SignedInWith;
use crate::accounts::sessions::CurrentUser;
use crate::error::Result;
use crate::i18n::Language;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::{self, sessions};
use crate::web::account_area::{SettingsPage, notice_text};
use crate::web::{NoticeParam, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "account/overview.html")]
pub struct OverviewPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    email: String,
    verified: bool,
    signed_up: String,
    /// The sign-in before this one: the one a person can check was theirs.
    previous_login: Option<String>,
    failed_logins: i64,
    /// "3 devices", in the page's language.
    devices: String,
    /// Each sign-in provider: (id, name, the linked account's address if linked).
    providers: Vec<(String, String, Option<String>)>,
    /// Accounts made by a provider have none until they set one.
    has_password: bool,
}

pub async fn overview(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<OverviewPage> {
    let pool = state.store().pool();
    let user = &current.user;
    // Failures since the sign-in before this one: the counter on the account row starts
    // again at each sign-in, this one included.
    let failed_logins = events::failures_since_previous_login(pool, user.id).await?;
    let previous_login = events::previous_login(pool, user.id).await?.map(|login| {
        let from = [login.ip, page.lang.describe_device(&login.user_agent)].into_iter().filter(|part| !part.is_empty());
        format!("{} · {}", page.lang.date_time(login.created_at), from.collect::<Vec<_>>().join(", "))
    });
    let signed_up = page.lang.date(user.created_at);
    let signed_in_on = sessions::list_for_user(pool, user.id, store::now()).await?.len();
    let devices = page.lang.count("overview-devices", "count", i64::try_from(signed_in_on).unwrap_or(i64::MAX));
    Ok(OverviewPage {
        page,
        section: "/account",
        notice: notice_text(&param.notice),
        email: user.email.clone(),
        verified: user.is_verified(),
        signed_up,
        previous_login,
        failed_logins,
        devices,
        providers: crate::external::links_of(&state, user)
            .await?
            .into_iter()
            .map(|(provider, email)| (provider.settings.id.clone(), provider.settings.name.clone(), email))
            .collect(),
        has_password: user.has_password(),
    })
}

pub async fn settings(current: CurrentUser, page: Page, Query(param): Query<NoticeParam>) -> SettingsPage {
    SettingsPage::new(&current, page, notice_text(&param.notice))
}

#[derive(Template, WebTemplate)]
#[template(path = "account/activity.html")]
pub struct ActivityPage {
    page: Page,
    section: &'static str,
    notice: Option<&'static str>,
    events: Vec<EventView>,
}

struct EventView {
    /// What happened, and for a sign-in how it was made.
    what: String,
    when: String,
    ip: String,
    device: String,
}

pub async fn activity(State(state): State<AppState>, current: CurrentUser, page: Page) -> Result<ActivityPage> {
    let lang = page.lang;
    let events = events::recent(state.store().pool(), current.user.id, 50)
        .await?
        .into_iter()
        .map(|event| EventView {
            what: what_happened(lang, &event),
            when: lang.date_time(event.created_at),
            device: if event.user_agent.is_empty() { String::new() } else { lang.describe_device(&event.user_agent) },
            ip: event.ip,
        })
        .collect();
    Ok(ActivityPage { page, section: "/account/activity", notice: None, events })
}

/// The event in words: what happened, and for a sign-in how it was made.
fn what_happened(lang: Language, event: &events::Event) -> String {
    let what = lang.t(EventKind::describe(&event.kind));
    let how = event.detail.as_deref().filter(|_| event.kind == EventKind::LoggedIn.as_str());
    match how {
        Some(stored) => {
            let how = SignedInWith::key_of(stored).map_or_else(|| stored.to_owned(), |key| lang.t(key));
            lang.t_args("event-with", &[("what", &what), ("how", &how)])
        }
        None => what,
    }
}
