-- "Email me a code": one row per request, written alike for every address. The code is
-- not stored: it is derived from salt with the server's signing key when it is mailed
-- and when it is checked. browser_hash binds it to the browser that asked (a hash of a
-- nonce kept in that browser's session); mailed_at is set only for an account's address,
-- so a code for any other address never works.
CREATE TABLE login_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    email        TEXT   NOT NULL,
    salt         TEXT   NOT NULL,
    browser_hash TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    mailed_at    BIGINT,
    used_at      BIGINT
);
CREATE INDEX login_codes_email ON login_codes (email);
