use reqwest::StatusCode;
use sqlx::Connection;

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_is_ok_while_the_database_takes_writes() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn healthz_is_503_while_the_database_is_locked_and_recovers() {
    let app = spawn_app().await;
    let path = app.state.config().database_url.clone();
    let mut locker = sqlx::SqliteConnection::connect(&path).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut locker).await.unwrap();

    assert_eq!(app.get("/healthz").await.status(), StatusCode::SERVICE_UNAVAILABLE);

    sqlx::query("COMMIT").execute(&mut locker).await.unwrap();
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}
