//! The home page: sign-up and log-in links, or who is signed in.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::Page;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    page: Page,
}

pub async fn home(page: Page) -> HomePage {
    HomePage { page }
}
