//! The home page: sign-up and log-in links, or who is signed in.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::{NoticeParam, Page, Query};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    page: Page,
    notice: Option<&'static str>,
}

/// What a redirect to the home page wants said, by its `?notice=` key: the key of its words.
fn notice_text(key: &str) -> Option<&'static str> {
    match key {
        "signed-out" => Some("notice-signed-out"),
        "account-deleted" => Some("notice-account-deleted"),
        _ => None,
    }
}

pub async fn home(page: Page, Query(param): Query<NoticeParam>) -> HomePage {
    HomePage { page, notice: notice_text(&param.notice) }
}
