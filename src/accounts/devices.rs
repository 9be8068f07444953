//! "A new browser signed in to your account": every browser that signs in keeps one id
//! in its device cookie ([`crate::security::device`]); the account remembers a hash of
//! each. A sign-in from a browser the account has not seen, when it has seen others,
//! mails the owner when and with what it happened, and a link that ends that session and
//! leads to a new password. The first browser of an account is not news. The owner can
//! turn the mail off; it also has a mail budget of its own (five an hour), so a script
//! that signs in without keeping cookies does not flood the inbox.

use sha2::{Digest, Sha256};

use super::Client;
use super::password::{self, SignedInWith};
use crate::domain::{AuthSession, Token};
use crate::error::Result;
use crate::mail::Outbox;
use crate::mail::messages::{self, Links};
use crate::security::device;
use crate::store::users::User;
use crate::store::{self, Store, known_devices, tokens};

/// The books of a sign-in in a browser, in one commit (see
/// [`password::record_sign_in`]): last login, the activity log, and this browser among
/// the account's, mailing the owner if it is new. Returns the browser's id, for its
/// device cookie.
pub async fn record_sign_in(
    (store, outbox, links): (&Store, &Outbox, &Links),
    user: &User,
    auth: &AuthSession,
    client: &Client,
    with: SignedInWith,
) -> Result<String> {
    let claimed = client.device_cookie.as_deref().and_then(|value| device::claimed_id(value, user.id));
    let device_id = claimed.map_or_else(device::new_id, str::to_owned);
    let device_hash = hex::encode(Sha256::digest(device_id.as_bytes()));
    let now = store::now();
    let mut tx = store.begin().await?;
    password::write_sign_in(&mut tx, user, client, with, now).await?;
    // Most sign-ins come from a known browser: nothing more to write.
    let known = claimed.is_some() && known_devices::is_known(&mut tx, user.id, &device_hash).await?;
    if !known && known_devices::remember(&mut tx, user.id, &device_hash, now).await? {
        let browsers = known_devices::count(&mut tx, user.id).await?;
        if browsers > known_devices::KEEP {
            known_devices::forget_oldest(&mut tx, user.id).await?;
        }
        if browsers > 1 && user.wants_new_device_mail() {
            tell_the_owner(&mut tx, (outbox, links), user, auth, now).await?;
        }
    }
    outbox.commit(tx).await?;
    password::signed_in(user, client);
    Ok(device_id)
}

/// Queues the new-device mail with its "was this not you?" link, within its mail budget.
async fn tell_the_owner(
    tx: &mut store::Tx,
    (outbox, links): (&Outbox, &Links),
    user: &User,
    auth: &AuthSession,
    now: i64,
) -> Result<()> {
    let email = user.address()?;
    if !super::notices::within_new_device_budget(tx, &email).await? {
        return Ok(());
    }
    let token = Token::generate();
    tokens::insert_for_session(&mut **tx, &token, user.id, &user.email, &auth.sid, now).await?;
    let lang = user.language();
    let when = lang.date_time(auth.authenticated_at);
    let device = lang.describe_device(&auth.user_agent);
    outbox.enqueue(tx, &messages::new_device(links, &email, &token, (&when, &device, &auth.ip), lang)).await?;
    tracing::info!(event = "new_device_sign_in", user_id = user.id, "owner mailed");
    Ok(())
}

/// What a "was this not you?" link did.
pub enum Disowned {
    /// The session is over (if it still was); the person goes on to choose a new
    /// password with this reset link, which the mail's link was as good as.
    Reset(Token),
    Refused(tokens::Lookup),
}

/// Ends the session a new-device mail told of, and makes a reset link for the account.
pub async fn disown(store: &Store, raw_token: &str, client: &Client) -> Result<Disowned> {
    let now = store::now();
    let mut tx = store.begin().await?;
    let row = match super::links::redeem(&mut tx, raw_token, tokens::Purpose::EndSession).await? {
        tokens::Lookup::Valid(row) => row,
        refused => return Ok(Disowned::Refused(refused)),
    };
    let sid = row.session_sid.as_deref().unwrap_or_default();
    if let Some(key) = store::sessions::key_of_sid(&mut *tx, row.user_id, sid).await? {
        store::sessions::delete_one(&mut *tx, row.user_id, &key).await?;
    }
    let reset = Token::generate();
    tokens::insert(&mut *tx, &reset, tokens::Purpose::ResetPassword, row.user_id, &row.email, now).await?;
    let kind = store::events::EventKind::SessionRevoked;
    store::events::record(&mut *tx, row.user_id, kind, &client.ip(), &client.user_agent, now).await?;
    tx.commit().await?;
    tracing::warn!(event = "new_device_disowned", user_id = row.user_id, "the owner ended a sign-in they did not make");
    Ok(Disowned::Reset(reset))
}
