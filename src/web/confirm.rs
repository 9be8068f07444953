//! "Are you sure?" before a one-click change that cannot be taken back (deleting a
//! passkey, disabling or deleting an account, signing out everywhere). The page's button
//! links here (a `GET`, which changes nothing); this page's form posts to the very route
//! the button posted to before, so programs that post there directly are unaffected.
//! No JavaScript involved.

use askama::Template;
use askama_web::WebTemplate;

use super::Page;

#[derive(Template, WebTemplate)]
#[template(path = "confirm_action.html")]
pub struct ConfirmAction {
    pub page: Page,
    /// The question, as the page's heading.
    pub title: String,
    /// What happens, in a sentence or two.
    pub consequence: String,
    /// Where the form posts, and what it carries besides the form token.
    pub action: String,
    pub fields: Vec<(&'static str, String)>,
    /// The button that does it, naming the deed ("Delete the passkey").
    pub button: String,
    /// Where "Cancel" goes: the page the person came from.
    pub cancel: String,
}
