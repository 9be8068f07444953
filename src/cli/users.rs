//! The operator's commands on accounts and mail: act on accounts and mail without SQL. Each prints a clear result,
//! and fails with one line and a non-zero exit on bad input. They are safe while servers
//! run: every change is one transaction, like a request.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, anyhow, bail};
use secrecy::SecretString;
use serde::Serialize;

use crate::accounts::deletion;
use crate::accounts::invitations::{self, Invited};
use crate::admin::{self, Actor};
use crate::domain::{Email, Password, PasswordPolicy, Role};
use crate::mail::messages::Links;
use crate::security::hasher::{self, PasswordHasher};
use crate::store::users::User;
use crate::store::{self, Store, outbox, sessions, users};
use crate::web::format::rfc3339;

#[derive(Serialize)]
struct UserJson {
    id: i64,
    email: String,
    email_verified: bool,
    disabled: bool,
    two_factor: bool,
    roles: Vec<String>,
    created_at: String,
    last_login_at: Option<String>,
    failed_logins: i64,
}

impl UserJson {
    fn of(user: &User) -> anyhow::Result<Self> {
        Ok(Self {
            id: user.id,
            email: user.email.clone(),
            email_verified: user.is_verified(),
            disabled: user.is_disabled(),
            two_factor: user.has_two_factor(),
            roles: user.roles().into_iter().map(str::to_owned).collect(),
            created_at: rfc3339(user.created_at)?,
            last_login_at: user.last_login_at.map(rfc3339).transpose()?,
            failed_logins: user.failed_logins,
        })
    }
}

async fn find(store: &Store, email: &str) -> anyhow::Result<User> {
    let email = Email::parse(email).map_err(|e| anyhow!("{email:?} is not an email address: {e}"))?;
    users::find_by_email(store.pool(), &email).await?.ok_or_else(|| anyhow!("no user with email {email}"))
}

/// Reads the password as one line from standard input (prompting when it is a terminal).
fn read_password() -> anyhow::Result<SecretString> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password (input is shown): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(&line);
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(SecretString::from(password.to_owned()))
}

pub async fn create_user(store: &Store, email: &str, verified: bool, policy: PasswordPolicy) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow!("{email:?} is not an email address: {e}"))?;
    let password = Password::parse(read_password()?, policy).map_err(|e| anyhow!("password refused: {e}"))?;
    let hash = PasswordHasher::start(hasher::production_params())?.hash(password.expose()).await?;
    let now = store::now();
    let id = users::insert_verified(store.pool(), &email, &hash, verified.then_some(now), now)
        .await?
        .ok_or_else(|| anyhow!("a user with email {email} already exists"))?;
    println!("created user {id} <{email}>{}", if verified { " (verified)" } else { "" });
    Ok(())
}

pub async fn list_users(store: &Store, unverified: bool, json: bool) -> anyhow::Result<()> {
    let all = users::list(store.pool(), unverified).await?;
    if json {
        let rows = all.iter().map(UserJson::of).collect::<anyhow::Result<Vec<_>>>()?;
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!("{:>6}  {:<40}  {:<10}  {:<8}  created", "id", "email", "verified", "disabled");
    for user in &all {
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        let created = rfc3339(user.created_at)?;
        println!(
            "{:>6}  {:<40}  {:<10}  {:<8}  {created}",
            user.id,
            user.email,
            yes_no(user.is_verified()),
            yes_no(user.is_disabled())
        );
    }
    println!("{} user(s)", all.len());
    Ok(())
}

pub async fn show_user(store: &Store, email: &str, json: bool) -> anyhow::Result<()> {
    let user = find(store, email).await?;
    let view = UserJson::of(&user)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(());
    }
    let active = sessions::list_for_user(store.pool(), user.id, store::now()).await?.len();
    println!("id:             {}", view.id);
    println!("email:          {}", view.email);
    println!("verified:       {}", view.email_verified);
    println!("disabled:       {}", view.disabled);
    println!("two-step login: {}", if view.two_factor { "on" } else { "off" });
    println!("roles:          {}", if view.roles.is_empty() { "none".to_owned() } else { view.roles.join(", ") });
    println!("created:        {}", view.created_at);
    println!("last login:     {}", view.last_login_at.as_deref().unwrap_or("never"));
    println!("failed logins:  {}", view.failed_logins);
    println!("sessions:       {active}");
    Ok(())
}

pub async fn verify_user(store: &Store, email: &str) -> anyhow::Result<()> {
    let user = find(store, email).await?;
    let mut tx = store.begin().await?;
    admin::verify(&mut tx, &Actor::operator("user verify"), &user).await?;
    tx.commit().await?;
    println!("verified {}", user.email);
    Ok(())
}

/// Disabling also ends the account's sessions, at once and on every instance.
pub async fn set_disabled(store: &Store, email: &str, disabled: bool) -> anyhow::Result<()> {
    let user = find(store, email).await?;
    let command = if disabled { "user disable" } else { "user enable" };
    let mut tx = store.begin().await?;
    let ended = admin::set_disabled(&mut tx, &Actor::operator(command), &user, disabled).await??;
    tx.commit().await?;
    if disabled {
        println!("disabled {} and ended {ended} session(s)", user.email);
    } else {
        println!("enabled {}", user.email);
    }
    Ok(())
}

/// Turns two-step login off and mails the user a notice (sent by a running server).
pub async fn reset_two_factor(store: &Store, email: &str, links: &Links) -> anyhow::Result<()> {
    let user = find(store, email).await?;
    let mut tx = store.begin().await?;
    if !admin::reset_two_factor(&mut tx, links, &Actor::operator("user reset-2fa"), &user).await? {
        bail!("two-step login is not on for {}", user.email);
    }
    tx.commit().await?;
    println!("turned two-step login off for {} and queued a notice to them", user.email);
    Ok(())
}

/// Queues an invitation (or, for an address with an account, a notice to its owner).
pub async fn invite(store: &Store, email: &str, roles: &[String], days: u32, links: &Links) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow!("{email:?} is not an email address. {e}"))?;
    let roles = roles.iter().map(|role| parse_role(role)).collect::<anyhow::Result<Vec<_>>>()?;
    let mut tx = store.begin().await?;
    let validity = invitations::Validity { days };
    let invited = invitations::invite(&mut tx, links, validity, None, &email, &roles).await?;
    tx.commit().await?;
    match invited {
        Invited::Sent => println!("invited {email}: the link is valid for {days} days"),
        Invited::HasAccount => println!("{email} has an account already: mailed its owner a notice instead"),
    }
    Ok(())
}

fn parse_role(role: &str) -> anyhow::Result<Role> {
    Role::parse(role).map_err(|e| anyhow!("{role:?} is not a role name. {e}"))
}

pub async fn grant_role(store: &Store, email: &str, role: &str) -> anyhow::Result<()> {
    let role = parse_role(role)?;
    let user = find(store, email).await?;
    let mut tx = store.begin().await?;
    let granted = admin::grant_role(&mut tx, &Actor::operator("user grant"), &user, &role).await?;
    tx.commit().await?;
    match granted {
        true => println!("granted {role} to {}", user.email),
        false => println!("{} already has {role}", user.email),
    }
    Ok(())
}

pub async fn revoke_role(store: &Store, email: &str, role: &str) -> anyhow::Result<()> {
    let role = parse_role(role)?;
    let user = find(store, email).await?;
    let mut tx = store.begin().await?;
    let revoked = admin::revoke_role(&mut tx, &Actor::operator("user revoke"), &user, &role).await??;
    tx.commit().await?;
    match revoked {
        true => println!("revoked {role} from {}", user.email),
        false => println!("{} does not have {role}", user.email),
    }
    Ok(())
}

pub async fn delete_user(store: &Store, email: &str) -> anyhow::Result<()> {
    let user = find(store, email).await?;
    let mut tx = store.begin().await?;
    deletion::delete(&mut tx, &user).await?;
    tx.commit().await?;
    println!("deleted user {} <{}>", user.id, user.email);
    Ok(())
}

pub async fn list_sessions(store: &Store, email: &str, json: bool) -> anyhow::Result<()> {
    let user = find(store, email).await?;
    let active = sessions::list_for_user(store.pool(), user.id, store::now()).await?;
    if json {
        let rows: Vec<_> = active
            .iter()
            .map(|s| {
                Ok(serde_json::json!({
                    "id": s.id_hash, "created_at": rfc3339(s.created_at)?, "last_seen_at": rfc3339(s.last_seen_at)?,
                    "ip": s.ip, "user_agent": s.user_agent,
                }))
            })
            .collect::<anyhow::Result<_>>()?;
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for s in &active {
        println!("{}  {}  last seen {}  {}", &s.id_hash[..16], s.ip, rfc3339(s.last_seen_at)?, s.user_agent);
    }
    println!("{} session(s) for {}", active.len(), user.email);
    Ok(())
}

pub async fn revoke_sessions(store: &Store, email: &str, api_tokens: bool) -> anyhow::Result<()> {
    let user = find(store, email).await?;
    let mut tx = store.begin().await?;
    let ended = admin::revoke_sessions(&mut tx, &Actor::operator("user revoke-sessions"), &user, None).await?;
    let revoked =
        if api_tokens { Some(crate::accounts::api_tokens::revoke_all(&mut tx, user.id).await?) } else { None };
    tx.commit().await?;
    println!("ended {ended} session(s) of {}", user.email);
    if let Some(revoked) = revoked {
        println!("revoked {revoked} API token(s)");
    }
    Ok(())
}

pub async fn list_outbox(store: &Store, json: bool) -> anyhow::Result<()> {
    let waiting = outbox::pending(store.pool()).await?;
    if json {
        let rows: Vec<_> = waiting
            .iter()
            .map(|m| {
                Ok(serde_json::json!({
                    "id": m.id, "recipient": m.recipient, "subject": m.subject, "created_at": rfc3339(m.created_at)?,
                    "attempts": m.attempts, "next_attempt_at": rfc3339(m.next_attempt_at)?, "last_error": m.last_error,
                }))
            })
            .collect::<anyhow::Result<_>>()?;
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for m in &waiting {
        let error = m.last_error.as_deref().unwrap_or("-");
        println!("{:>6}  {:<32}  {:<45}  attempts {}  last error: {error}", m.id, m.recipient, m.subject, m.attempts);
    }
    println!("{} message(s) waiting", waiting.len());
    Ok(())
}

pub async fn retry_outbox(store: &Store) -> anyhow::Result<()> {
    let due = outbox::retry_now(store.pool(), store::now()).await?;
    println!("{due} message(s) will be retried now");
    Ok(())
}
