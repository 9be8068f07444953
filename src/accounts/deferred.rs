//! Mail asked for by a visitor who must not learn whether an account exists (a reset
//! link, a new verification link). The request writes one row, the same for every
//! address, and is answered at once; a background worker does the rest (look the
//! account up, spend the mail budget, make the link, queue the mail), so neither the
//! answer nor its timing depends on the address. A row lives until it is worked off,
//! so a crash loses nothing; a worker that dies mid-row leaves it to the next after
//! its lease.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};

use crate::domain::Email;
use crate::error::Result;
use crate::state::AppState;
use crate::store::{self, mail_requests};

const LEASE_SECS: i64 = 60;
const BATCH: i64 = 20;
/// Poll this often without a wake-up, for rows written by other instances.
const POLL: Duration = Duration::from_secs(2);

/// What a visitor asked to be mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    PasswordReset,
    VerificationLink,
    LoginCode,
}

impl Ask {
    fn as_str(self) -> &'static str {
        match self {
            Self::PasswordReset => "password_reset",
            Self::VerificationLink => "verification_link",
            Self::LoginCode => "login_code",
        }
    }

    fn parse(kind: &str) -> Option<Self> {
        [Self::PasswordReset, Self::VerificationLink, Self::LoginCode].into_iter().find(|ask| ask.as_str() == kind)
    }
}

/// Wakes the worker when a request is written.
#[derive(Clone, Default)]
pub struct Deferred {
    wake: Arc<Notify>,
}

/// Writes the request; the worker does the rest.
pub async fn ask(state: &AppState, ask: Ask, email: &Email) -> Result<()> {
    mail_requests::insert(state.store().pool(), ask.as_str(), email.as_str(), store::now()).await?;
    state.deferred().wake.notify_one();
    Ok(())
}

/// Works off requests until `stop` changes.
pub async fn run(state: AppState, mut stop: watch::Receiver<bool>) {
    let wake = Arc::clone(&state.deferred().wake);
    loop {
        match work_off(&state).await {
            Ok(done) if done == BATCH as usize => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(error = format!("{error:#}"), "mail requests: cannot work them off now"),
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = stop.changed() => return,
        }
    }
}

/// Works off one batch; returns how many requests it took.
async fn work_off(state: &AppState) -> Result<usize> {
    let claimed = mail_requests::claim(state.store().pool(), store::now(), LEASE_SECS, BATCH).await?;
    for request in &claimed {
        // A row that cannot be understood (an address since made invalid) is dropped.
        if let (Some(ask), Ok(email)) = (Ask::parse(&request.kind), Email::parse(&request.email)) {
            match ask {
                Ask::PasswordReset => super::recovery::request_reset(state, &email).await?,
                Ask::VerificationLink => super::signup::resend_verification(state, &email).await?,
                Ask::LoginCode => super::email_codes::mail_code(state, &email).await?,
            }
        }
        mail_requests::delete(state.store().pool(), request.id).await?;
    }
    Ok(claimed.len())
}
