//! The command line: `serve` (the default) and the operator's commands. Settings come
//! from flags, the environment, `.env` and `gatehouse.toml`, in that order.

mod clients;
mod users;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::config::{
    Config, DEFAULT_ADDR, DEFAULT_DATABASE_URL, FileSettings, check_settings, parse_addr, parse_base_url,
    parse_database_url, parse_min_length,
};
use crate::domain::PasswordPolicy;
use crate::domain::password::RECOMMENDED_MIN_LENGTH;
use crate::server::Application;
use crate::store::{self, PoolSettings, Store};

/// Password accounts people can trust: sign-up, email verification, sessions and a JSON API.
///
/// Settings come from the environment, then a `.env` file, then `gatehouse.toml` (lower-case
/// keys like `database_url = "..."`), then the defaults; `gatehouse check-config` checks them.
#[derive(Parser)]
#[command(name = "gatehouse", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve(Box<Config>),
    /// Apply database migrations and exit (e.g. once before a rolling deploy).
    Migrate(Database),
    /// Check every setting and name each wrong one; exit 1 if any is.
    CheckConfig,
    /// Act on accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Look at and retry mail waiting to be sent.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Manage the keys that sign access tokens and ID tokens.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Register the apps that sign their users in through Gatehouse (OpenID Connect).
    #[command(subcommand)]
    Client(ClientCommand),
}

#[derive(Subcommand)]
enum ClientCommand {
    /// Register an app; prints its client_id and, unless --public, its secret (shown once).
    Add {
        /// The app's name, shown to users on the consent page and their account page.
        #[arg(long)]
        name: String,
        /// Where the app receives the code; matched exactly. Repeat for several.
        #[arg(long = "redirect-uri")]
        redirect_uris: Vec<String>,
        /// Where the app's logout may also return (its home page, say); matched exactly.
        /// Repeat for several.
        #[arg(long = "post-logout-redirect-uri")]
        post_logout_redirect_uris: Vec<String>,
        /// A public client (a single-page or mobile app): no secret, PKCE only.
        #[arg(long)]
        public: bool,
        /// A trusted first-party app: no consent page.
        #[arg(long)]
        skip_consent: bool,
        /// How its ID tokens are signed.
        #[arg(long, value_enum, default_value = "RS256")]
        id_token_alg: crate::oidc::clients::IdTokenAlg,
        /// A grant it may use (default authorization_code). Repeat for several.
        #[arg(long = "grant", value_enum)]
        grants: Vec<crate::oidc::clients::GrantType>,
        /// With client_credentials: a scope the service may ask for itself. Repeat for several.
        #[arg(long = "scope")]
        scopes: Vec<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Database,
    },
    /// Change a registered app; each list given replaces the registered one.
    Update {
        /// Random base64url, so it may start with '-': taken as the id, not as a flag.
        #[arg(allow_hyphen_values = true)]
        client_id: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long = "redirect-uri")]
        redirect_uris: Option<Vec<String>>,
        /// `""` removes them all.
        #[arg(long = "post-logout-redirect-uri")]
        post_logout_redirect_uris: Option<Vec<String>>,
        #[arg(long)]
        skip_consent: Option<bool>,
        #[arg(long, value_enum)]
        id_token_alg: Option<crate::oidc::clients::IdTokenAlg>,
        #[arg(long = "grant", value_enum)]
        grants: Option<Vec<crate::oidc::clients::GrantType>>,
        #[arg(long = "scope")]
        scopes: Option<Vec<String>>,
        #[command(flatten)]
        db: Database,
    },
    /// The registered apps.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Database,
    },
    /// Remove an app: its codes, consents and refresh tokens stop working.
    Remove {
        /// Random base64url, so it may start with '-': taken as the id, not as a flag.
        #[arg(allow_hyphen_values = true)]
        client_id: String,
        #[command(flatten)]
        db: Database,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Sign new access tokens and ID tokens with fresh keys; the old keys stay published until their tokens expire.
    Rotate {
        /// The file that seals the keys, as for `serve`.
        #[arg(long, env = "SECRET_KEY_FILE")]
        secret_key_file: Option<std::path::PathBuf>,
        #[command(flatten)]
        db: Database,
    },
}

#[derive(Args)]
struct Database {
    /// `sqlite://PATH` or `postgres://...`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, value_parser = parse_database_url)]
    database_url: String,
}

/// Where the site is, for the links in mail that a command sends.
#[derive(Args)]
struct Site {
    #[arg(long, env = "BASE_URL", value_parser = parse_base_url)]
    base_url: Option<url::Url>,
    #[arg(long = "addr", env = "GATEHOUSE_ADDR", default_value = DEFAULT_ADDR, value_parser = parse_addr)]
    addr: std::net::SocketAddr,
}

impl Site {
    /// The server's `BASE_URL`, found the way the server finds it.
    fn links(&self) -> crate::mail::messages::Links {
        let config = Config { base_url: self.base_url.clone(), ..Config::with_database(DEFAULT_DATABASE_URL) };
        crate::mail::messages::Links::new(config.base_url_for(self.addr))
    }
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read as one line from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// Mark the address as already confirmed.
        #[arg(long)]
        verified: bool,
        #[arg(long, env = "PASSWORD_MIN_LENGTH", default_value_t = RECOMMENDED_MIN_LENGTH, value_parser = parse_min_length)]
        password_min_length: usize,
        #[command(flatten)]
        db: Database,
    },
    /// List accounts.
    List {
        /// Only accounts whose address is not confirmed.
        #[arg(long)]
        unverified: bool,
        /// Print JSON alone on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Database,
    },
    /// Show one account.
    Show {
        email: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Database,
    },
    /// Mark an account's address as confirmed.
    Verify {
        email: String,
        #[command(flatten)]
        db: Database,
    },
    /// Stop an account from logging in, and end its sessions now.
    Disable {
        email: String,
        #[command(flatten)]
        db: Database,
    },
    /// Let a disabled account log in again.
    Enable {
        email: String,
        #[command(flatten)]
        db: Database,
    },
    /// Delete an account with its tokens, sessions and activity.
    Delete {
        email: String,
        #[command(flatten)]
        db: Database,
    },
    /// List an account's active sessions.
    Sessions {
        email: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Database,
    },
    /// Turn two-step login off for a user who lost their phone and recovery codes, and
    /// mail them a notice.
    #[command(name = "reset-2fa")]
    ResetTwoFactor {
        email: String,
        #[command(flatten)]
        site: Site,
        #[command(flatten)]
        db: Database,
    },
    /// Invite someone to make an account: a mailed single-use link (sent by a running
    /// server) to set a password or a passkey; the address is verified, the roles granted.
    Invite {
        email: String,
        /// A role the account gets. Repeat for several.
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Days the link stays valid.
        #[arg(long, env = "INVITATION_VALID_DAYS", default_value_t = crate::config::DEFAULT_INVITATION_VALID_DAYS, value_parser = clap::value_parser!(u32).range(1..=90))]
        invitation_valid_days: u32,
        #[command(flatten)]
        site: Site,
        #[command(flatten)]
        db: Database,
    },
    /// Give an account a role; `admin` opens the admin area at /admin.
    Grant {
        email: String,
        /// 1 to 32 of a-z, 0-9, _ and -.
        role: String,
        #[command(flatten)]
        db: Database,
    },
    /// Take a role away from an account.
    Revoke {
        email: String,
        role: String,
        #[command(flatten)]
        db: Database,
    },
    /// End every session of an account (and its refresh tokens).
    RevokeSessions {
        email: String,
        /// Revoke its personal API tokens as well.
        #[arg(long)]
        api_tokens: bool,
        #[command(flatten)]
        db: Database,
    },
}

#[derive(Subcommand)]
enum OutboxCommand {
    /// List mail not sent yet, with its last error.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: Database,
    },
    /// Send waiting mail now instead of at its next retry.
    Retry {
        #[command(flatten)]
        db: Database,
    },
}

/// Runs the command the arguments name, and says how it went.
pub fn main() -> ExitCode {
    let files = match FileSettings::load() {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let command = match parse(std::env::args_os().collect(), &files) {
        Ok(command) => command,
        Err(error) if !error.use_stderr() => error.exit(), // --help, --version
        Err(error) => {
            // One line that names the setting; `--help` has the rest.
            let message = error.render().to_string();
            eprintln!("{}", message.lines().next().unwrap_or("error: invalid arguments"));
            return ExitCode::from(2);
        }
    };
    // Commands print their own results; the server narrates what it does.
    let default_filter = if matches!(command, Command::Serve(_)) { "info,sqlx=warn" } else { "warn" };
    // check-config reports a wrong LOG_FORMAT with the other settings instead of stopping.
    if let Err(error) = init_logging(default_filter, &files)
        && !matches!(command, Command::CheckConfig)
    {
        eprintln!("error: {error:#}");
        return ExitCode::FAILURE;
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(command, &files)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `gatehouse` and `gatehouse --addr ...` mean `gatehouse serve ...`.
fn with_default_command(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let first = args.get(1).and_then(|arg| arg.to_str()).map(str::to_owned);
    let serves = match first.as_deref() {
        None => true,
        Some("-h" | "--help" | "-V" | "--version") => false,
        Some(flag) => flag.starts_with('-'),
    };
    if serves {
        args.insert(1.min(args.len()), "serve".into());
    }
    args
}

fn parse(args: Vec<std::ffi::OsString>, files: &FileSettings) -> Result<Command, clap::Error> {
    let matches = with_file_defaults(Cli::command(), files).try_get_matches_from(with_default_command(args))?;
    Ok(Cli::from_arg_matches(&matches)?.command)
}

/// The setting files' values become the flags' defaults, so the environment and the
/// flags still win over them.
fn with_file_defaults(command: clap::Command, files: &FileSettings) -> clap::Command {
    let command = command.mut_args(|arg| {
        let from_files = arg.get_env().and_then(|name| files.from_files(name.to_str()?)).map(str::to_owned);
        match from_files {
            Some(value) => arg.default_value(value),
            None => arg,
        }
    });
    let names: Vec<String> = command.get_subcommands().map(|sub| sub.get_name().to_owned()).collect();
    names.into_iter().fold(command, |command, name| command.mut_subcommand(name, |sub| with_file_defaults(sub, files)))
}

/// `LOG_FORMAT=json` gives one JSON object per line; logs go to stderr either way, since
/// stdout carries only what scripts read (`listening on ...`, `--json` output).
fn init_logging(default_filter: &str, files: &FileSettings) -> anyhow::Result<()> {
    let filter = files.get("RUST_LOG").and_then(|filter| EnvFilter::try_new(filter).ok());
    let filter = filter.unwrap_or_else(|| default_filter.into());
    // Colours only for a person at a terminal, never in a file or a pipe.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match files.get("LOG_FORMAT").as_deref() {
        None | Some("text") => builder.init(),
        Some("json") => builder.json().flatten_event(true).with_current_span(false).with_span_list(true).init(),
        Some(other) => anyhow::bail!("LOG_FORMAT must be text or json, not {other:?}"),
    }
    Ok(())
}

async fn run(command: Command, files: &FileSettings) -> anyhow::Result<()> {
    match command {
        Command::Serve(mut config) => {
            config.access_rules = files.access_rules().map(Arc::new).map_err(|problems| {
                anyhow::anyhow!("the access rules in gatehouse.toml are wrong:\n{}", problems.join("\n"))
            })?;
            config.sign_in_providers = files.sign_in_providers().map(Arc::new).map_err(|problems| {
                anyhow::anyhow!("the sign-in providers in gatehouse.toml are wrong:\n{}", problems.join("\n"))
            })?;
            config.branding = files.branding().map(Arc::new).map_err(|problems| {
                anyhow::anyhow!("the branding in gatehouse.toml is wrong:\n{}", problems.join("\n"))
            })?;
            serve(*config).await
        }
        Command::Migrate(db) => {
            open(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::CheckConfig => check_config(files).await,
        Command::User(command) => user(command).await,
        Command::Outbox(OutboxCommand::List { json, db }) => {
            users::list_outbox(&open_existing(&db, json).await?, json).await
        }
        Command::Outbox(OutboxCommand::Retry { db }) => users::retry_outbox(&open_existing(&db, false).await?).await,
        Command::Keys(KeysCommand::Rotate { secret_key_file, db }) => {
            let vault = crate::security::vault::Vault::from_file(secret_key_file.as_deref())?;
            let store = open_existing(&db, false).await?;
            let kid = crate::security::rsa_keys::rotate(&store, &vault).await?;
            println!("access tokens and ID tokens are now signed with key {kid}");
            let kid = crate::security::jwt::rotate(&store, &vault).await?;
            println!("EdDSA ID tokens are now signed with key {kid}");
            Ok(())
        }
        Command::Client(command) => client(command).await,
    }
}

async fn client(command: ClientCommand) -> anyhow::Result<()> {
    use ClientCommand as C;
    match command {
        C::Add {
            name,
            redirect_uris,
            post_logout_redirect_uris,
            public,
            skip_consent,
            id_token_alg,
            grants,
            scopes,
            json,
            db,
        } => {
            let store = open_existing(&db, json).await?;
            let new = crate::oidc::clients::NewClient {
                name: &name,
                redirect_uris: &redirect_uris,
                post_logout_redirect_uris: &post_logout_redirect_uris,
                public,
                skip_consent,
                id_token_alg,
                grants: &grants,
                scopes: &scopes,
            };
            clients::add_client(&store, new, json).await
        }
        C::Update {
            client_id,
            name,
            redirect_uris,
            post_logout_redirect_uris,
            skip_consent,
            id_token_alg,
            grants,
            scopes,
            db,
        } => {
            let changes = crate::oidc::clients::ClientChanges {
                name,
                redirect_uris,
                post_logout_redirect_uris,
                skip_consent,
                id_token_alg,
                grants,
                scopes,
            };
            clients::update_client(&open_existing(&db, false).await?, &client_id, changes).await
        }
        C::List { json, db } => clients::list_clients(&open_existing(&db, json).await?, json).await,
        C::Remove { client_id, db } => clients::remove_client(&open_existing(&db, false).await?, &client_id).await,
    }
}

async fn user(command: UserCommand) -> anyhow::Result<()> {
    use UserCommand as U;
    match command {
        U::Create { email, verified, password_min_length, db } => {
            let policy = PasswordPolicy { min_length: password_min_length };
            users::create_user(&open_existing(&db, false).await?, &email, verified, policy).await
        }
        U::List { unverified, json, db } => users::list_users(&open_existing(&db, json).await?, unverified, json).await,
        U::Show { email, json, db } => users::show_user(&open_existing(&db, json).await?, &email, json).await,
        U::Verify { email, db } => users::verify_user(&open_existing(&db, false).await?, &email).await,
        U::Disable { email, db } => users::set_disabled(&open_existing(&db, false).await?, &email, true).await,
        U::Enable { email, db } => users::set_disabled(&open_existing(&db, false).await?, &email, false).await,
        U::Delete { email, db } => users::delete_user(&open_existing(&db, false).await?, &email).await,
        U::Sessions { email, json, db } => users::list_sessions(&open_existing(&db, json).await?, &email, json).await,
        U::ResetTwoFactor { email, site, db } => {
            users::reset_two_factor(&open_existing(&db, false).await?, &email, &site.links()).await
        }
        U::Invite { email, roles, invitation_valid_days, site, db } => {
            let store = open_existing(&db, false).await?;
            users::invite(&store, &email, &roles, invitation_valid_days, &site.links()).await
        }
        U::Grant { email, role, db } => users::grant_role(&open_existing(&db, false).await?, &email, &role).await,
        U::Revoke { email, role, db } => users::revoke_role(&open_existing(&db, false).await?, &email, &role).await,
        U::RevokeSessions { email, api_tokens, db } => {
            users::revoke_sessions(&open_existing(&db, false).await?, &email, api_tokens).await
        }
    }
}

/// Opens the database and brings its schema up to date (migrations only add); a SQLite
/// file is created if needed, as the server does.
async fn open(db: &Database) -> anyhow::Result<Store> {
    let store = Store::connect(&db.database_url, PoolSettings::default()).await?;
    store.migrate().await?;
    Ok(store)
}

/// Opens the database an operator's command acts on, saying which one first (on stderr
/// when stdout is for JSON alone). A SQLite file that is not there is an error: a command
/// run in the wrong directory must not create an empty database and report no users.
async fn open_existing(db: &Database, json: bool) -> anyhow::Result<Store> {
    if let Some(file) = store::sqlite_file(&db.database_url)
        && !file.exists()
    {
        anyhow::bail!(
            "no database at {}: run this where the server keeps gatehouse.db, or set DATABASE_URL",
            file.display()
        );
    }
    let line = format!("database: {}", store::describe_url(&db.database_url));
    if json {
        eprintln!("{line}")
    } else {
        println!("{line}")
    }
    open(db).await
}

async fn check_config(files: &FileSettings) -> anyhow::Result<()> {
    let mut problems = check_settings(files);
    // The checks `serve` makes once every setting parses.
    if problems.is_empty()
        && let Ok(Command::Serve(config)) = parse(vec!["gatehouse".into(), "serve".into()], files)
        && let Err(error) = crate::server::check_against_base_url(&config, &config.base_url_for(config.addr))
    {
        problems.push(format!("{error:#}"));
    }
    problems.extend(files.access_rules().err().unwrap_or_default());
    problems.extend(files.sign_in_providers().err().unwrap_or_default());
    problems.extend(files.branding().err().unwrap_or_default());
    let url = files.get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
    match store::sqlite_file(&url) {
        // Connecting would create the file; the server will, on start.
        Some(file) if !file.exists() => println!("{} does not exist yet: serve or migrate creates it", file.display()),
        _ if parse_database_url(&url).is_err() => {}
        _ => {
            if let Err(error) = Store::connect(&url, PoolSettings::default()).await {
                problems.push(format!("{error:#}"));
            }
        }
    }
    if problems.is_empty() {
        println!("configuration ok");
        return Ok(());
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    anyhow::bail!("{} setting(s) are wrong", problems.len())
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    // Listened for before the address is printed: a SIGTERM sent as soon as a script reads
    // it is a clean stop, not the default action of ending the process at once.
    let shutdown = shutdown_signal()?;
    // Tests and scripts read these lines to find ports picked with `:0`.
    let listening = format!("http://{}", app.local_addr());
    println!("listening on {listening}");
    // The address in mails, with its own cookies: the one to open, when it differs.
    let open = app.base_url().as_str().trim_end_matches('/');
    if open != listening {
        println!("open {open} in a browser (BASE_URL: the address mails link to)");
    }
    if let Some(metrics) = app.metrics_addr() {
        println!("metrics on http://{metrics}/metrics");
    }
    tracing::info!(addr = %app.local_addr(), "gatehouse started");
    app.run_until(shutdown).await?;
    tracing::info!("gatehouse stopped");
    Ok(())
}

/// Completes on SIGINT or SIGTERM; both are listened for from the moment this returns.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use anyhow::Context;
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}
