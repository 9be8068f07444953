//! `[branding]`: the operator's name, logo, colour, links and stylesheet on the pages and
//! in the mail, with nothing rebuilt; and, unset, the Gatehouse look as before.

use std::path::Path;
use std::sync::Arc;

use gatehouse::branding::Branding;
use reqwest::StatusCode;

use crate::helpers::process::gatehouse;
use crate::helpers::{PASSWORD, TestApp, spawn_app, spawn_app_with};

const LOGO: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'><rect width='10' height='10'/></svg>";

/// `gatehouse.toml` in `dir` with a full `[branding]`, beside the files it names.
fn acme_brand(dir: &Path) -> Branding {
    std::fs::write(dir.join("logo.svg"), LOGO).unwrap();
    std::fs::write(dir.join("icon.png"), b"\x89PNG\r\n\x1a\nnot really").unwrap();
    std::fs::write(dir.join("acme.css"), ".card { border-width: 2px; }").unwrap();
    let tables: toml::Table = r##"
        [branding]
        name = "Acme Accounts"
        logo = "logo.svg"
        favicon = "icon.png"
        accent_color = "#7a1fa2"
        support_email = "help@acme.test"
        stylesheet = "acme.css"
        footer_links = [
          { label = "Privacy", url = "https://acme.test/privacy" },
          { label = "Terms", url = "https://acme.test/terms" },
        ]
    "##
    .parse()
    .unwrap();
    Branding::from_toml(&tables, dir, |_| None).unwrap()
}

async fn acme() -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let brand = Arc::new(acme_brand(dir.path()));
    let app = spawn_app_with(|config| config.branding = brand).await;
    (app, dir)
}

#[tokio::test]
async fn the_login_page_carries_the_brands_name_logo_colour_and_links() {
    let (app, _dir) = acme().await;
    let page = app.get("/login").await.text().await.unwrap();
    assert!(page.contains("· Acme Accounts</title>"), "{page}");
    assert!(page.contains(r#"<img src="/assets/brand/logo" alt="" height="24">Acme Accounts</a>"#), "{page}");
    assert!(page.contains(r#"<link rel="stylesheet" href="/assets/brand.css">"#));
    assert!(page.contains(r#"<link rel="icon" href="/assets/brand/favicon" type="image/png">"#));
    assert!(page.contains(r#"<a href="https://acme.test/privacy">Privacy</a>"#));
    assert!(page.contains(r#"<a href="mailto:help@acme.test">help@acme.test</a>"#));
    assert!(!page.contains("Gatehouse"), "no trace of the default name: {page}");

    let css = app.get("/assets/brand.css").await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    let css = css.text().await.unwrap();
    assert!(css.starts_with(":root { --brand: #7a1fa2;"), "{css}");
    assert!(css.ends_with(".card { border-width: 2px; }"), "the operator's stylesheet comes after: {css}");

    let logo = app.get("/assets/brand/logo").await;
    assert_eq!(logo.headers()["content-type"], "image/svg+xml");
    assert!(logo.headers()["content-security-policy"].to_str().unwrap().contains("sandbox"), "no script in an SVG");
    assert_eq!(logo.text().await.unwrap(), LOGO);
    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.headers()["content-type"], "image/png");
}

#[tokio::test]
async fn without_a_brand_the_pages_look_as_before() {
    let app = spawn_app().await;
    let page = app.get("/login").await.text().await.unwrap();
    assert!(page.contains("· Gatehouse</title>"));
    assert!(page.contains("Gatehouse — accounts people can trust."));
    assert!(!page.contains("/assets/brand"), "{page}");
    for path in ["/assets/brand.css", "/assets/brand/logo", "/assets/brand/favicon"] {
        assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.get("/favicon.ico").await.headers()["content-type"], "image/svg+xml");
}

#[tokio::test]
async fn a_branded_mail_names_the_product_and_has_an_html_alternative_in_its_colour() {
    let (app, _dir) = acme().await;
    app.register("ada@example.com", PASSWORD).await;
    let mail = app.mail.wait_for("ada@example.com", 1).await.remove(0);
    assert_eq!(mail.subject, "Acme Accounts: Confirm your email address");
    let from = mail.raw.lines().find(|line| line.starts_with("From: ")).unwrap();
    assert!(from.contains("Acme Accounts") && from.ends_with("<no-reply@localhost>"), "{from}");
    assert!(mail.raw.to_ascii_lowercase().contains("multipart/alternative"));

    let link = mail.link(&format!("{}/verify-email?token=", app.base_url));
    assert!(
        mail.text.replace("\r\n", "\n").trim_end().ends_with("-- \nAcme Accounts\nhelp@acme.test"),
        "{}",
        mail.text
    );
    let html = mail.html.expect("an HTML part");
    assert!(html.contains(&format!("href=\"{link}\"")), "the same link: {html}");
    assert!(html.contains("#7a1fa2"), "in the brand's colour");
    assert!(html.contains(&format!("{}/assets/brand/logo", app.base_url)), "with the logo");
    assert!(html.contains("Acme Accounts"));

    // The link works like the plain one.
    let confirm = app.get(&link[app.base_url.len()..]).await;
    assert_eq!(confirm.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_unbranded_mail_keeps_its_subject_and_sender() {
    let app = spawn_app().await;
    app.register("ada@example.com", PASSWORD).await;
    let mail = app.mail.wait_for("ada@example.com", 1).await.remove(0);
    assert_eq!(mail.subject, "Confirm your email address");
    assert!(mail.raw.contains("From: Gatehouse <no-reply@localhost>"));
    assert!(mail.text.replace("\r\n", "\n").trim_end().ends_with("-- \nGatehouse"), "{}", mail.text);
    assert!(mail.html.is_some_and(|html| html.contains("#2f5bd3")));
}

#[tokio::test]
async fn the_authenticator_app_shows_the_brands_name() {
    let (app, _dir) = acme().await;
    let client = app.signed_in("ada@example.com").await;
    let page = crate::two_factor::setup_page(&app, &client).await;
    let uri = url::Url::parse(&crate::two_factor::otpauth_uri(&page)).unwrap();
    assert_eq!(uri.path(), "/Acme%20Accounts:ada@example.com");
    assert!(uri.query_pairs().any(|(key, value)| key == "issuer" && value == "Acme Accounts"), "{uri}");
}

#[test]
fn a_colour_white_text_cannot_be_read_on_stops_the_start_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("gatehouse.toml"), "[branding]\naccent_color = \"#ffcc00\"\n").unwrap();
    let checked = gatehouse(dir.path()).arg("check-config").output().unwrap();
    assert!(!checked.status.success());
    let stderr = String::from_utf8_lossy(&checked.stderr);
    assert!(stderr.contains("accent_color") && stderr.contains("WCAG AA needs 4.5:1"), "{stderr}");

    let served = gatehouse(dir.path()).arg("serve").env("BRAND_ACCENT_COLOR", "#eeeeee").output().unwrap();
    assert!(!served.status.success(), "the server does not start");
    assert!(String::from_utf8_lossy(&served.stderr).contains("too light"));

    let fixed = gatehouse(dir.path()).arg("check-config").env("BRAND_ACCENT_COLOR", "#7a1fa2").output().unwrap();
    assert!(fixed.status.success(), "the variable wins: {}", String::from_utf8_lossy(&fixed.stderr));
}
