//! The signed-in user's own account page.

use askama::Template;
use askama_web::WebTemplate;

use super::{CurrentUser, Page, human_date};

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    page: Page,
    email: String,
    verified: bool,
    signed_up: String,
}

pub async fn account(current: CurrentUser, page: Page) -> AccountPage {
    AccountPage {
        page,
        verified: current.user.is_verified(),
        signed_up: human_date(current.user.created_at),
        email: current.user.email,
    }
}
