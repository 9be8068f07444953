-- Personal API tokens: shown once, kept only as a hash of the verifier.
CREATE TABLE api_tokens (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT    NOT NULL,
    scope         TEXT    NOT NULL,            -- 'read' or 'read-write'
    selector      TEXT    NOT NULL UNIQUE,
    verifier_hash TEXT    NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT,
    last_used_at  BIGINT
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

-- Refresh tokens rotate on every use; a family is the chain from one password login.
CREATE TABLE refresh_tokens (
    selector      TEXT    PRIMARY KEY,
    verifier_hash TEXT    NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family        TEXT    NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user_id ON refresh_tokens (user_id);

-- Ed25519 keys for access tokens; retired keys stay published until their tokens expire.
CREATE TABLE jwt_keys (
    kid        TEXT    PRIMARY KEY,
    secret     TEXT    NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT
);
