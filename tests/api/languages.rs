//! Pages and mail in the person's language: the account's choice, else the browser's
//! `Accept-Language`, else English; and every language has every word.

use std::collections::BTreeSet;
use std::path::Path;

use reqwest::header::{ACCEPT_LANGUAGE, HeaderMap, HeaderValue};
use reqwest::{Client, StatusCode};

use crate::helpers::{PASSWORD, TestApp, spawn_app};

/// A browser whose language preference is `accept_language`.
fn browser_speaking(accept_language: &'static str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static(accept_language));
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

async fn page(app: &TestApp, client: &Client, path: &str) -> String {
    let response = app.get_with(client, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

fn keys_of(language: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(language.join("main.ftl")).unwrap();
    text.lines()
        .filter_map(|line| line.split_once(" =").map(|(key, _)| key))
        .filter(|key| key.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !key.contains(' '))
        .map(str::to_owned)
        .collect()
}

/// Every file under `dir` with one of `extensions`, as text.
fn sources(dir: &Path, extensions: &[&str], into: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, extensions, into);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e)) {
            into.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn every_language_has_every_key_and_every_key_is_used() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let locales = root.join("templates/locales");
    let english = keys_of(&locales.join("en"));
    assert!(english.len() > 50, "the English words were read: {}", english.len());
    let mut languages = 0;
    for entry in std::fs::read_dir(&locales).unwrap() {
        let folder = entry.unwrap().path();
        let keys = keys_of(&folder);
        let missing: Vec<_> = english.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&english).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in English {extra:?}",
            folder.display()
        );
        languages += 1;
    }
    assert!(languages >= 3, "English, German and French at least");

    let mut code = String::new();
    sources(&root.join("src"), &["rs"], &mut code);
    sources(&root.join("templates"), &["html", "txt"], &mut code);
    // Keys put together at run time, by their stem.
    let built = ["month-", "confirm-disable-", "confirm-revoke-sessions-", "confirm-delete-", "problem-"];
    let unused: Vec<_> = english
        .iter()
        .filter(|key| !built.iter().any(|stem| key.starts_with(stem)))
        .filter(|key| !code.contains(&format!("\"{key}\"")))
        .collect();
    assert!(unused.is_empty(), "keys nothing uses: {unused:?}");
}

#[tokio::test]
async fn with_accept_language_de_the_sign_up_login_and_account_pages_are_in_german() {
    let app = spawn_app().await;
    let german = browser_speaking("de-DE,de;q=0.9,en;q=0.5");
    let sign_up = page(&app, &german, "/register").await;
    assert!(sign_up.contains(r#"<html lang="de">"#), "{sign_up}");
    assert!(sign_up.contains("<h1>Konto erstellen</h1>") && sign_up.contains("E-Mail-Adresse"), "{sign_up}");
    let login = page(&app, &german, "/login").await;
    assert!(login.contains("<h1>Anmelden</h1>") && login.contains("Passwort vergessen?"), "{login}");

    app.verified_user("ada@example.com").await;
    let refused = app.login_with(&german, "ada@example.com", "not the password").await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "the status never changes with the language");
    assert!(refused.text().await.unwrap().contains("E-Mail-Adresse oder Passwort ist falsch."));
    assert_eq!(app.login_with(&german, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);
    let account = page(&app, &german, "/account").await;
    assert!(account.contains("<h1>Ihr Konto</h1>") && account.contains("Mitglied seit"), "{account}");
    assert!(account.contains("1 Gerät") && account.contains(">Abmelden<"), "{account}");

    let english = page(&app, &app.client, "/login").await;
    assert!(english.contains(r#"<html lang="en">"#) && english.contains("<h1>Log in</h1>"), "no header: English");
}

#[tokio::test]
async fn a_field_error_speaks_the_pages_language() {
    let app = spawn_app().await;
    let french = browser_speaking("fr");
    let refused = app.post_form_with(&french, "/register", &[("email", "not an address"), ("password", "short")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = refused.text().await.unwrap();
    assert!(text.contains("Saisissez une adresse e-mail comme nom@example.com."), "{text}");
    assert!(text.contains("Utilisez au moins"), "{text}");
}

#[tokio::test]
async fn the_accounts_choice_overrides_the_browser_until_it_is_cleared() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    let german = browser_speaking("de");
    assert_eq!(app.login_with(&german, "ada@example.com", PASSWORD).await.status(), StatusCode::SEE_OTHER);

    let profile = page(&app, &german, "/account/profile").await;
    assert!(profile.contains(r#"<option value="" selected>Die Sprache Ihres Browsers</option>"#), "{profile}");
    let saved = app.post_form_with(&german, "/account/language", &[("language", "fr")]).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(saved.headers()["location"], "/account/profile?notice=language-saved");
    let profile = page(&app, &german, "/account/profile?notice=language-saved").await;
    assert!(profile.contains(r#"<html lang="fr">"#) && profile.contains("Votre langue est enregistrée."), "{profile}");
    assert!(page(&app, &german, "/account").await.contains("<h1>Votre compte</h1>"));

    let unknown = app.post_form_with(&german, "/account/language", &[("language", "tlh")]).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);

    let cleared = app.post_form_with(&german, "/account/language", &[("language", "")]).await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    assert!(page(&app, &german, "/account").await.contains("<h1>Ihr Konto</h1>"), "the browser's again");
}

#[tokio::test]
async fn a_sign_up_from_a_german_page_gets_its_mail_in_german_and_so_does_a_german_account() {
    let app = spawn_app().await;
    let german = browser_speaking("de");
    let signed_up =
        app.post_form_with(&german, "/register", &[("email", "ada@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(signed_up.status(), StatusCode::SEE_OTHER);
    let mail = app.mail.wait_for("ada@example.com", 1).await.remove(0);
    assert_eq!(mail.subject, "Bestätigen Sie Ihre E-Mail-Adresse");
    assert!(mail.text.contains("Der Link ist 24 Stunden gültig"), "{}", mail.text);
    let link = mail.link(&format!("{}/verify-email?token=", app.base_url));
    let confirm = page(&app, &german, &link[app.base_url.len()..]).await;
    assert!(confirm.contains(">Bestätigen</button>"), "the button the mail names: {confirm}");

    // An account that chose German gets German mail whatever page caused it.
    app.execute("UPDATE users SET language = 'de' WHERE email = 'ada@example.com'").await;
    let resent = app.post_form("/resend-verification", &[("email", "ada@example.com")]).await;
    assert_eq!(resent.status(), StatusCode::OK);
    let mails = app.mail.wait_for("ada@example.com", 2).await;
    assert_eq!(mails[1].subject, "Bestätigen Sie Ihre E-Mail-Adresse", "sent from an English page");
}

#[tokio::test]
async fn an_account_that_chose_german_gets_its_notices_in_german() {
    let app = spawn_app().await;
    let client = app.signed_in("ada@example.com").await;
    let chosen = app.post_form_with(&client, "/account/language", &[("language", "de")]).await;
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER);

    // From a page the browser asked for in English: the account's choice decides.
    let changed = app
        .post_form_with(
            &client,
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "a brand new password for ada")],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let mail = app
        .mail
        .wait_for_matching("ada@example.com", 1, |mail| mail.subject == "Ihr Passwort wurde geändert")
        .await
        .pop()
        .unwrap();
    assert!(mail.text.contains("Das Passwort Ihres Kontos wurde soeben geändert"), "{}", mail.text);
    assert!(mail.text.contains(&format!("{}/forgot-password", app.base_url)), "the link is there");
    assert!(mail.html.is_some_and(|html| html.contains("Hallo,")), "the HTML part too");
}

#[tokio::test]
async fn a_refusal_is_explained_in_the_pages_language_and_in_english_to_programs() {
    let app = spawn_app().await;
    app.verified_user("ada@example.com").await;
    app.execute("UPDATE users SET disabled_at = 1 WHERE email = 'ada@example.com'").await;
    let german = browser_speaking("de");
    let refused = app.login_with(&german, "ada@example.com", PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let page = refused.text().await.unwrap();
    assert!(page.contains("<h1>Anfrage abgelehnt</h1>") && page.contains("Dieses Konto wurde gesperrt."), "{page}");

    let program = german
        .post(app.url("/api/auth/token"))
        .json(&serde_json::json!({"email": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(program.status(), StatusCode::FORBIDDEN);
    let problem: serde_json::Value = program.json().await.unwrap();
    assert_eq!(problem["detail"], "This account has been disabled. Contact the people who run this site.");
    assert_eq!(problem["title"], "Request refused", "JSON stays as the contract has it");
}
