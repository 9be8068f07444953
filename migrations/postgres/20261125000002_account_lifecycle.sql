-- Trackable: what the account page shows about recent logins.
ALTER TABLE users ADD COLUMN last_login_at BIGINT;
ALTER TABLE users ADD COLUMN last_login_ip TEXT;
ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;

-- Failed logins per address, whether or not an account has it, so that the growing
-- delay tells nobody which addresses are registered. Shared by every instance.
CREATE TABLE login_throttle (
    email           TEXT   PRIMARY KEY,
    failures        BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    notified_at     BIGINT
);

-- The account's own activity log, shown on /account.
CREATE TABLE account_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL,
    ip         TEXT   NOT NULL DEFAULT '',
    user_agent TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX account_events_user_id ON account_events (user_id, id);
CREATE INDEX outbox_recipient_created ON outbox (recipient, created_at);
