//! Times argon2id verification with the production parameters (m=19456 KiB, t=2, p=1),
//! one at a time, and prints the login ceiling: cores ÷ the time of one verify.
//!
//! Usage: cargo run --release --example argon2

use std::time::Instant;

use gatehouse::security::hasher::{PasswordHasher, production_params};
use secrecy::SecretString;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let hasher = PasswordHasher::start(production_params())?;
    let phc = hasher.hash("bench password for argon2").await?;
    let password = SecretString::from("bench password for argon2");
    for _ in 0..5 {
        hasher.verify(&password, Some(&phc)).await?; // warm up
    }
    let rounds = 60;
    let started = Instant::now();
    for _ in 0..rounds {
        hasher.verify(&password, Some(&phc)).await?;
    }
    let verify_ms = started.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("verify_ms={verify_ms:.2} cores={cores} ceiling_per_s={:.0}", cores as f64 * 1000.0 / verify_ms);
    Ok(())
}
