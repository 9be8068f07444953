//! Invitations: an admin (or the operator at the command line) asks someone to make an
//! account. The mailed link works once, for `INVITATION_VALID_DAYS`; accepting it makes
//! the account with its address verified and the invitation's roles, and signs in. An
//! invitation to an address that has an account mails its owner a notice instead.
//! Invitations work whatever `SIGNUP` says: an invited person is not signing up alone.

use sqlx::AnyConnection;

use crate::domain::{Email, Password, Role, Token};
use crate::error::{AppError, Result};
use crate::i18n::Language;
use crate::mail::{
    self,
    messages::{self, Links},
};
use crate::state::AppState;
use crate::store::invitations::{self, Invitation};
use crate::store::users::{self, User};
use crate::store::{self, Store, roles};

/// How long a link lasts, from `INVITATION_VALID_DAYS`.
#[derive(Debug, Clone, Copy)]
pub struct Validity {
    pub days: u32,
}

impl Validity {
    fn expires_at(self, now: i64) -> i64 {
        now + i64::from(self.days) * 24 * 60 * 60
    }
}

/// What inviting an address did.
#[derive(Debug, PartialEq, Eq)]
pub enum Invited {
    /// The invitation is mailed (any older open one to the address is revoked).
    Sent,
    /// The address has an account: its owner was told instead.
    HasAccount,
}

/// Invites `email` with `roles`, within the caller's transaction, queueing the mail.
pub async fn invite(
    conn: &mut AnyConnection,
    links: &Links,
    validity: Validity,
    invited_by: Option<&User>,
    email: &Email,
    roles: &[Role],
) -> anyhow::Result<Invited> {
    let now = store::now();
    if let Some(owner) = users::find_by_email(&mut *conn, email).await? {
        mail::enqueue(conn, &messages::invited_with_an_account(links, email, owner.language())).await?;
        tracing::info!(event = "invitation_to_an_account", user_id = owner.id, "told the owner instead");
        return Ok(Invited::HasAccount);
    }
    let token = Token::generate();
    let role_list = roles.iter().map(Role::as_str).collect::<Vec<_>>().join(",");
    let inviter = invited_by.map(|user| user.id);
    let id =
        invitations::insert(conn, email.as_str(), &role_list, &token, inviter, now, validity.expires_at(now)).await?;
    let lang = invited_by.map_or_else(Language::default, User::language);
    mail::enqueue(conn, &messages::invitation(links, email, &token, validity.days, lang)).await?;
    tracing::info!(event = "invitation_sent", invitation_id = id, admin_id = inviter, "invitation mailed");
    Ok(Invited::Sent)
}

/// Mails an open invitation again with a new link valid from now (the old link dies).
/// `false` when it was accepted or revoked meanwhile.
pub async fn resend(
    conn: &mut AnyConnection,
    links: &Links,
    validity: Validity,
    invitation: &Invitation,
    lang: Language,
) -> anyhow::Result<bool> {
    let token = Token::generate();
    if !invitations::renew(&mut *conn, invitation.id, &token, validity.expires_at(store::now())).await? {
        return Ok(false);
    }
    let email = Email::parse(&invitation.email).map_err(|_| anyhow::anyhow!("a stored invitation's address"))?;
    mail::enqueue(conn, &messages::invitation(links, &email, &token, validity.days, lang)).await?;
    tracing::info!(event = "invitation_resent", invitation_id = invitation.id, "invitation mailed again");
    Ok(true)
}

/// What an invitation link is worth.
#[derive(Debug)]
pub enum Lookup {
    Valid(Invitation),
    Accepted,
    Revoked,
    Expired,
    Unknown,
}

/// Looks a link up without using it: mail scanners fetch links nobody clicked.
pub async fn look_up(store: &Store, raw: &str) -> Result<Lookup> {
    let Ok(token) = Token::parse(raw) else { return Ok(Lookup::Unknown) };
    let found = invitations::find_by_token(store.pool(), &token).await?;
    Ok(match found {
        None => Lookup::Unknown,
        Some(invitation) if invitation.accepted_at.is_some() => Lookup::Accepted,
        Some(invitation) if invitation.revoked_at.is_some() => Lookup::Revoked,
        Some(invitation) if invitation.expires_at <= store::now() => Lookup::Expired,
        Some(invitation) => Lookup::Valid(invitation),
    })
}

/// What accepting found.
pub enum Accepted {
    Account(Box<User>),
    Refused(Lookup),
    /// Someone made an account with the address since the invitation was sent.
    AddressTaken,
}

/// Makes the account: with `password`, or with none when the person adds a passkey next
/// (until then "forgot password" still lets them in through their mailbox). Of two
/// requests racing with one link, one makes the account.
pub async fn accept(state: &AppState, raw: &str, password: Option<&Password>) -> Result<Accepted> {
    let invitation = match look_up(state.store(), raw).await? {
        Lookup::Valid(invitation) => invitation,
        refused => return Ok(Accepted::Refused(refused)),
    };
    let password_hash = match password {
        Some(password) => state.hasher().hash(password.expose()).await?,
        None => String::new(),
    };
    let email = Email::parse(&invitation.email).map_err(|_| AppError::Internal(anyhow::anyhow!("stored address")))?;
    let now = store::now();
    let mut tx = state.store().begin().await?;
    if !invitations::accept(&mut *tx, invitation.id, now).await? {
        return Ok(Accepted::Refused(Lookup::Accepted));
    }
    let Some(user_id) = users::insert_verified(&mut *tx, &email, &password_hash, Some(now), now).await? else {
        return Ok(Accepted::AddressTaken);
    };
    for name in invitation.role_names() {
        // Names were checked when the invitation was made; one since made invalid is dropped.
        if let Ok(role) = Role::parse(name) {
            roles::grant(&mut *tx, user_id, &role, now).await?;
        }
    }
    tx.commit().await?;
    tracing::info!(event = "invitation_accepted", user_id, invitation_id = invitation.id, "account made by invitation");
    crate::metrics::signup();
    let user = users::find_by_id(state.store().pool(), user_id).await?;
    user.map(|user| Accepted::Account(Box::new(user)))
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the invited account is gone")))
}
