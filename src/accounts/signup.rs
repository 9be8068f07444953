//! Sign-up and confirming the address: nothing here tells a visitor whether an address
//! already has an account; its owner is told instead.

use crate::domain::{Email, Password, Token};
use crate::error::Result;
use crate::i18n::Language;
use crate::mail::messages;
use crate::metrics;
use crate::state::AppState;
use crate::store::events::{self, EventKind};
use crate::store::tokens::{self, Lookup, Purpose};
use crate::store::{self, users};

/// Creates the account and mails a link to confirm it; for an address that has an
/// account already, mails its owner instead (within the mail budget).
/// `lang` is the sign-up page's: the mail is written in it.
pub async fn register(state: &AppState, email: &Email, password: &Password, lang: Language) -> Result<()> {
    // Hash before looking the address up, so a taken address costs the same time.
    let password_hash = state.hasher().hash(password.expose()).await?;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let mail = match users::insert_if_new(&mut *tx, email, &password_hash, now).await? {
        _ if !super::notices::within_budget(&mut tx, email).await? => None,
        Some(user_id) => {
            let token = Token::generate();
            tokens::insert(&mut *tx, &token, Purpose::VerifyEmail, user_id, email.as_str(), now).await?;
            tracing::info!(event = "user_registered", user_id, "new account");
            metrics::signup();
            Some(messages::verify_email(state.links(), email, &token, lang))
        }
        None => {
            let existing = users::find_by_email(&mut *tx, email).await?;
            let token = match existing.as_ref().filter(|user| !user.is_verified()) {
                Some(user) => {
                    let token = Token::generate();
                    tokens::insert(&mut *tx, &token, Purpose::VerifyEmail, user.id, &user.email, now).await?;
                    Some(token)
                }
                None => None,
            };
            tracing::info!(
                event = "registration_for_existing_account",
                user_id = existing.as_ref().map(|u| u.id),
                "told the owner"
            );
            // In the owner's language if they chose one, else the sign-up page's.
            let lang =
                existing.and_then(|owner| owner.language.as_deref().and_then(Language::from_code)).unwrap_or(lang);
            Some(messages::already_registered(state.links(), email, token.as_ref(), lang))
        }
    };
    if let Some(mail) = mail {
        state.outbox().enqueue(&mut tx, &mail).await?;
    }
    state.outbox().commit(tx).await?;
    Ok(())
}

/// Confirms the address a verification link was sent to, if it is still the account's.
pub async fn verify(state: &AppState, raw_token: &str) -> Result<Lookup> {
    let now = store::now();
    let mut tx = state.store().begin().await?;
    let row = match super::links::redeem(&mut tx, raw_token, Purpose::VerifyEmail).await? {
        Lookup::Valid(row) => row,
        refused => return Ok(refused),
    };
    // A link sent to an address the account no longer has must not verify the new one.
    if !users::mark_verified(&mut *tx, row.user_id, &row.email, now).await? {
        return Ok(Lookup::Unknown);
    }
    events::record(&mut *tx, row.user_id, EventKind::EmailVerified, "", "", now).await?;
    tx.commit().await?;
    tracing::info!(event = "email_verified", user_id = row.user_id, "address confirmed");
    metrics::verification();
    Ok(Lookup::Valid(row))
}

/// Whether a used verification link's address is the account's, confirmed: then the
/// person only needs to log in, not a new link.
pub async fn already_confirmed(state: &AppState, used: &Lookup) -> Result<bool> {
    let Lookup::Used { user_id, email } = used else { return Ok(false) };
    let user = users::find_by_id(state.store().pool(), *user_id).await?;
    Ok(user.is_some_and(|user| user.is_verified() && user.email == *email))
}

/// A new verification link, for an account whose address is not confirmed yet.
pub async fn resend_verification(state: &AppState, email: &Email) -> Result<()> {
    let mut tx = state.store().begin().await?;
    let user = users::find_by_email(&mut *tx, email).await?.filter(|user| !user.is_verified());
    if let Some(user) = user
        && super::notices::within_budget(&mut tx, email).await?
    {
        let token = Token::generate();
        tokens::insert(&mut *tx, &token, Purpose::VerifyEmail, user.id, &user.email, store::now()).await?;
        let lang = Language::choose(user.language.as_deref(), None);
        state.outbox().enqueue(&mut tx, &messages::verify_email(state.links(), email, &token, lang)).await?;
        state.outbox().commit(tx).await?;
        tracing::info!(event = "verification_resent", user_id = user.id, "new verification link");
    }
    Ok(())
}
