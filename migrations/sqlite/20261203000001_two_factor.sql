-- Two-step login. `users.two_factor_since` says whether it is on (read with the user,
-- cached with it); the secret lives apart so it is never loaded where it is not needed.
ALTER TABLE users ADD COLUMN two_factor_since BIGINT;

-- One TOTP secret per account: pending (confirmed_at NULL) until the first right code.
-- `last_step` is the last accepted 30-second step: a code for it or an earlier one is a replay.
CREATE TABLE totp_secrets (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT    NOT NULL,   -- base32, sealed with SECRET_KEY_FILE when one is set
    created_at   BIGINT  NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT  NOT NULL DEFAULT 0
);

-- Recovery codes, kept only as keyed hashes; a used one keeps its row so the count is honest.
CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- The factors a program's sign-in passed, carried into every access token its refresh
-- tokens buy ('pwd' or 'pwd otp').
ALTER TABLE refresh_tokens ADD COLUMN amr TEXT NOT NULL DEFAULT 'pwd';
