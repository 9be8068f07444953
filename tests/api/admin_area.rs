//! Roles and the admin area: who may open it, what an admin sees and does, what each
//! change leaves in the log and the mail, and how fast a revoked role or a disabled
//! account loses access, on this instance and another.

use reqwest::{Client, StatusCode, header};
use serde_json::Value;

use crate::helpers::process::{run, stdout};
use crate::helpers::{PASSWORD, TestApp, browser, hidden_field, settled, spawn_app, spawn_app_with};

/// Makes `email` an admin the way an operator does: with the command.
fn grant(app: &TestApp, email: &str, role: &str) {
    assert!(stdout(&run(app, &["user", "grant", email, role], "")).contains(&format!("granted {role}")));
}

/// A client signed in as a new admin.
async fn admin(app: &TestApp, email: &str) -> Client {
    app.verified_user(email).await;
    grant(app, email, "admin");
    let client = browser();
    assert_eq!(app.login_with(&client, email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
    client
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.scalar(&format!("SELECT id FROM users WHERE email = '{email}'")).await
}

async fn page(app: &TestApp, client: &Client, path: &str) -> String {
    let response = app.get_with(client, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

fn location(response: &reqwest::Response) -> &str {
    response.headers()[header::LOCATION].to_str().unwrap()
}

/// Every admin route, as (method, path) with `{id}` for an account.
const ROUTES: [(&str, &str); 17] = [
    ("GET", "/admin"),
    ("GET", "/admin/users"),
    ("GET", "/admin/users/{id}"),
    ("GET", "/admin/events"),
    ("POST", "/admin/users/{id}/verify"),
    ("POST", "/admin/users/{id}/disable"),
    ("POST", "/admin/users/{id}/enable"),
    ("POST", "/admin/users/{id}/revoke-sessions"),
    ("POST", "/admin/users/{id}/reset-2fa"),
    ("POST", "/admin/users/{id}/roles/grant"),
    ("POST", "/admin/users/{id}/roles/revoke"),
    ("POST", "/admin/users/{id}/delete"),
    ("GET", "/admin/users?q=example"),
    ("GET", "/admin/invitations"),
    ("POST", "/admin/invitations"),
    ("POST", "/admin/invitations/{id}/resend"),
    ("POST", "/admin/invitations/{id}/revoke"),
];

async fn request(app: &TestApp, client: &Client, method: &str, path: &str) -> reqwest::Response {
    match method {
        "GET" => app.get_with(client, path).await,
        _ => app.post_form_with(client, path, &[("role", "ops")]).await,
    }
}

#[tokio::test]
async fn visitors_are_sent_to_log_in_and_users_without_the_role_are_refused_on_every_admin_route() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    let user = app.signed_in("ada@example.com").await;
    let target = app.signed_in("target@example.com").await;
    let id = user_id(&app, "target@example.com").await.to_string();

    for (method, path) in ROUTES {
        let path = path.replace("{id}", &id);
        let visitor = request(&app, &browser(), method, &path).await;
        assert_eq!(visitor.status(), StatusCode::SEE_OTHER, "{method} {path} for a visitor");
        let expected = if method == "GET" { format!("/login?next={path}") } else { "/login?next=/account".to_owned() };
        assert_eq!(location(&visitor), expected.replace("?q=example", "%3Fq%3Dexample"), "{method} {path}");

        let refused = request(&app, &user, method, &path).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{method} {path} for a plain user");
        let refused = refused.text().await.unwrap();
        assert!(refused.contains("does not have the role this page needs"));
        assert!(refused.contains("ada@example.com") && !refused.contains(">Log in<"), "still shown as signed in");
    }
    // Nothing the refused requests asked for happened.
    assert_eq!(app.get_with(&target, "/account").await.status(), StatusCode::OK, "target still signed in");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_roles").await, 1, "only the admin has a role");

    for (_, path) in ROUTES.into_iter().filter(|(method, _)| *method == "GET") {
        let path = path.replace("{id}", &id);
        assert_eq!(app.get_with(&admin, &path).await.status(), StatusCode::OK, "{path} for the admin");
    }
    let account = page(&app, &admin, "/account").await;
    assert!(account.contains(r#"href="/admin""#), "admins see the way in");
    assert!(!page(&app, &user, "/account").await.contains(r#"href="/admin""#));
}

#[tokio::test]
async fn an_admin_finds_users_by_any_part_of_their_address_a_page_at_a_time() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    for i in 1..=60 {
        app.execute(&format!(
            "INSERT INTO users (email, password_hash, created_at) VALUES ('member{i:02}@club.example', 'x', 0)"
        ))
        .await;
    }
    app.execute("INSERT INTO users (email, password_hash, created_at) VALUES ('a_b@example.com', 'x', 0)").await;
    app.execute("INSERT INTO users (email, password_hash, created_at) VALUES ('axb@example.com', 'x', 0)").await;

    let found = page(&app, &admin, "/admin/users?q=ER42%40CLUB").await;
    assert!(found.contains("member42@club.example"), "case does not matter, the middle of an address does");
    assert_eq!(found.matches("<strong>member").count(), 1);

    // Sixty members: fifty on the first page, oldest first, and the rest on the second.
    let first = page(&app, &admin, "/admin/users?q=club.example").await;
    assert_eq!(first.matches("<strong>member").count(), 50);
    assert!(first.find("member01@").unwrap() < first.find("member02@").unwrap());
    assert!(first.contains(r#"href="/admin/users?q=club.example&#38;page=2" rel="next""#), "{first}");
    let second = page(&app, &admin, "/admin/users?q=club.example&page=2").await;
    assert_eq!(second.matches("<strong>member").count(), 10);
    assert!(second.contains("member60@") && !second.contains("member50@") && !second.contains(r#"rel="next""#));
    let beyond = page(&app, &admin, "/admin/users?q=club.example&page=7").await;
    assert_eq!(beyond.matches("<strong>member").count(), 0, "a page past the end is empty");

    // Wildcards, quotes and markup are searched for as they are, and shown escaped.
    let underscore = page(&app, &admin, "/admin/users?q=a_b%40").await;
    assert!(underscore.contains("a_b@example.com") && !underscore.contains("axb@example.com"));
    for typed in ["%25%25%25", "'%20OR%201%3D1%20--", "%22)%20OR%20(%22", "*%20OR%20*"] {
        let none = page(&app, &admin, &format!("/admin/users?q={typed}")).await;
        assert_eq!(none.matches("<strong>").count(), 0, "{typed} matched accounts");
        assert!(none.contains("No account matches that."));
    }
    let markup = page(&app, &admin, "/admin/users?q=%3Cscript%3Ealert(1)").await;
    assert!(markup.contains("&#60;script&#62;alert(1)") && !markup.contains("<script>"));

    for (query, message) in [
        ("q=ab", "Type at least three characters"),
        ("page=0", "A page number is a whole number"),
        ("page=1001", "A page number is a whole number"),
        ("page=two", "A page number is a whole number"),
    ] {
        let refused = app.get_with(&admin, &format!("/admin/users?{query}")).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(refused.text().await.unwrap().contains(message), "{query}");
    }
}

#[tokio::test]
async fn an_admin_sees_a_users_state_roles_sessions_and_events() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    let _ada = app.signed_in("ada@example.com").await;
    grant(&app, "ada@example.com", "editors");
    let id = user_id(&app, "ada@example.com").await;

    let shown = page(&app, &admin, &format!("/admin/users/{id}")).await;
    assert!(shown.contains("<h1>ada@example.com"));
    assert!(shown.contains("<dt>Email address</dt><dd>confirmed</dd>"));
    assert!(shown.contains("<dt>Two-step login</dt><dd>off</dd>"));
    assert!(shown.contains("<strong>editors</strong>"));
    assert_eq!(shown.matches("last seen").count(), 1, "one session");
    assert!(shown.contains("Role granted: <strong>editors</strong>"), "events show");
    assert!(shown.contains("by operator"), "the command line is named as the operator");
    assert!(shown.contains("Logged in") && shown.contains("by owner"));
    assert!(shown.contains("<dt>Failed logins</dt><dd>0 since the last login</dd>"), "{shown}");
    assert!(shown.contains(">Sign out everywhere<"), "offered while signed in somewhere");
    for (verb, question) in [
        ("disable", "Disable ada@example.com?"),
        ("delete", "Delete ada@example.com?"),
        ("revoke-sessions", "Sign ada@example.com out everywhere?"),
    ] {
        assert!(shown.contains(&format!(r#"href="/admin/users/{id}/{verb}""#)), "{verb} asks first");
        let asked = page(&app, &admin, &format!("/admin/users/{id}/{verb}")).await;
        assert!(
            asked.contains(question) && asked.contains(&format!(r#"action="/admin/users/{id}/{verb}""#)),
            "{asked}"
        );
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE disabled_at IS NULL").await, 2, "asking changed nothing");

    // Not signed in anywhere: nothing to sign out of.
    app.verified_user("grace@example.com").await;
    let grace = page(&app, &admin, &format!("/admin/users/{}", user_id(&app, "grace@example.com").await)).await;
    assert!(grace.contains("Not signed in anywhere.") && !grace.contains("Sign out everywhere"), "{grace}");

    for missing in ["/admin/users/999999", "/admin/users/abc", "/admin/users/-1", "/admin/users/1e3"] {
        assert_eq!(app.get_with(&admin, missing).await.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    let posted = app.post_form_with(&admin, "/admin/users/999999/roles/grant", &[("role", "ops")]).await;
    assert_eq!(posted.status(), StatusCode::NOT_FOUND, "granting to a missing user");
}

#[tokio::test]
async fn each_admin_action_changes_the_account_and_is_logged_naming_the_admin() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    app.register("new@example.com", PASSWORD).await;
    let new = user_id(&app, "new@example.com").await;
    let ada = app.signed_in("ada@example.com").await;
    let id = user_id(&app, "ada@example.com").await;
    let act = |path: String, fields: Vec<(&'static str, &'static str)>| {
        let (app, admin) = (&app, &admin);
        async move {
            let response = app.post_form_with(admin, &path, &fields).await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
            location(&response).to_owned()
        }
    };

    assert_eq!(act(format!("/admin/users/{new}/verify"), vec![]).await, format!("/admin/users/{new}?notice=verified"));
    assert_eq!(app.login("new@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER, "can log in now");

    act(format!("/admin/users/{id}/disable"), vec![]).await;
    assert_eq!(app.get_with(&ada, "/account").await.status(), StatusCode::SEE_OTHER, "signed out at once");
    assert_ne!(app.login_with(&browser(), "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    act(format!("/admin/users/{id}/enable"), vec![]).await;
    let ada = browser();
    assert_eq!(app.login_with(&ada, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    act(format!("/admin/users/{id}/revoke-sessions"), vec![]).await;
    assert_eq!(app.get_with(&ada, "/account").await.status(), StatusCode::SEE_OTHER, "signed out everywhere");

    let granted = act(format!("/admin/users/{id}/roles/grant"), vec![("role", "editors")]).await;
    assert!(granted.ends_with("?notice=role-granted"));
    let again = act(format!("/admin/users/{id}/roles/grant"), vec![("role", "editors")]).await;
    assert!(again.ends_with("?notice=unchanged"), "granting twice changes nothing");
    assert!(page(&app, &admin, &format!("/admin/users/{id}")).await.contains("<strong>editors</strong>"));
    act(format!("/admin/users/{id}/roles/revoke"), vec![("role", "editors")]).await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_roles WHERE role = 'editors'").await, 0);

    // Two-step login as enrolment leaves it; the reset turns it off and mails the owner.
    app.execute(&format!("UPDATE users SET two_factor_since = 1 WHERE id = {id}")).await;
    app.execute(&format!(
        "INSERT INTO totp_secrets (user_id, secret, created_at, confirmed_at) VALUES ({id}, 'JBSWY3DPEHPK3PXP', 1, 1)"
    ))
    .await;
    act(format!("/admin/users/{id}/reset-2fa"), vec![]).await;
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM users WHERE id = {id} AND two_factor_since IS NULL")).await,
        1
    );
    app.mail.latest_with_subject("ada@example.com", "Two-step login was reset").await;

    let log = page(&app, &admin, "/admin/events?user=ada%40example.com").await;
    for what in [
        "Account disabled by an administrator",
        "Account enabled again by an administrator",
        "Signed out everywhere by an administrator",
        "Role granted: <strong>editors</strong>",
        "Role revoked: <strong>editors</strong>",
        "Two-step login reset by an administrator",
    ] {
        assert!(log.contains(what), "{what} is in the log");
    }
    assert_eq!(log.matches("by root@example.com").count(), 6, "each names the admin");
    // The owner sees what happened, but not the admin's address or browser.
    let mine = page(&app, &ada_signed_in(&app).await, "/account/activity").await;
    assert!(mine.contains("Account disabled by an administrator"));
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM account_events WHERE user_id = {id} AND actor_id IS NOT NULL")).await,
        6
    );

    assert_eq!(act(format!("/admin/users/{id}/delete"), vec![]).await, "/admin/users?notice=deleted");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users WHERE email = 'ada@example.com'").await, 0);
    app.mail.latest_with_subject("ada@example.com", "Your account was deleted").await;
    let deleted = page(&app, &admin, "/admin/events?kind=user_deleted").await;
    assert!(deleted.contains(&format!("Deleted an account: <strong>ada@example.com (#{id})</strong>")));
    assert!(deleted.contains("root@example.com"));
}

async fn ada_signed_in(app: &TestApp) -> Client {
    let client = browser();
    assert_eq!(app.login_with(&client, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    client
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    let me = user_id(&app, "root@example.com").await;

    let own_page = page(&app, &admin, &format!("/admin/users/{me}")).await;
    assert!(!own_page.contains("/disable\"") && !own_page.contains("/delete\""), "the forms are not offered");
    for (path, fields) in [
        (format!("/admin/users/{me}/disable"), vec![]),
        (format!("/admin/users/{me}/delete"), vec![]),
        (format!("/admin/users/{me}/roles/revoke"), vec![("role", "admin")]),
    ] {
        let refused = app.post_form_with(&admin, &path, &fields).await;
        assert_eq!(refused.status(), StatusCode::CONFLICT, "{path}");
        assert!(refused.text().await.unwrap().contains("You cannot"), "{path}");
    }
    assert_eq!(app.get_with(&admin, "/admin").await.status(), StatusCode::OK, "still an admin, still signed in");

    // Signing out everywhere from their own page keeps the browser they act from.
    let elsewhere = browser();
    app.login_with(&elsewhere, "root@example.com", PASSWORD).await;
    let revoked = app.post_form_with(&admin, &format!("/admin/users/{me}/revoke-sessions"), &[]).await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get_with(&admin, "/admin").await.status(), StatusCode::OK);
    assert_eq!(app.get_with(&elsewhere, "/admin").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_admin_change_after_a_stale_sign_in_asks_for_the_password_first() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    app.verified_user("ada@example.com").await;
    let id = user_id(&app, "ada@example.com").await;
    app.age_sign_ins().await;
    assert_eq!(app.get_with(&admin, "/admin").await.status(), StatusCode::OK, "looking needs no fresh sign-in");

    let path = format!("/admin/users/{id}/roles/grant");
    let asked = app.post_form_with(&admin, &path, &[("role", "editors")]).await;
    assert_eq!(asked.status(), StatusCode::UNAUTHORIZED);
    let asked = asked.text().await.unwrap();
    assert!(asked.contains("Confirm it is you") && asked.contains(r#"name="confirm_password""#));
    assert!(asked.contains(&format!(r#"action="{path}""#)), "the page posts the same form again");
    assert_eq!(hidden_field(&asked, "role").as_deref(), Some("editors"), "with what was typed");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_roles WHERE role = 'editors'").await, 0, "nothing yet");

    let token = hidden_field(&asked, "csrf_token").unwrap();
    let post = |password: &'static str| {
        let form = [("csrf_token", token.clone()), ("role", "editors".into()), ("confirm_password", password.into())];
        admin.post(app.url(&path)).form(&form).send()
    };
    let wrong = post("not my password at all").await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.text().await.unwrap().contains("That is not your password."));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_roles WHERE role = 'editors'").await, 0);

    let confirmed = post(PASSWORD).await.unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&confirmed), format!("/admin/users/{id}?notice=role-granted"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_roles WHERE role = 'editors'").await, 1);
    // The password renewed the sign-in: the next change goes through at once.
    let next = app.post_form_with(&admin, &format!("/admin/users/{id}/roles/grant"), &[("role", "ops")]).await;
    assert_eq!(next.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn guessing_the_password_on_the_confirm_page_is_throttled() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    let me = user_id(&app, "root@example.com").await;
    app.age_sign_ins().await;
    let path = format!("/admin/users/{me}/roles/grant");
    let guess = |password: &'static str| {
        let (app, admin, path) = (&app, &admin, &path);
        async move { app.post_form_with(admin, path, &[("role", "ops"), ("confirm_password", password)]).await }
    };
    for attempt in 0..10 {
        assert_eq!(guess("a wrong guess of it").await.status(), StatusCode::UNAUTHORIZED, "guess {attempt}");
    }
    let throttled = guess("a wrong guess of it").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().contains_key(header::RETRY_AFTER));
    let right = guess(PASSWORD).await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits its turn");
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_roles WHERE role = 'ops'").await, 0);
}

#[tokio::test]
async fn bad_role_names_and_filters_get_clear_answers() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    app.verified_user("ada@example.com").await;
    let id = user_id(&app, "ada@example.com").await;

    for bad in ["Admin", "with space", "dots.are.out", "<b>x</b>", "", &"r".repeat(33)] {
        let refused = app.post_form_with(&admin, &format!("/admin/users/{id}/roles/grant"), &[("role", bad)]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        let page = refused.text().await.unwrap();
        assert!(page.contains("A role name is 1 to 32 characters"), "{bad:?}");
        assert!(!page.contains("<b>x</b>"), "what was typed is escaped");
        let revoke = app.post_form_with(&admin, &format!("/admin/users/{id}/roles/revoke"), &[("role", bad)]).await;
        assert_eq!(revoke.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM user_roles").await, 1, "only root's admin role");
    let longest = "r".repeat(32);
    let granted = app.post_form_with(&admin, &format!("/admin/users/{id}/roles/grant"), &[("role", &longest)]).await;
    assert_eq!(granted.status(), StatusCode::SEE_OTHER, "32 characters are fine");

    for (query, message) in [
        ("kind=nonsense", "Choose a kind of event from the list."),
        ("user=not%20an%20address", "Enter an email address or an account"),
        ("page=-3", "A page number is a whole number"),
    ] {
        let refused = app.get_with(&admin, &format!("/admin/events?{query}")).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(refused.text().await.unwrap().contains(message), "{query}");
    }
    let nobody = page(&app, &admin, "/admin/events?user=nobody%40example.com").await;
    assert!(nobody.contains("No account has that address."));
    let by_kind = page(&app, &admin, "/admin/events?kind=role_granted").await;
    assert_eq!(by_kind.matches("Role granted").count(), 2 + 1, "two grants, and the filter's own option");
    assert!(!by_kind.contains("Logged in</span>"), "other kinds are left out");
}

#[tokio::test]
async fn the_security_log_pages_newest_first() {
    let app = spawn_app().await;
    let admin = admin(&app, "root@example.com").await;
    let id = user_id(&app, "root@example.com").await;
    for i in 0..70 {
        app.execute(&format!(
            "INSERT INTO account_events (user_id, kind, ip, user_agent, created_at) VALUES ({id}, 'login_failed', '192.0.2.{i}', '', {})",
            1_800_000_000 + i
        ))
        .await;
    }
    let first = page(&app, &admin, "/admin/events?kind=login_failed").await;
    assert_eq!(first.matches("Failed login attempt</span>").count(), 50);
    assert!(first.find("192.0.2.69").unwrap() < first.find("192.0.2.68").unwrap(), "newest first");
    assert!(!first.contains("192.0.2.19<") && first.contains(r#"rel="next""#));
    let second = page(&app, &admin, "/admin/events?kind=login_failed&page=2").await;
    assert_eq!(second.matches("Failed login attempt</span>").count(), 20);
    assert!(second.contains("192.0.2.0 ") || second.contains("192.0.2.0<"));
}

#[tokio::test]
async fn a_revoked_role_or_a_disabled_account_loses_access_on_the_next_request_on_another_instance() {
    let app = spawn_app().await;
    let other = spawn_app_with(|config| config.database_url = app.database.url.clone()).await;
    let root = admin(&app, "root@example.com").await;
    app.verified_user("bob@example.com").await;
    grant(&app, "bob@example.com", "admin");
    let bob = browser();
    assert_eq!(other.login_with(&bob, "bob@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let id = user_id(&app, "bob@example.com").await;
    // Warm whatever the other instance keeps of bob.
    for _ in 0..3 {
        assert_eq!(other.get_with(&bob, "/admin").await.status(), StatusCode::OK);
    }

    let revoked = app.post_form_with(&root, &format!("/admin/users/{id}/roles/revoke"), &[("role", "admin")]).await;
    assert_eq!(revoked.status(), StatusCode::SEE_OTHER);
    // The very next request on SQLite; on PostgreSQL once the other instance is notified.
    let postgres = app.database.is_postgres();
    let status = settled(postgres, &StatusCode::FORBIDDEN, || async { other.get_with(&bob, "/admin").await.status() });
    assert_eq!(status.await, StatusCode::FORBIDDEN, "the very next request");
    let me: Value = other.get_with(&bob, "/api/me").await.json().await.unwrap();
    assert_eq!(me["roles"], serde_json::json!([]));

    app.post_form_with(&root, &format!("/admin/users/{id}/disable"), &[]).await;
    let after =
        settled(postgres, &StatusCode::UNAUTHORIZED, || async { other.get_with(&bob, "/api/me").await.status() });
    assert_eq!(after.await, StatusCode::UNAUTHORIZED, "disabled: signed out on the other instance too");
}

#[tokio::test]
async fn programs_see_the_roles_in_api_me_and_in_access_tokens() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    grant(&app, "ada@example.com", "editors");
    grant(&app, "ada@example.com", "admin");

    let tokens: Value = app
        .client
        .post(app.url("/api/auth/token"))
        .json(&serde_json::json!({"email": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(claims(access)["roles"], serde_json::json!(["admin", "editors"]), "sorted by name");
    let me: Value = app.client.get(app.url("/api/me")).bearer_auth(access).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["roles"], serde_json::json!(["admin", "editors"]));

    // A refreshed token carries the roles as they are at the refresh.
    assert!(stdout(&run(&app, &["user", "revoke", "ada@example.com", "editors"], "")).contains("revoked editors"));
    let refreshed: Value = app
        .client
        .post(app.url("/api/auth/token"))
        .json(&serde_json::json!({"refresh_token": tokens["refresh_token"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(claims(refreshed["access_token"].as_str().unwrap())["roles"], serde_json::json!(["admin"]));
}

/// The payload of a JWT, read without checking it (the server checks it; this only reads).
fn claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}
