//! The operator's commands, run as the binary against the database a server uses.

use reqwest::StatusCode;

use crate::helpers::process::{fails_with, gatehouse, run, stdout};
use crate::helpers::{PASSWORD, browser, settled, spawn_app};

#[tokio::test]
async fn an_operator_creates_a_verified_user_who_can_log_in_at_once() {
    let app = spawn_app().await;
    let created = run(&app, &["user", "create", "--email", "Ops@Example.com", "--verified"], &format!("{PASSWORD}\n"));
    assert!(stdout(&created).contains("created user"));
    assert_eq!(app.login("ops@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    fails_with(
        &run(&app, &["user", "create", "--email", "ops@example.com"], &format!("{PASSWORD}\n")),
        "already exists",
    );
    fails_with(
        &run(&app, &["user", "create", "--email", "weak@example.com"], "short\n"),
        "Use at least 15 characters.",
    );
    fails_with(
        &run(&app, &["user", "create", "--email", "not-an-email"], &format!("{PASSWORD}\n")),
        "not an email address",
    );
}

#[tokio::test]
async fn users_are_listed_and_shown_as_text_or_json() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    app.register("new@example.com", PASSWORD).await;

    let all: serde_json::Value = serde_json::from_str(&stdout(&run(&app, &["user", "list", "--json"], ""))).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 2);
    let unverified: serde_json::Value =
        serde_json::from_str(&stdout(&run(&app, &["user", "list", "--unverified", "--json"], ""))).unwrap();
    assert_eq!(unverified[0]["email"], "new@example.com");
    assert_eq!(unverified.as_array().unwrap().len(), 1);
    assert!(stdout(&run(&app, &["user", "list"], "")).contains("2 user(s)"));

    let shown: serde_json::Value =
        serde_json::from_str(&stdout(&run(&app, &["user", "show", "ada@example.com", "--json"], ""))).unwrap();
    assert_eq!(shown["email_verified"], true);
    fails_with(&run(&app, &["user", "show", "nobody@example.com"], ""), "no user with email nobody@example.com");

    stdout(&run(&app, &["user", "verify", "new@example.com"], ""));
    assert_eq!(app.login("new@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn v7_4_2_a_disabled_user_is_signed_out_at_once_and_cannot_log_in_until_enabled() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    // Read once, so the server's read cache holds this session and user.
    assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::OK);

    assert!(stdout(&run(&app, &["user", "disable", "ada@example.com"], "")).contains("ended 1 session"));

    // At once on SQLite; on PostgreSQL once the CLI's write has been notified.
    let postgres = app.database.is_postgres();
    let me = || async { app.get_with(&client, "/api/me").await.status() };
    assert_eq!(settled(postgres, &StatusCode::UNAUTHORIZED, me).await, StatusCode::UNAUTHORIZED);
    let refused = app.login_with(&browser(), "ada@example.com", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.unwrap().contains("disabled"));
    // A wrong password still gets the generic answer: disabling reveals nothing to guessers.
    assert_eq!(app.login_with(&browser(), "ada@example.com", "wrong").await.status(), StatusCode::UNAUTHORIZED);

    stdout(&run(&app, &["user", "enable", "ada@example.com"], ""));
    assert_eq!(app.login_with(&browser(), "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn v7_4_5_sessions_can_be_listed_and_revoked_and_users_deleted() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let sessions: serde_json::Value =
        serde_json::from_str(&stdout(&run(&app, &["user", "sessions", "ada@example.com", "--json"], ""))).unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert_eq!(app.get_with(&client, "/api/me").await.status(), StatusCode::OK);

    assert!(stdout(&run(&app, &["user", "revoke-sessions", "ada@example.com"], "")).contains("ended 1 session"));
    // At once on SQLite; on PostgreSQL once the CLI's write has been notified.
    let me = || async { app.get_with(&client, "/api/me").await.status() };
    assert_eq!(settled(app.database.is_postgres(), &StatusCode::UNAUTHORIZED, me).await, StatusCode::UNAUTHORIZED);

    assert!(stdout(&run(&app, &["user", "delete", "ada@example.com"], "")).contains("deleted user"));
    assert_eq!(app.scalar("SELECT COUNT(*) FROM users").await, 0);
    fails_with(&run(&app, &["user", "delete", "ada@example.com"], ""), "no user with email");
}

#[tokio::test]
async fn waiting_mail_is_listed_and_retried_on_demand() {
    // A port nothing listens on: the relay is down.
    let relay = std::net::SocketAddr::from(([127, 0, 0, 1], crate::helpers::unclaimed_port()));
    let app = crate::helpers::spawn_app_with(|config| config.smtp_url = Some(format!("smtp://{relay}").into())).await;
    app.register("ada@example.com", PASSWORD).await;
    let tried = "SELECT COUNT(*) FROM outbox WHERE last_error IS NOT NULL";
    crate::helpers::eventually("a send was tried and failed", || async { app.scalar(tried).await >= 1 }).await;

    let waiting: serde_json::Value =
        serde_json::from_str(&stdout(&run(&app, &["outbox", "list", "--json"], ""))).unwrap();
    assert_eq!(waiting[0]["recipient"], "ada@example.com");
    assert!(waiting[0]["last_error"].as_str().unwrap().contains("SMTP"));
    // Push the next attempt far out, as a long outage would.
    app.execute("UPDATE outbox SET next_attempt_at = next_attempt_at + 3600").await;

    let relay = crate::helpers::MailServer::start_on(relay).await;
    assert!(stdout(&run(&app, &["outbox", "retry"], "")).contains("1 message(s) will be retried"));
    relay.wait_for("ada@example.com", 1).await;
}

#[tokio::test]
async fn check_config_names_every_wrong_setting_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // A file, but with no certificate in it: as SMTP_CA_FILE it would trust nothing.
    let not_pem = dir.path().join("ca.txt");
    std::fs::write(&not_pem, "not a certificate\n").unwrap();
    let output = gatehouse(dir.path())
        .arg("check-config")
        .env("BASE_URL", "nope")
        .env("LOGIN_RATE_BURST", "0")
        .env("PASSWORD_MIN_LENGTH", "4")
        .env("LOG_FORMAT", "yaml")
        .env("MAX_CONNECTIONS_PER_IP", "0")
        .env("SMTP_CA_FILE", &not_pem)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    for name in ["BASE_URL", "LOGIN_RATE_BURST", "PASSWORD_MIN_LENGTH", "LOG_FORMAT", "MAX_CONNECTIONS_PER_IP"] {
        assert!(stderr.contains(name), "{name} not named: {stderr}");
    }
    assert!(stderr.contains("SMTP_CA_FILE") && stderr.contains("holds no PEM certificate"), "{stderr}");
    let good = gatehouse(dir.path()).arg("check-config").output().unwrap();
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
}

#[tokio::test]
async fn settings_can_come_from_gatehouse_toml_and_the_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("gatehouse.toml"),
        "password_min_length = 4\nbase_url = \"https://accounts.example.com\"\n",
    )
    .unwrap();
    let from_file = gatehouse(dir.path()).arg("check-config").output().unwrap();
    assert!(String::from_utf8_lossy(&from_file.stderr).contains("PASSWORD_MIN_LENGTH"), "the file was read");
    let overridden = gatehouse(dir.path()).arg("check-config").env("PASSWORD_MIN_LENGTH", "12").output().unwrap();
    assert!(overridden.status.success(), "{}", String::from_utf8_lossy(&overridden.stderr));
}

#[tokio::test]
async fn a_flag_wins_over_the_environment_over_dotenv_over_gatehouse_toml() {
    let dir = tempfile::tempdir().unwrap();
    let db = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
    std::fs::write(dir.path().join("gatehouse.toml"), format!("database_url = {:?}\n", db("toml.db"))).unwrap();
    stdout(&gatehouse(dir.path()).arg("migrate").output().unwrap());
    assert!(dir.path().join("toml.db").exists(), "the file's setting is used by the command");

    std::fs::write(dir.path().join(".env"), format!("DATABASE_URL={}\n", db("dotenv.db"))).unwrap();
    stdout(&gatehouse(dir.path()).arg("migrate").output().unwrap());
    assert!(dir.path().join("dotenv.db").exists(), ".env wins over gatehouse.toml");

    stdout(&gatehouse(dir.path()).arg("migrate").env("DATABASE_URL", db("env.db")).output().unwrap());
    assert!(dir.path().join("env.db").exists(), "the environment wins over both");

    let flag = gatehouse(dir.path()).args(["migrate", "--database-url", &db("flag.db")]).output().unwrap();
    stdout(&flag);
    assert!(dir.path().join("flag.db").exists(), "a flag wins over everything");
}

#[tokio::test]
async fn commands_refuse_a_missing_database_file_and_say_which_database_they_used() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = gatehouse(dir.path()).args(["user", "list"]).output().unwrap();
    fails_with(&elsewhere, "no database at gatehouse.db");
    assert!(!dir.path().join("gatehouse.db").exists(), "no empty database was created");
    let checked = gatehouse(dir.path()).arg("check-config").output().unwrap();
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    assert!(!dir.path().join("gatehouse.db").exists(), "check-config creates nothing either");

    let app = spawn_app().await;
    let listed = stdout(&run(&app, &["user", "list"], ""));
    let first = listed.lines().next().unwrap();
    match app.database.is_postgres() {
        true => assert!(first.starts_with("database: postgres"), "{first}"),
        false => assert_eq!(first, format!("database: {}", app.database.url)),
    }
    // With --json, stdout is JSON alone and the database is named on stderr.
    let json = run(&app, &["user", "list", "--json"], "");
    let _: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert!(String::from_utf8_lossy(&json.stderr).starts_with("database: "));
}

#[tokio::test]
async fn an_operator_grants_and_revokes_roles_and_bad_names_are_refused() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let grant = |role: &str| run(&app, &["user", "grant", "ada@example.com", role], "");
    assert!(stdout(&grant("admin")).contains("granted admin to ada@example.com"));
    assert!(stdout(&grant("admin")).contains("ada@example.com already has admin"));
    assert!(stdout(&grant("ops_team-2")).contains("granted ops_team-2"));
    let shown = stdout(&run(&app, &["user", "show", "ada@example.com"], ""));
    assert!(shown.contains("roles:          admin, ops_team-2"), "{shown}");

    fails_with(&grant("Bad Name"), "\"Bad Name\" is not a role name. A role name is 1 to 32 characters");
    fails_with(&grant(&"r".repeat(33)), "is not a role name");
    fails_with(
        &run(&app, &["user", "grant", "nobody@example.com", "ops"], ""),
        "no user with email nobody@example.com",
    );

    let revoke = || run(&app, &["user", "revoke", "ada@example.com", "admin"], "");
    assert!(stdout(&revoke()).contains("revoked admin from ada@example.com"));
    assert!(stdout(&revoke()).contains("ada@example.com does not have admin"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&app, &["user", "show", "ada@example.com", "--json"], ""))).unwrap();
    assert_eq!(json["roles"], serde_json::json!(["ops_team-2"]));
}
