//! Mail a visitor can make us send: each counts against one budget per address.

use crate::domain::Email;
use crate::store::{self, Store};

/// Mail a visitor may have sent to one address per hour (sign-up notices, resends,
/// resets, email changes).
const MAIL_PER_ADDRESS_PER_HOUR: i64 = 5;

/// Whether `email` may be sent one more message asked for by a visitor, so nobody can
/// flood an inbox through our forms.
pub async fn within_budget(store: &Store, email: &Email) -> Result<bool, sqlx::Error> {
    let sent = store::outbox::count_recent_to(store.pool(), email.as_str(), store::now() - 3600).await?;
    let within = sent < MAIL_PER_ADDRESS_PER_HOUR;
    if !within {
        tracing::warn!(event = "mail_budget_exhausted", to = email.redacted(), "not sending more mail to this address");
    }
    Ok(within)
}
