use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gatehouse::store::{PoolSettings, Store};
use gatehouse::{Application, Config};
use tracing_subscriber::EnvFilter;

/// Password accounts people can trust: sign-up, email verification, sessions and a JSON API.
#[derive(Parser)]
#[command(name = "gatehouse", version, about, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command, `gatehouse` serves with these settings.
    #[command(flatten)]
    serve: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve(Box<Config>),
    /// Apply database migrations and exit (e.g. once before a rolling deploy).
    Migrate {
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://gatehouse.db")]
        database_url: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    // Logs go to stderr: stdout carries only the `listening on` line that scripts read.
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or_else(|| Command::Serve(Box::new(cli.serve)));
    let result = match command {
        Command::Serve(config) => serve(*config).await,
        Command::Migrate { database_url } => migrate(&database_url).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    // Tests and scripts read this line to find a port picked with GATEHOUSE_ADDR=...:0.
    println!("listening on http://{}", app.local_addr());
    tracing::info!(addr = %app.local_addr(), "gatehouse started");
    app.run_until(shutdown_signal()).await?;
    tracing::info!("gatehouse stopped");
    Ok(())
}

async fn migrate(database_url: &str) -> anyhow::Result<()> {
    let store = Store::connect(database_url, PoolSettings::default()).await?;
    store.migrate().await?;
    println!("migrations applied");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = interrupt => {}
        _ = terminate.recv() => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
