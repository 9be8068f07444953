use reqwest::StatusCode;
use reqwest::header::COOKIE;

use crate::helpers::{PASSWORD, SESSION_COOKIE, browser, hidden_field, set_cookie, settled, spawn_app, spawn_app_with};

fn cookie_value(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_owned()
}

#[tokio::test]
async fn v3_3_4_the_session_cookie_is_httponly_lax_and_server_side() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let response = app.login("ada@example.com", PASSWORD).await;
    let cookie = set_cookie(response.headers(), SESSION_COOKIE).unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http must not set Secure: {cookie}");
    assert!(!cookie.contains("Max-Age"), "without remember me the cookie ends with the browser: {cookie}");
    // The cookie is only a reference: the database never holds it as it is.
    let value = cookie_value(&cookie);
    let stored = app.scalar(&format!("SELECT COUNT(*) FROM sessions WHERE id_hash = '{value}'")).await;
    assert_eq!(stored, 0);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sessions").await, 1);
}

#[tokio::test]
async fn v3_3_3_under_https_cookies_are_secure_and_host_prefixed() {
    let app = spawn_app_with(|config| config.base_url = Some("https://accounts.example.com".parse().unwrap())).await;
    let page = app.get("/login").await;
    assert_eq!(page.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let csrf = set_cookie(page.headers(), "__Host-gatehouse-csrf").expect("a __Host- CSRF cookie");
    assert!(csrf.contains("Secure") && csrf.contains("Path=/") && !csrf.contains("Domain"));

    app.verified_user("ada@example.com").await;
    // Browsers send the Origin of the public site.
    let token = app.csrf_token_with(&app.client).await;
    let response = app
        .client
        .post(app.url("/login"))
        .header("origin", "https://accounts.example.com")
        .form(&[("csrf_token", token.as_str()), ("email", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let session = set_cookie(response.headers(), "__Host-gatehouse-session").expect("a __Host- session cookie");
    assert!(session.contains("Secure") && session.contains("HttpOnly") && session.contains("SameSite=Lax"));
}

#[tokio::test]
async fn v7_2_4_login_replaces_a_session_id_planted_before_it() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    app.verified_user("eve@example.com").await;
    // The attacker signs in and plants their own session id in the victim's browser.
    let attacker = app.login_with(&browser(), "eve@example.com", PASSWORD).await;
    let planted = cookie_value(&set_cookie(attacker.headers(), SESSION_COOKIE).unwrap());
    let with_planted = || browser().get(app.url("/api/me")).header(COOKIE, format!("{SESSION_COOKIE}={planted}"));

    // The victim's browser loads the login page and signs in, carrying the planted cookie.
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = plain.get(app.url("/login")).header(COOKIE, format!("{SESSION_COOKIE}={planted}")).send().await.unwrap();
    let csrf_cookie = set_cookie(page.headers(), "gatehouse-csrf").unwrap();
    let csrf_cookie = csrf_cookie.split(';').next().unwrap().to_owned();
    let token = hidden_field(&page.text().await.unwrap(), "csrf_token").unwrap();
    let victim = plain
        .post(app.url("/login"))
        .header(COOKIE, format!("{SESSION_COOKIE}={planted}; {csrf_cookie}"))
        .form(&[("csrf_token", token.as_str()), ("email", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(victim.status(), StatusCode::SEE_OTHER, "{:?}", victim.headers());
    let issued = cookie_value(&set_cookie(victim.headers(), SESSION_COOKIE).unwrap());
    assert_ne!(issued, planted, "login must issue a new session id");
    // The planted id is not the victim's session: it no longer works at all.
    assert_eq!(with_planted().send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let me: serde_json::Value = browser()
        .get(app.url("/api/me"))
        .header(COOKIE, format!("{SESSION_COOKIE}={issued}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ada@example.com");
}

#[tokio::test]
async fn v7_4_1_logout_ends_the_session_everywhere() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let login = app.login("ada@example.com", PASSWORD).await;
    let id = cookie_value(&set_cookie(login.headers(), SESSION_COOKIE).unwrap());
    let copy = || browser().get(app.url("/api/me")).header(COOKIE, format!("{SESSION_COOKIE}={id}"));
    assert_eq!(copy().send().await.unwrap().status(), StatusCode::OK);

    let logout = app.post_form("/logout", &[]).await;

    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(logout.headers()["location"], "/?notice=signed-out");
    assert_eq!(logout.headers()["clear-site-data"], "\"cache\", \"cookies\", \"storage\"");
    assert!(app.get("/?notice=signed-out").await.text().await.unwrap().contains("You are signed out."));
    assert_eq!(copy().send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn remember_me_gives_a_thirty_day_cookie() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let response =
        app.post_form("/login", &[("email", "ada@example.com"), ("password", PASSWORD), ("remember", "on")]).await;
    let cookie = set_cookie(response.headers(), SESSION_COOKIE).unwrap();
    assert!(cookie.contains("Max-Age=2592000"), "{cookie}");
    assert_eq!(app.scalar("SELECT idle_timeout FROM sessions").await, 30 * 24 * 3600);
}

#[tokio::test]
async fn an_idle_session_expires_after_thirty_minutes_and_a_used_one_does_not() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    // 29 minutes idle: still alive, and the visit counts as activity.
    app.execute("UPDATE sessions SET last_seen_at = last_seen_at - 29 * 60").await;
    assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::OK);
    app.execute("UPDATE sessions SET last_seen_at = last_seen_at - 29 * 60").await;
    assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::OK, "a read keeps the session alive");
    // 31 minutes idle: gone.
    app.execute("UPDATE sessions SET last_seen_at = last_seen_at - 31 * 60").await;
    assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_me_describes_the_signed_in_user() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let response = app.get_with(&client, "/api/me").await;
    assert_eq!(response.status(), StatusCode::OK);
    let me: serde_json::Value = response.json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");
    assert_eq!(me["email_verified"], true);
    assert!(me["id"].is_i64());
    let created = me["created_at"].as_str().unwrap();
    time::OffsetDateTime::parse(created, &time::format_description::well_known::Rfc3339).unwrap();
}

#[tokio::test]
async fn api_me_without_a_session_is_a_problem() {
    let app = spawn_app().await;
    let forged = browser().get(app.url("/api/me")).header(COOKIE, format!("{SESSION_COOKIE}=AAAAAAAAAAAAAAAAAAAAAA"));
    for response in [app.get("/api/me").await, forged.send().await.unwrap()] {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let problem: serde_json::Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 401);
        assert!(problem["type"].is_string() && problem["title"].is_string());
    }
}

#[tokio::test]
async fn the_home_page_shows_who_is_signed_in() {
    let app = spawn_app().await;
    assert!(app.get("/").await.text().await.unwrap().contains("href=\"/register\""));
    let client = app.signed_in("ada@example.com").await;
    let page = app.get_with(&client, "/").await.text().await.unwrap();
    assert!(page.contains("ada@example.com") && page.contains("href=\"/account\""));
}

/// On SQLite the server keeps sessions and users in memory; a write by anybody else (the
/// operator's commands, another process) must still be seen by the very next request.
#[tokio::test]
async fn a_change_written_by_another_connection_is_seen_by_the_next_request() {
    use sqlx::Connection;
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let mut other = sqlx::AnyConnection::connect(&app.database.url).await.unwrap();
    // The very next request on SQLite; on PostgreSQL once notified (see `settled`), and
    // never stale after that.
    let postgres = app.database.is_postgres();
    for round in 0..20 {
        let address = format!("ada{round}@example.com");
        sqlx::query("UPDATE users SET email = $1").bind(&address).execute(&mut other).await.unwrap();
        let email = || async {
            app.get_with(&client, "/api/me").await.json::<serde_json::Value>().await.unwrap()["email"].clone()
        };
        let seen = settled(postgres, &serde_json::Value::from(address.as_str()), email).await;
        assert_eq!(seen, address.as_str(), "round {round}");
        assert_eq!(email().await, address.as_str(), "round {round}: once seen, never stale again");
    }

    sqlx::query("DELETE FROM sessions").execute(&mut other).await.unwrap();
    let status = || async { app.get_with(&client, "/api/me").await.status() };
    assert_eq!(settled(postgres, &StatusCode::UNAUTHORIZED, status).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_session_that_cannot_be_saved_gives_an_error_page_not_an_empty_500() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    // The login itself succeeds; only the new session's row is refused.
    if app.database.is_postgres() {
        app.execute(
            "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql",
        )
        .await;
        app.execute("CREATE TRIGGER refuse_sessions BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION refuse()")
            .await;
    } else {
        app.execute(
            "CREATE TRIGGER refuse_sessions BEFORE INSERT ON sessions BEGIN SELECT RAISE(ABORT, 'disk full'); END",
        )
        .await;
    }

    let response = app.login("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    let page = response.text().await.unwrap();
    assert!(page.contains("Something went wrong"), "{page}");
    assert!(!page.contains("disk full"), "the cause is logged, never shown");
}

#[tokio::test]
async fn an_account_keeps_at_most_fifty_sessions_ending_the_least_recently_used() {
    let app = spawn_app().await;
    let first = app.signed_in("ada@example.com").await;
    // Forty-nine more sign-ins, made cheaply as rows, each used after the first.
    for n in 1..=49 {
        app.execute(&format!(
            "INSERT INTO sessions (id_hash, user_id, data, created_at, last_seen_at, idle_timeout, expires_at, ip, user_agent) \
             SELECT 'filler{n}', user_id, data, created_at, last_seen_at + {n}, idle_timeout, expires_at, ip, user_agent \
             FROM sessions WHERE id_hash NOT LIKE 'filler%'"
        ))
        .await;
    }
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sessions").await, 50);
    assert_eq!(app.get_with(&first, "/api/me").await.status(), StatusCode::OK);

    // The fifty-first sign-in ends the least recently used: the first browser's.
    app.execute("UPDATE sessions SET last_seen_at = last_seen_at - 1000 WHERE id_hash NOT LIKE 'filler%'").await;
    let newest = browser();
    assert_eq!(app.login_with(&newest, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM sessions").await, 50);
    assert_eq!(app.get_with(&newest, "/api/me").await.status(), StatusCode::OK);
    assert_eq!(app.get_with(&first, "/api/me").await.status(), StatusCode::UNAUTHORIZED);
}
