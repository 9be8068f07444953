//! The floor for `/api/me`: a bare axum handler returning the same JSON from memory, with
//! no session, database or middleware. Gatehouse's `/api/me` is measured beside it.
//!
//! Usage: cargo run --release --example floor -- 127.0.0.1:18020

use axum::{Json, Router, routing::get};
use serde_json::{Value, json};

async fn me() -> Json<Value> {
    Json(json!({"id": 1, "email": "bench@example.com", "email_verified": true, "created_at": "2026-11-25T00:00:00Z"}))
}

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:18020".into());
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind the floor server");
    println!("listening on http://{}", listener.local_addr().unwrap());
    axum::serve(listener, Router::new().route("/api/me", get(me))).await.unwrap();
}
