//! Mail a visitor can make us send (sign-up mail, resends, resets, email changes): each
//! counts against one budget per address, so nobody can flood an inbox through our forms.

use sqlx::AnyConnection;

use crate::domain::Email;
use crate::store::{self, mail_budget};

/// Messages a visitor may have sent to one address per hour.
const MAIL_PER_ADDRESS_PER_HOUR: i64 = 5;
pub const WINDOW_SECS: i64 = 3600;

/// Takes one message from `email`'s budget, within the caller's transaction (so a
/// message that is not queued after all is not counted); `false` once it is spent.
pub async fn within_budget(conn: &mut AnyConnection, email: &Email) -> Result<bool, sqlx::Error> {
    take(conn, email, email.as_str()).await
}

/// The same for new-device mails, on a budget of their own: a sign-in needs the password,
/// so they are no visitor's doing and must not use up what resets and codes need (a script
/// that signs in without keeping its cookies would otherwise lock its owner out of both).
pub async fn within_new_device_budget(conn: &mut AnyConnection, email: &Email) -> Result<bool, sqlx::Error> {
    take(conn, email, &format!("new-device:{}", email.as_str())).await
}

async fn take(conn: &mut AnyConnection, email: &Email, key: &str) -> Result<bool, sqlx::Error> {
    let sent = mail_budget::take(conn, key, store::now(), WINDOW_SECS).await?;
    let within = sent <= MAIL_PER_ADDRESS_PER_HOUR;
    if !within {
        tracing::warn!(event = "mail_budget_exhausted", to = email.redacted(), "not sending more mail to this address");
    }
    Ok(within)
}
