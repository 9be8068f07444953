//! A layer only a request that may change something needs, skipped outright for `GET`,
//! `HEAD` and `OPTIONS`: an axum `from_fn` layer boxes the rest of the stack and its
//! future on every request, whatever the method, and `GET /api/me` is the hottest API call.

use std::convert::Infallible;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use tower::util::Either;
use tower::{Layer, Service};

use crate::security::csrf::is_read;

/// Wraps a route in the layer for writes only; reads go straight to the route.
#[derive(Clone)]
pub struct ForWritesLayer<L>(pub L);

impl<S: Clone, L: Layer<S>> Layer<S> for ForWritesLayer<L> {
    type Service = ForWrites<S, L::Service>;

    fn layer(&self, inner: S) -> Self::Service {
        ForWrites { reads: Either::Left(inner.clone()), writes: Either::Right(self.0.layer(inner)) }
    }
}

/// The route as it is, for reads, and the route behind the layer, for the rest. Both are
/// `Either`s, so that both answer with one future type.
#[derive(Clone)]
pub struct ForWrites<S, W> {
    reads: Either<S, W>,
    writes: Either<S, W>,
}

impl<S, W> Service<Request> for ForWrites<S, W>
where
    S: Service<Request, Response = Response, Error = Infallible>,
    W: Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = tower::util::future::EitherResponseFuture<S::Future, W::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Which one a request takes is known only once it comes: both must be ready.
        match (self.reads.poll_ready(cx), self.writes.poll_ready(cx)) {
            (Poll::Ready(Ok(())), Poll::Ready(Ok(()))) => Poll::Ready(Ok(())),
            _ => Poll::Pending,
        }
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if is_read(request.method()) { self.reads.call(request) } else { self.writes.call(request) }
    }
}
