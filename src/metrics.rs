//! Prometheus metrics, served on `METRICS_ADDR` (off by default) apart from the public site.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::state::AppState;
use crate::store;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder once; until then every metric is a no-op.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Suffix("_seconds".into()),
                    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0],
                )
                .expect("valid buckets")
                .install_recorder()
                .expect("no other metrics recorder is installed")
        })
        .clone()
}

/// Counts every request by route, method and status, and times it.
pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    counter!("gatehouse_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    histogram!("gatehouse_http_request_duration_seconds", "route" => route).record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`: refreshes the gauges that are read from the database, then renders all.
pub async fn render(State(state): State<AppState>) -> String {
    let pool = state.store().pool();
    gauge!("gatehouse_db_pool_connections").set(f64::from(pool.size()));
    gauge!("gatehouse_db_pool_idle_connections").set(pool.num_idle() as f64);
    if let Ok((depth, oldest)) = store::outbox::depth(pool).await {
        gauge!("gatehouse_outbox_depth").set(depth as f64);
        let age = oldest.map_or(0, |created| store::now() - created);
        gauge!("gatehouse_outbox_oldest_age_seconds").set(age as f64);
    }
    install().render()
}

pub fn login(result: &'static str) {
    counter!("gatehouse_logins_total", "result" => result).increment(1);
}

pub fn signup() {
    counter!("gatehouse_signups_total").increment(1);
}

pub fn verification() {
    counter!("gatehouse_email_verifications_total").increment(1);
}

pub fn mail(result: &'static str) {
    counter!("gatehouse_mail_total", "result" => result).increment(1);
}

pub fn argon2_queue_wait(waited: std::time::Duration) {
    histogram!("gatehouse_argon2_queue_wait_seconds").record(waited.as_secs_f64());
}

/// A hash not computed because the request that asked for it had ended.
pub fn argon2_abandoned() {
    counter!("gatehouse_argon2_abandoned_total").increment(1);
}
