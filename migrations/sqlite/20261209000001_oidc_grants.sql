-- What an app was given at one code exchange: a grant. Its access tokens name it (claim
-- `grant`) and its refresh tokens are its family (refresh_tokens.family = id), so
-- revoking the grant (a replayed code, /oauth2/revoke, logout, the user taking the app's
-- access away) stops its access tokens at once, not 15 minutes later.
-- sid: the browser session the user signed in with (the ID tokens' `sid`), NULL for a
-- grant with no user (client credentials).
CREATE TABLE oauth_grants (
    id         TEXT    PRIMARY KEY,
    client_id  TEXT    NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    sid        TEXT,
    created_at BIGINT  NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX oauth_grants_by_user ON oauth_grants (user_id);

-- The session a code was issued in, for its grant.
ALTER TABLE oauth_codes ADD COLUMN sid TEXT;
