//! The text of every email. Each holds its link on a line of its own, built from `BASE_URL`.

use url::Url;

use super::OutgoingMail;
use crate::domain::{Email, Token};
use crate::i18n::Language;

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
pub fn already_registered(links: &Links, to: &Email, verify: Option<&Token>, lang: Language) -> OutgoingMail {
    let verify_part = match verify {
        // Fluent drops a message's trailing blank line: the paragraph break is added here.
        Some(token) => {
            lang.t1("mail-already-registered-verify", "link", links.with_token("/verify-email", token)) + "\n\n"
        }
        None => String::new(),
    };
    let login_link = links.page("/login");
    OutgoingMail {
        to: to.clone(),
        subject: lang.t("mail-already-registered-subject"),
        text: lang.t_args("mail-already-registered-body", &[("verify", &verify_part), ("link", &login_link)]) + "\n",
    }
}

pub fn reset_password(links: &Links, to: &Email, token: &Token, lang: Language) -> OutgoingMail {
    OutgoingMail {
        to: to.clone(),
        subject: lang.t("mail-reset-subject"),
        text: lang.t1("mail-reset-body", "link", links.with_token("/reset-password", token)) + "\n",
    }
}

pub fn confirm_new_email(links: &Links, to: &Email, token: &Token, lang: Language) -> OutgoingMail {
    OutgoingMail {
        to: to.clone(),
        subject: lang.t("mail-confirm-new-email-subject"),
        text: lang.t1("mail-confirm-new-email-body", "link", links.with_token("/confirm-email", token)) + "\n",
    }
}

/// A security notice: something changed on the account (the words of `subject` and
/// `what`, with `args` filled in), and what to do if it was not you.
fn notice(
    links: &Links,
    to: &Email,
    lang: Language,
    (subject, what): (&str, &str),
    args: &[(&'static str, &str)],
) -> OutgoingMail {
    let happened = lang.t_args(what, args);
    let link = links.page("/forgot-password");
    OutgoingMail {
        to: to.clone(),
        subject: lang.t_args(subject, args),
        text: lang.t_args("mail-notice-body", &[("what", &happened), ("link", &link)]) + "\n",
    }
}

pub fn password_changed(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-password-changed-subject", "mail-password-changed"), &[])
}

pub fn password_was_reset(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-password-reset-subject", "mail-password-reset"), &[])
}

pub fn email_change_requested(links: &Links, to: &Email, new_email: &Email, lang: Language) -> OutgoingMail {
    notice(
        links,
        to,
        lang,
        ("mail-email-change-requested-subject", "mail-email-change-requested"),
        &[("new_email", new_email.as_str())],
    )
}

/// Sent to an address that already has an account when another account asks to move to it.
pub fn email_already_in_use(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-email-already-in-use-subject", "mail-email-already-in-use"), &[])
}

pub fn account_deleted(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-account-deleted-subject", "mail-account-deleted"), &[])
}

pub fn failed_logins(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-failed-logins-subject", "mail-failed-logins"), &[])
}

pub fn two_factor_enabled(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-two-factor-enabled-subject", "mail-two-factor-enabled"), &[])
}

pub fn two_factor_disabled(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-two-factor-disabled-subject", "mail-two-factor-disabled"), &[])
}

pub fn two_factor_reset(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-two-factor-reset-subject", "mail-two-factor-reset"), &[])
}

pub fn recovery_code_used(links: &Links, to: &Email, left: i64, lang: Language) -> OutgoingMail {
    notice(
        links,
        to,
        lang,
        ("mail-recovery-code-used-subject", "mail-recovery-code-used"),
        &[("left", &left.to_string())],
    )
}

pub fn passkey_added(links: &Links, to: &Email, name: &str, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-passkey-added-subject", "mail-passkey-added"), &[("name", name)])
}

pub fn passkey_removed(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-passkey-removed-subject", "mail-passkey-removed"), &[])
}

pub fn provider_linked(links: &Links, to: &Email, provider: &str, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-provider-linked-subject", "mail-provider-linked"), &[("provider", provider)])
}

pub fn provider_unlinked(links: &Links, to: &Email, provider: &str, lang: Language) -> OutgoingMail {
    notice(links, to, lang, ("mail-provider-unlinked-subject", "mail-provider-unlinked"), &[("provider", provider)])
}

/// An invitation to make an account: the link works once, for `days` days.
pub fn invitation(links: &Links, to: &Email, token: &Token, days: u32, lang: Language) -> OutgoingMail {
    let link = links.with_token("/invitation", token);
    OutgoingMail {
        to: to.clone(),
        subject: lang.t("mail-invitation-subject"),
        text: lang.t_args("mail-invitation-body", &[("link", &link), ("days", &days.to_string())]) + "\n",
    }
}

/// Sent instead of an invitation to an address that has an account already.
pub fn invited_with_an_account(links: &Links, to: &Email, lang: Language) -> OutgoingMail {
    OutgoingMail {
        to: to.clone(),
        subject: lang.t("mail-invitation-subject"),
        text: lang.t1("mail-invited-with-an-account", "link", links.page("/login")) + "\n",
    }
}

/// A browser new to the account signed in: `(when, device, ip)`, and a link that ends
/// that session and leads to a new password.
pub fn new_device(
    links: &Links,
    to: &Email,
    token: &Token,
    (when, device, ip): (&str, &str, &str),
    lang: Language,
) -> OutgoingMail {
    let link = links.with_token("/sign-in-alert", token);
    OutgoingMail {
        to: to.clone(),
        subject: lang.t("mail-new-device-subject"),
        text: lang.t_args("mail-new-device-body", &[("when", when), ("device", device), ("ip", ip), ("link", &link)])
            + "\n",
    }
}

/// A sign-in code; no link, so that nothing but typing it in the browser that asked uses it.
pub fn login_code(to: &Email, code: &crate::domain::LoginCode, minutes: i64, lang: Language) -> OutgoingMail {
    OutgoingMail {
        to: to.clone(),
        subject: lang.t("mail-login-code-subject"),
        text: lang.t_args("mail-login-code-body", &[("code", &code.to_string()), ("minutes", &minutes.to_string())])
            + "\n",
    }
}
