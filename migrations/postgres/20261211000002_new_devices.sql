-- Browsers that have signed in to an account, by a hash of the id in their device
-- cookie: a sign-in from one not listed mails the owner (unless new_device_mail is 0).
CREATE TABLE known_devices (
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_hash   TEXT   NOT NULL,
    first_seen_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_hash)
);
ALTER TABLE users ADD COLUMN new_device_mail BIGINT NOT NULL DEFAULT 1;
-- The session a "was this you?" link ends (AuthSession.sid); NULL for other links.
ALTER TABLE email_tokens ADD COLUMN session_sid TEXT;
