//! The text of every email. Each holds its link on a line of its own, built from `BASE_URL`.

use askama::Template;
use url::Url;

use super::OutgoingMail;
use crate::domain::{Email, Token};
use crate::i18n::Language;

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

/// In `lang`: the language of the sign-up page, or the account's.
pub fn verify_email(links: &Links, to: &Email, token: &Token, lang: Language) -> OutgoingMail {
    let link = links.with_token("/verify-email", token);
    OutgoingMail {
        to: to.clone(),
        subject: lang.t("mail-verify-subject"),
        text: format!("{}\n", lang.t1("mail-verify-body", "link", &link)),
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

#[derive(Template)]
#[template(path = "mail/reset_password.txt")]
struct ResetPassword<'a> {
    link: &'a str,
}

#[derive(Template)]
#[template(path = "mail/notice.txt")]
struct Notice<'a> {
    what: &'a str,
    advice: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "mail/confirm_new_email.txt")]
struct ConfirmNewEmail<'a> {
    link: &'a str,
}

pub fn reset_password(links: &Links, to: &Email, token: &Token) -> OutgoingMail {
    OutgoingMail {
        to: to.clone(),
        subject: "Reset your password".into(),
        text: render(&ResetPassword { link: &links.with_token("/reset-password", token) }),
    }
}

pub fn confirm_new_email(links: &Links, to: &Email, token: &Token) -> OutgoingMail {
    OutgoingMail {
        to: to.clone(),
        subject: "Confirm your new email address".into(),
        text: render(&ConfirmNewEmail { link: &links.with_token("/confirm-email", token) }),
    }
}

/// A security notice: something changed on the account, and what to do if it was not you.
fn notice(links: &Links, to: &Email, subject: &str, what: &str) -> OutgoingMail {
    let advice = "If this was not you, reset your password now with the link below, and check the \
                  sessions and activity on your account page.";
    OutgoingMail {
        to: to.clone(),
        subject: subject.into(),
        text: render(&Notice { what, advice, link: &links.page("/forgot-password") }),
    }
}

pub fn password_changed(links: &Links, to: &Email) -> OutgoingMail {
    notice(
        links,
        to,
        "Your password was changed",
        "The password of your account was just changed, and every other session was signed out.",
    )
}

pub fn password_was_reset(links: &Links, to: &Email) -> OutgoingMail {
    notice(
        links,
        to,
        "Your password was reset",
        "The password of your account was just reset from an emailed link, and every session was signed out.",
    )
}

pub fn email_change_requested(links: &Links, to: &Email, new_email: &Email) -> OutgoingMail {
    let what = format!(
        "Someone signed in to your account asked to change its email address to {new_email}. \
         Nothing changes until that address is confirmed from the link we sent to it."
    );
    notice(links, to, "Your email address is about to change", &what)
}

/// Sent to an address that already has an account when another account asks to move to it.
pub fn email_already_in_use(links: &Links, to: &Email) -> OutgoingMail {
    let what = "Someone asked to move another account to this email address. You already have an account \
                with it, so nothing was changed.";
    notice(links, to, "Someone tried to use your email address", what)
}

pub fn account_deleted(links: &Links, to: &Email) -> OutgoingMail {
    notice(
        links,
        to,
        "Your account was deleted",
        "Your account and everything kept about it were deleted. We are sorry to see you go.",
    )
}

pub fn failed_logins(links: &Links, to: &Email) -> OutgoingMail {
    notice(
        links,
        to,
        "Several failed attempts to log in to your account",
        "Someone tried several wrong passwords for your account, so further attempts are slowed down for a while. \
         You can still log in from a browser you used before.",
    )
}

pub fn two_factor_enabled(links: &Links, to: &Email) -> OutgoingMail {
    notice(
        links,
        to,
        "Two-step login is on",
        "Two-step login was just turned on for your account: signing in now also asks for a code from your \
         authenticator app. Every other session was signed out.",
    )
}

pub fn two_factor_disabled(links: &Links, to: &Email) -> OutgoingMail {
    notice(
        links,
        to,
        "Two-step login is off",
        "Two-step login was just turned off for your account: signing in asks for your password only.",
    )
}

pub fn two_factor_reset(links: &Links, to: &Email) -> OutgoingMail {
    notice(
        links,
        to,
        "Two-step login was reset",
        "The people who run this site turned two-step login off for your account, as you asked them to. \
         Sign in with your password and turn it on again from your account page.",
    )
}

pub fn recovery_code_used(links: &Links, to: &Email, left: i64) -> OutgoingMail {
    let what = format!(
        "A recovery code was just used to sign in to your account. {left} of your recovery codes are left; \
         you can print a new set on your account page."
    );
    notice(links, to, "A recovery code was used", &what)
}

pub fn passkey_added(links: &Links, to: &Email, name: &str) -> OutgoingMail {
    let what = format!(
        "A passkey named \"{name}\" was just added to your account: it can now sign in to your account \
         without your password."
    );
    notice(links, to, "A passkey was added to your account", &what)
}

pub fn passkey_removed(links: &Links, to: &Email) -> OutgoingMail {
    notice(
        links,
        to,
        "A passkey was deleted from your account",
        "A passkey was just deleted from your account: it can no longer be used to sign in.",
    )
}

pub fn provider_linked(links: &Links, to: &Email, provider: &str) -> OutgoingMail {
    let what = format!("Your account was linked to {provider}: signing in with {provider} now signs in to it.");
    notice(links, to, &format!("Your account was linked to {provider}"), &what)
}

pub fn provider_unlinked(links: &Links, to: &Email, provider: &str) -> OutgoingMail {
    let what =
        format!("Your account is no longer linked to {provider}: signing in with {provider} no longer signs in to it.");
    notice(links, to, &format!("Your account was unlinked from {provider}"), &what)
}

fn render(template: &impl Template) -> String {
    template.render().expect("mail templates render")
}
