//! Server-side relying parties we did not write, in front of an app of their own: Apache's
//! mod_auth_openidc guards a page and signs its visitors in through Gatehouse. (The
//! libraries are in `oidc.rs`, the browser app in `browser.rs`.)

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

use crate::helpers::process::{run, stdout};
use crate::helpers::{TestApp, on_a_drawn_port, spawn_app};
use crate::oidc::{decide, location, user_id};

/// Debian's Apache with mod_auth_openidc, on its own port with its files in a directory
/// of its own; stopped when dropped.
struct Apache {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Apache {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // The foreground process's children, if any, share its process group.
        let _ = Command::new("pkill").arg("-f").arg(self.dir.path().display().to_string()).status();
    }
}

impl Apache {
    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

/// Registers the Apache site as a client (its redirect URI names its port) and starts it
/// guarding `/protected/`, whose page shows the claims mod_auth_openidc passes on.
async fn apache_in_front_of(gatehouse: &TestApp) -> Apache {
    on_a_drawn_port(|port| async move {
        let redirect_uri = format!("http://127.0.0.1:{port}/protected/redirect_uri");
        let bye = format!("http://127.0.0.1:{port}/bye.html");
        let args = ["client", "add", "--name", "Wiki", "--redirect-uri", &redirect_uri];
        let args = [&args[..], &["--post-logout-redirect-uri", &bye, "--json"]].concat();
        let registered: serde_json::Value = serde_json::from_str(&stdout(&run(gatehouse, &args, ""))).unwrap();
        let dir = tempfile::tempdir().unwrap();
        write_site(dir.path(), port, gatehouse, &registered);
        let child = Command::new("apache2")
            .args(["-X", "-f"])
            .arg(dir.path().join("httpd.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("apache2 is installed (tests/run: apt-get install apache2 libapache2-mod-auth-openidc)");
        let mut apache = Apache { child, port, dir };
        for _ in 0..400 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(apache);
            }
            if let Ok(Some(_)) = apache.child.try_wait() {
                // Most likely the port was taken; it says.
                let mut said = String::new();
                std::io::Read::read_to_string(&mut apache.child.stderr.take().unwrap(), &mut said).unwrap();
                eprintln!("apache exited at start: {said}{}", apache.error_log());
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("apache did not listen on {port} within 20 s: {}", apache.error_log());
    })
    .await
}

fn write_site(dir: &Path, port: u16, gatehouse: &TestApp, registered: &serde_json::Value) {
    let modules = "/usr/lib/apache2/modules";
    let htdocs = dir.join("htdocs");
    std::fs::create_dir_all(htdocs.join("protected")).unwrap();
    std::fs::write(
        htdocs.join("protected/index.shtml"),
        "<p>Wiki for <!--#echo var=\"OIDC_CLAIM_email\" --> (<!--#echo var=\"OIDC_CLAIM_sub\" -->)</p>\n",
    )
    .unwrap();
    std::fs::write(htdocs.join("bye.html"), "<p>Signed out of the wiki</p>\n").unwrap();
    // Apache's workers run as nobody: they must read the pages.
    use std::os::unix::fs::PermissionsExt;
    for path in [dir.to_path_buf(), htdocs.clone(), htdocs.join("protected")] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = format!(
        r#"ServerRoot "{dir}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{dir}/httpd.pid"
ErrorLog "{dir}/error.log"
LogLevel warn
User nobody
Group nogroup
DefaultRuntimeDir "{dir}"
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authn_core_module {modules}/mod_authn_core.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule authz_user_module {modules}/mod_authz_user.so
LoadModule include_module {modules}/mod_include.so
LoadModule auth_openidc_module {modules}/mod_auth_openidc.so
DocumentRoot "{dir}/htdocs"

OIDCProviderMetadataURL {issuer}/.well-known/openid-configuration
OIDCClientID {client_id}
OIDCClientSecret {client_secret}
OIDCRedirectURI http://127.0.0.1:{port}/protected/redirect_uri
OIDCCryptoPassphrase a-passphrase-for-this-test-only
OIDCScope "openid email profile"
OIDCPKCEMethod S256
OIDCProviderTokenEndpointAuth client_secret_basic
OIDCPassClaimsAs environment
OIDCDefaultLoggedOutURL http://127.0.0.1:{port}/bye.html

<Location /protected/>
    AuthType openid-connect
    Require valid-user
    Options +Includes
    SetOutputFilter INCLUDES
</Location>
"#,
        dir = dir.display(),
        issuer = gatehouse.base_url,
        client_id = registered["client_id"].as_str().unwrap(),
        client_secret = registered["client_secret"].as_str().unwrap(),
    );
    std::fs::write(dir.join("httpd.conf"), config).unwrap();
}

#[tokio::test]
#[ignore = "needs Apache with mod_auth_openidc: tests/run installs them and runs it"]
async fn mod_auth_openidc_signs_a_visitor_in_to_its_page_and_out_again() {
    let gatehouse = spawn_app().await;
    let browser = gatehouse.signed_in("ada@example.com").await;
    let apache = apache_in_front_of(&gatehouse).await;

    let asked = browser.get(apache.url("/protected/index.shtml")).send().await.unwrap();
    assert_eq!(asked.status(), StatusCode::FOUND, "{}", apache.error_log());
    let authorize = location(&asked);
    let path = authorize.strip_prefix(&gatehouse.base_url).expect("sent to Gatehouse's authorization endpoint");
    let consent = gatehouse.get_with(&browser, path).await.text().await.unwrap();
    let back = location(&decide(&gatehouse, &browser, &consent, "allow").await);
    assert!(back.starts_with(&apache.url("/protected/redirect_uri?")), "{back}");

    // mod_auth_openidc trades the code, checks the ID token against the JWKS, reads userinfo.
    let landed = browser.get(&back).send().await.unwrap();
    assert_eq!(landed.status(), StatusCode::FOUND, "{}", apache.error_log());
    assert_eq!(location(&landed), apache.url("/protected/index.shtml"));
    let page = browser.get(apache.url("/protected/index.shtml")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let sub = user_id(&gatehouse, "ada@example.com").await;
    assert_eq!(page.text().await.unwrap().trim(), format!("<p>Wiki for ada@example.com ({sub})</p>"));

    // Its logout: RP-initiated, to its registered post-logout page.
    let bye = apache.url("/bye.html");
    let logout = browser.get(apache.url(&format!("/protected/redirect_uri?logout={bye}"))).send().await.unwrap();
    let end_session = location(&logout);
    let path = end_session.strip_prefix(&gatehouse.base_url).expect("sent to Gatehouse's end-session endpoint");
    let ended = gatehouse.get_with(&browser, path).await;
    assert!(location(&ended).starts_with(&bye), "{}", location(&ended));
    assert_ne!(gatehouse.get_with(&browser, "/account").await.status(), StatusCode::OK, "signed out of Gatehouse");
}
