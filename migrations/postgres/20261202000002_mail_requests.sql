-- Requests for mail that must not reveal whether an account exists (a reset link, a new
-- verification link): written the same way for every address, answered at once, and
-- worked off by a background worker that leases rows like the outbox.
CREATE TABLE mail_requests (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    locked_until BIGINT
);
