-- Trackable: what the account page shows about recent logins.
ALTER TABLE users ADD COLUMN last_login_at INTEGER;
ALTER TABLE users ADD COLUMN last_login_ip TEXT;
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;

-- Failed logins per address, whether or not an account has it, so that the growing
-- delay tells nobody which addresses are registered. Shared by every instance.
CREATE TABLE login_throttle (
    email           TEXT    PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    notified_at     INTEGER
);

-- The account's own activity log, shown on /account.
CREATE TABLE account_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    ip         TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX account_events_user_id ON account_events (user_id, id);
CREATE INDEX outbox_recipient_created ON outbox (recipient, created_at);
