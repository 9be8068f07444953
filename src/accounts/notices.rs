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
    let sent = mail_budget::take(conn, email.as_str(), store::now(), WINDOW_SECS).await?;
    let within = sent <= MAIL_PER_ADDRESS_PER_HOUR;
    if !within {
        tracing::warn!(event = "mail_budget_exhausted", to = email.redacted(), "not sending more mail to this address");
    }
    Ok(within)
}
