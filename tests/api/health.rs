use reqwest::StatusCode;

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
    let mut locker = app.lock_writes().await;

    assert_eq!(app.get("/healthz").await.status(), StatusCode::SERVICE_UNAVAILABLE);

    sqlx::query("COMMIT").execute(&mut locker).await.unwrap();
    assert_eq!(app.get("/healthz").await.status(), StatusCode::OK);
}
