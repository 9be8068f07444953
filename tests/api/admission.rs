//! Who may sign up (`SIGNUP`, `SIGNUP_ALLOWED_DOMAINS`) and invitations.

use gatehouse::domain::SignupMode;
use reqwest::StatusCode;

use crate::helpers::process::{fails_with, gatehouse, run, start, stdout};
use crate::helpers::{PASSWORD, TestApp, browser, spawn_app_on_localhost_with, spawn_app_with, token_of};

async fn accounts(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM users").await
}

#[tokio::test]
async fn with_invite_only_sign_up_the_form_explains_and_creates_nothing_for_any_address() {
    let app = spawn_app_with(|config| config.signup = SignupMode::Invite).await;
    app.verified_user_made_by_operator("taken@example.com").await;

    let page = app.get("/register").await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("Sign-up here is by invitation"), "{page}");
    assert!(!page.contains("name=\"password\""), "no form to fill in");
    assert!(!app.get("/login").await.text().await.unwrap().contains("href=\"/register\""));

    let mut answers = Vec::new();
    for email in ["new@example.com", "taken@example.com"] {
        let response = app.register(email, PASSWORD).await;
        answers.push((response.status(), response.text().await.unwrap().replace(email, "")));
    }
    assert_eq!(answers[0].0, StatusCode::FORBIDDEN);
    assert_eq!(answers[0], answers[1], "the same answer whether or not the address has an account");
    app.all_mail_sent().await;
    assert_eq!(accounts(&app).await, 1);
    assert!(app.mail.messages().is_empty(), "no mail to anyone");
}

#[tokio::test]
async fn with_closed_sign_up_only_the_operator_makes_accounts() {
    let app = spawn_app_with(|config| config.signup = SignupMode::Closed).await;

    let page = app.get("/register").await.text().await.unwrap();
    assert!(page.contains("This site does not take sign-ups"), "{page}");
    assert!(!app.get("/").await.text().await.unwrap().contains("href=\"/register\""));
    let response = app.register("new@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(accounts(&app).await, 0);

    app.verified_user_made_by_operator("ops@example.com").await;
    assert_eq!(app.login("ops@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn open_sign_up_can_be_limited_to_some_address_domains() {
    let app = spawn_app_with(|config| {
        config.signup_allowed_domains = vec!["example.com".into(), "example.org".into()];
    })
    .await;

    let refused = app.register("ada@elsewhere.net", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("Sign-up is open to addresses at example.com, example.org only."), "{page}");
    assert!(page.contains("value=\"ada@elsewhere.net\""), "the address is kept to correct");
    let subdomain = app.register("ada@mail.example.com", PASSWORD).await;
    assert_eq!(subdomain.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(accounts(&app).await, 0);

    assert_eq!(app.register("Ada@Example.ORG", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    app.mail.wait_for("ada@example.org", 1).await;
    assert_eq!(accounts(&app).await, 1);
}

/// The path of the invitation link in the `nth` invitation mailed to `email`.
async fn invitation_link(app: &TestApp, email: &str, nth: usize) -> String {
    let prefix = format!("{}/invitation?token=", app.base_url);
    let mails = app.mail.wait_for_matching(email, nth, |mail| mail.text.contains(&prefix)).await;
    let mail = mails.last().unwrap();
    assert_eq!(mail.subject, "You are invited to make an account");
    assert!(mail.text.contains("valid for 7 days"), "{}", mail.text);
    mail.link(&prefix).strip_prefix(&app.base_url).unwrap().to_owned()
}

fn invite(app: &TestApp, args: &[&str]) -> String {
    let base_url = format!("--base-url={}", app.base_url);
    let mut all = vec!["user", "invite"];
    all.extend_from_slice(args);
    all.push(&base_url);
    stdout(&run(app, &all, ""))
}

#[tokio::test]
async fn an_invited_person_sets_a_password_and_lands_signed_in_verified_with_the_roles() {
    let app = spawn_app_with(|config| config.signup = SignupMode::Closed).await;
    let said = invite(&app, &["Newcomer@Example.com", "--role", "editor", "--role", "ops"]);
    assert!(said.contains("invited newcomer@example.com"), "{said}");
    let link = invitation_link(&app, "newcomer@example.com", 1).await;

    let client = browser();
    let page = app.get_with(&client, &link).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let page = page.text().await.unwrap();
    assert!(page.contains("newcomer@example.com") && page.contains("editor, ops"), "{page}");
    assert_eq!(app.get_with(&client, &link).await.status(), StatusCode::OK, "looking does not use the link");
    let token = token_of(&link);

    let weak = app.post_form_with(&client, "/invitation", &[("token", &token), ("password", "short")]).await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.unwrap().contains("Use at least 15 characters."));

    let accepted = app.post_form_with(&client, "/invitation", &[("token", &token), ("password", PASSWORD)]).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(accepted.headers()["location"], "/account?notice=welcome");
    let account = app.get_with(&client, "/account?notice=welcome").await.text().await.unwrap();
    assert!(account.contains("Welcome! Your account is ready"), "{account}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE email_verified_at IS NOT NULL").await, 1);
    let roles = app.scalar("SELECT COUNT(*) FROM user_roles WHERE role IN ('editor', 'ops')").await;
    assert_eq!(roles, 2);

    // The link works once; the password works from now on.
    let again = app.post_form_with(&browser(), "/invitation", &[("token", &token), ("password", PASSWORD)]).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert!(again.text().await.unwrap().contains("This invitation was used already"));
    assert_eq!(app.get(&link).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.login_with(&browser(), "newcomer@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(accounts(&app).await, 1);
}

#[tokio::test]
async fn an_expired_or_garbled_invitation_is_refused_and_makes_no_account() {
    let app = spawn_app_with(|config| config.signup = SignupMode::Invite).await;
    invite(&app, &["late@example.com"]);
    let link = invitation_link(&app, "late@example.com", 1).await;
    app.execute("UPDATE invitations SET expires_at = 1").await;

    let page = app.get(&link).await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.text().await.unwrap().contains("This invitation has expired"));
    let token = token_of(&link);
    let refused = app.post_form("/invitation", &[("token", &token), ("password", PASSWORD)]).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let garbled = app.post_form("/invitation", &[("token", &token[..20]), ("password", PASSWORD)]).await;
    assert_eq!(garbled.status(), StatusCode::BAD_REQUEST);
    assert!(garbled.text().await.unwrap().contains("This invitation link is not valid"));
    assert_eq!(accounts(&app).await, 0);
}

#[tokio::test]
async fn inviting_an_address_with_an_account_tells_its_owner_instead() {
    let app = spawn_app_with(|_| {}).await;
    app.verified_user_made_by_operator("owner@example.com").await;

    let said = invite(&app, &["owner@example.com", "--role", "admin"]);
    assert!(said.contains("has an account already"), "{said}");
    let mail = app.mail.wait_for("owner@example.com", 1).await.remove(0);
    assert!(mail.text.contains("but you have one already"), "{}", mail.text);
    assert!(mail.text.contains(&format!("{}/login", app.base_url)));
    assert!(!mail.text.contains("/invitation"), "no link that could make anything");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invitations").await, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_roles").await, 0, "no role from an invitation");
}

#[tokio::test]
async fn a_wrong_role_name_is_refused_by_the_command() {
    let app = spawn_app_with(|_| {}).await;
    let base_url = format!("--base-url={}", app.base_url);
    let output = run(&app, &["user", "invite", "x@example.com", "--role", "Not A Role", &base_url], "");
    fails_with(&output, "is not a role name");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM invitations").await, 0);
}

#[tokio::test]
async fn an_admin_invites_sees_resends_and_revokes_invitations() {
    let app = spawn_app_with(|config| config.signup = SignupMode::Invite).await;
    app.verified_user_made_by_operator("root@example.com").await;
    stdout(&run(&app, &["user", "grant", "root@example.com", "admin"], ""));
    let admin = browser();
    assert_eq!(app.login_with(&admin, "root@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    let wrong = app.post_form_with(&admin, "/admin/invitations", &[("email", "nope"), ("roles", "")]).await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let sent =
        app.post_form_with(&admin, "/admin/invitations", &[("email", "bo@example.com"), ("roles", "staff")]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(sent.headers()["location"], "/admin/invitations?notice=invited");
    let first = invitation_link(&app, "bo@example.com", 1).await;
    let list = app.get_with(&admin, "/admin/invitations?notice=invited").await.text().await.unwrap();
    assert!(list.contains("The invitation is on its way.") && list.contains("bo@example.com"), "{list}");
    assert!(list.contains("staff"));
    let id = app.scalar("SELECT id FROM invitations").await;

    let resent = app.post_form_with(&admin, &format!("/admin/invitations/{id}/resend"), &[]).await;
    assert_eq!(resent.status(), StatusCode::SEE_OTHER);
    let second = invitation_link(&app, "bo@example.com", 2).await;
    assert_ne!(first, second);
    assert_eq!(app.get(&first).await.status(), StatusCode::BAD_REQUEST, "the old link died");
    assert_eq!(app.get(&second).await.status(), StatusCode::OK);

    let revoked = app.post_form_with(&admin, &format!("/admin/invitations/{id}/revoke"), &[]).await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    let page = app.get(&second).await;
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    assert!(page.text().await.unwrap().contains("This invitation was withdrawn"));
    let list = app.get_with(&admin, "/admin/invitations").await.text().await.unwrap();
    assert!(list.contains("No invitations are waiting."), "{list}");
    let again = app.post_form_with(&admin, &format!("/admin/invitations/{id}/revoke"), &[]).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert_eq!(accounts(&app).await, 1);
}

#[tokio::test]
async fn an_invited_person_may_choose_a_passkey_instead_of_a_password() {
    let app = spawn_app_on_localhost_with(|config| config.signup = SignupMode::Invite).await;
    invite(&app, &["keys@example.com"]);
    let link = invitation_link(&app, "keys@example.com", 1).await;
    let client = browser();
    let page = app.get_with(&client, &link).await.text().await.unwrap();
    assert!(page.contains("Use a passkey instead"));

    let accepted =
        app.post_form_with(&client, "/invitation", &[("token", &token_of(&link)), ("with", "passkey")]).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    assert_eq!(accepted.headers()["location"], "/account/passkeys?notice=add-a-passkey");
    let passkeys = app.get_with(&client, "/account/passkeys?notice=add-a-passkey").await.text().await.unwrap();
    assert!(passkeys.contains("Add a passkey now"), "{passkeys}");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE password_hash = ''").await, 1, "no password was set");

    let mut authenticator = crate::passkeys::register(&app, &client, "Laptop").await;
    let (signed_in, _) = crate::passkeys::passkey_sign_in(&app, &mut authenticator).await;
    assert_eq!(signed_in.status(), StatusCode::OK, "the passkey is the way in");
}

#[tokio::test]
async fn the_sign_up_settings_come_from_gatehouse_toml_and_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let toml = "signup = \"invite\"\nsignup_allowed_domains = [\"example.com\"]\nemail_code_login = true\n\
                invitation_valid_days = 3\ngatehouse_addr = \"127.0.0.1:0\"\n";
    std::fs::write(dir.path().join("gatehouse.toml"), toml).unwrap();
    let checked = gatehouse(dir.path()).arg("check-config").output().unwrap();
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));

    let server = start(gatehouse(dir.path()));
    let client = reqwest::Client::new();
    let register = client.get(format!("{}/register", server.base)).send().await.unwrap().text().await.unwrap();
    assert!(register.contains("Sign-up here is by invitation"), "{register}");
    let login = client.get(format!("{}/login", server.base)).send().await.unwrap().text().await.unwrap();
    assert!(login.contains("Email me a code instead"), "{login}");
    drop(server);

    let wrong = gatehouse(dir.path())
        .arg("check-config")
        .env("SIGNUP", "sometimes")
        .env("SIGNUP_ALLOWED_DOMAINS", "*.example.com")
        .env("EMAIL_CODE_LOGIN", "maybe")
        .env("INVITATION_VALID_DAYS", "0")
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    for name in ["SIGNUP must be", "SIGNUP_ALLOWED_DOMAINS", "EMAIL_CODE_LOGIN", "INVITATION_VALID_DAYS"] {
        assert!(stderr.contains(name), "{name} not named: {stderr}");
    }
}
