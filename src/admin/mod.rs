//! Acting on someone else's account: the rules the admin area and the operator's
//! commands share. Each action changes the account within the caller's transaction,
//! writes an event on its log naming who acted, and queues the notice the owner would
//! get for the same change made by themselves. An admin cannot lock themselves out:
//! no disabling or deleting their own account, no removing their own `admin` role.

pub mod search;

use sqlx::AnyConnection;

use crate::accounts::{deletion, sessions};
use crate::domain::Role;
use crate::mail::messages::{self, Links};
use crate::store::events::{self, Acted, EventKind};
use crate::store::users::User;
use crate::store::{self, roles, users};
use crate::two_factor;

/// Who acts: a signed-in admin, or the operator at the command line (`admin: None`).
pub struct Actor<'a> {
    pub admin: Option<&'a User>,
    pub ip: String,
    pub user_agent: String,
}

impl<'a> Actor<'a> {
    pub fn admin(admin: &'a User, client: &crate::accounts::Client) -> Self {
        Self { admin: Some(admin), ip: client.ip(), user_agent: client.user_agent.clone() }
    }

    /// The operator at the command line, naming the command in the log's browser column.
    pub fn operator(command: &str) -> Self {
        Self { admin: None, ip: String::new(), user_agent: format!("gatehouse {command}") }
    }

    fn id(&self) -> Option<i64> {
        self.admin.map(|admin| admin.id)
    }

    fn is(&self, user: &User) -> bool {
        self.id() == Some(user.id)
    }

    fn acted<'s>(&'s self, detail: Option<&'s str>) -> Acted<'s> {
        Acted { actor_id: self.id(), detail, ip: &self.ip, user_agent: &self.user_agent }
    }
}

/// What an admin may not do to their own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    DisableSelf,
    DeleteSelf,
    DropOwnAdmin,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::DisableSelf => "You cannot disable your own account.",
            Self::DeleteSelf => "You cannot delete your own account here; another admin can, or use your account page.",
            Self::DropOwnAdmin => "You cannot remove your own admin role; another admin can.",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Refusal {}

/// An action's result: done, refused (what an admin may not do to themselves), or failed.
pub type Outcome<T> = Result<Result<T, Refusal>, anyhow::Error>;

/// Marks the address confirmed. `false` when it already was.
pub async fn verify(conn: &mut AnyConnection, actor: &Actor<'_>, target: &User) -> anyhow::Result<bool> {
    if target.is_verified() {
        return Ok(false);
    }
    let now = store::now();
    users::mark_verified(&mut *conn, target.id, &target.email, now).await?;
    events::record_acted(&mut *conn, target.id, EventKind::AdminVerified, &actor.acted(None), now).await?;
    log(actor, "admin_verified", target, None);
    Ok(true)
}

/// Disables the account, ending its sessions and refresh tokens at once on every
/// instance, or enables it again. Returns how many sessions ended.
pub async fn set_disabled(conn: &mut AnyConnection, actor: &Actor<'_>, target: &User, disabled: bool) -> Outcome<u64> {
    if disabled && actor.is(target) {
        return Ok(Err(Refusal::DisableSelf));
    }
    let now = store::now();
    users::set_disabled(&mut *conn, target.id, disabled.then_some(now)).await?;
    let (kind, ended) = if disabled {
        (EventKind::AdminDisabled, sessions::end_all(&mut *conn, target.id).await?)
    } else {
        (EventKind::AdminEnabled, 0)
    };
    events::record_acted(&mut *conn, target.id, kind, &actor.acted(None), now).await?;
    log(actor, kind.as_str(), target, None);
    Ok(Ok(ended))
}

/// Ends the account's sessions and refresh tokens; an admin acting on their own account
/// keeps the session they act from (`keep`). Returns how many ended.
pub async fn revoke_sessions(
    conn: &mut AnyConnection,
    actor: &Actor<'_>,
    target: &User,
    keep: Option<&str>,
) -> anyhow::Result<u64> {
    let ended = match keep.filter(|_| actor.is(target)) {
        Some(keep) => sessions::end_all_but(&mut *conn, target.id, keep).await?,
        None => sessions::end_all(&mut *conn, target.id).await?,
    };
    events::record_acted(&mut *conn, target.id, EventKind::AdminSessionsRevoked, &actor.acted(None), store::now())
        .await?;
    log(actor, "admin_sessions_revoked", target, None);
    Ok(ended)
}

/// Turns two-step login off for a locked-out user and mails them a notice. `false` when
/// it was not on.
pub async fn reset_two_factor(
    conn: &mut AnyConnection,
    links: &Links,
    actor: &Actor<'_>,
    target: &User,
) -> anyhow::Result<bool> {
    if !two_factor::reset(&mut *conn, links, target).await? {
        return Ok(false);
    }
    events::record_acted(&mut *conn, target.id, EventKind::TwoFactorReset, &actor.acted(None), store::now()).await?;
    log(actor, "two_factor_reset", target, None);
    Ok(true)
}

/// Grants a role. `false` when the user already had it.
pub async fn grant_role(
    conn: &mut AnyConnection,
    actor: &Actor<'_>,
    target: &User,
    role: &Role,
) -> anyhow::Result<bool> {
    let now = store::now();
    if !roles::grant(&mut *conn, target.id, role, now).await? {
        return Ok(false);
    }
    events::record_acted(&mut *conn, target.id, EventKind::RoleGranted, &actor.acted(Some(role.as_str())), now).await?;
    log(actor, "role_granted", target, Some(role.as_str()));
    Ok(true)
}

/// Revokes a role. `false` when the user did not have it.
pub async fn revoke_role(conn: &mut AnyConnection, actor: &Actor<'_>, target: &User, role: &Role) -> Outcome<bool> {
    if role.is_admin() && actor.is(target) {
        return Ok(Err(Refusal::DropOwnAdmin));
    }
    let now = store::now();
    if !roles::revoke(&mut *conn, target.id, role).await? {
        return Ok(Ok(false));
    }
    events::record_acted(&mut *conn, target.id, EventKind::RoleRevoked, &actor.acted(Some(role.as_str())), now).await?;
    log(actor, "role_revoked", target, Some(role.as_str()));
    Ok(Ok(true))
}

/// Deletes the account and mails its owner the goodbye they would get for deleting it
/// themselves. The account's log goes with it, so the event is written on the admin's.
pub async fn delete(conn: &mut AnyConnection, links: &Links, actor: &Actor<'_>, target: &User) -> Outcome<()> {
    if actor.is(target) {
        return Ok(Err(Refusal::DeleteSelf));
    }
    let email = target.address()?;
    deletion::delete(&mut *conn, target).await?;
    crate::mail::enqueue(&mut *conn, &messages::account_deleted(links, &email, target.language())).await?;
    if let Some(admin) = actor.admin {
        let detail = format!("{} (#{})", target.email, target.id);
        events::record_acted(&mut *conn, admin.id, EventKind::UserDeleted, &actor.acted(Some(&detail)), store::now())
            .await?;
    }
    log(actor, "user_deleted", target, None);
    Ok(Ok(()))
}

/// One line per action in the server's log: the ids of both accounts, never an address.
fn log(actor: &Actor<'_>, event: &str, target: &User, role: Option<&str>) {
    match actor.id() {
        Some(admin_id) => tracing::info!(event, admin_id, user_id = target.id, role, "admin action"),
        None => tracing::info!(event, user_id = target.id, role, "operator action"),
    }
}
