//! The text of every email. Each holds its link on a line of its own, built from `BASE_URL`.

use askama::Template;
use url::Url;

use super::OutgoingMail;
use crate::domain::{Email, Token};

#[derive(Template)]
#[template(path = "mail/verify_email.txt")]
struct VerifyEmail<'a> {
    link: &'a str,
}

#[derive(Template)]
#[template(path = "mail/already_registered.txt")]
struct AlreadyRegistered<'a> {
    login_link: &'a str,
    verify_link: Option<&'a str>,
}

/// Builds absolute links from the public origin, never from the request's Host header.
#[derive(Debug, Clone)]
pub struct Links {
    base: Url,
}

impl Links {
    pub fn new(base: Url) -> Self {
        Self { base }
    }

    pub fn page(&self, path: &str) -> String {
        self.base.join(path).expect("paths join onto an origin").to_string()
    }

    pub fn with_token(&self, path: &str, token: &Token) -> String {
        let mut url = self.base.join(path).expect("paths join onto an origin");
        url.query_pairs_mut().append_pair("token", &token.encode());
        url.to_string()
    }
}

pub fn verify_email(links: &Links, to: &Email, token: &Token) -> OutgoingMail {
    let link = links.with_token("/verify-email", token);
    OutgoingMail {
        to: to.clone(),
        subject: "Confirm your email address".into(),
        text: render(&VerifyEmail { link: &link }),
    }
}

/// Sent instead of a second account, so that sign-up never reveals who is registered.
pub fn already_registered(links: &Links, to: &Email, verify: Option<&Token>) -> OutgoingMail {
    let verify_link = verify.map(|token| links.with_token("/verify-email", token));
    OutgoingMail {
        to: to.clone(),
        subject: "Someone tried to sign up with your email address".into(),
        text: render(&AlreadyRegistered { login_link: &links.page("/login"), verify_link: verify_link.as_deref() }),
    }
}

fn render(template: &impl Template) -> String {
    template.render().expect("mail templates render")
}
