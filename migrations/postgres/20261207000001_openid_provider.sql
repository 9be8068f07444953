-- The OpenID Connect provider: the apps (clients) the operator registers, the codes of
-- the authorization code flow, what each user allowed each app, and RSA keys for ID tokens.

-- A client: its id is public, its secret (confidential clients only) kept as a hash.
-- redirect_uris: the registered URIs, one per line, matched exactly.
CREATE TABLE oauth_clients (
    client_id     TEXT    PRIMARY KEY,
    secret_hash   TEXT,
    name          TEXT    NOT NULL,
    redirect_uris TEXT    NOT NULL,
    skip_consent  BIGINT  NOT NULL DEFAULT 0,   -- 1: trusted first-party app, no consent page
    id_token_alg  TEXT    NOT NULL DEFAULT 'RS256',  -- or 'EdDSA', when the app asked for it
    created_at    BIGINT  NOT NULL
);

-- A code lives 60 seconds and is used once; only its hash is kept. What it grants is
-- copied here so the token endpoint needs nothing else. family: the refresh-token family
-- its redemption started, revoked if the code comes back.
CREATE TABLE oauth_codes (
    code_hash      TEXT    PRIMARY KEY,
    client_id      TEXT    NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    user_id        BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redirect_uri   TEXT    NOT NULL,
    code_challenge TEXT    NOT NULL,
    scope          TEXT    NOT NULL,
    nonce          TEXT,
    auth_time      BIGINT  NOT NULL,
    amr            TEXT    NOT NULL,
    expires_at     BIGINT  NOT NULL,
    used_at        BIGINT,
    family         TEXT
);

-- What a user allowed an app: the scopes, space-separated. Revoking it (the account
-- page's "apps with access") also revokes the app's refresh tokens.
CREATE TABLE oauth_consents (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT    NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
    scope      TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

-- Refresh tokens an app got through the provider: which app, which scopes, and when the
-- user signed in (auth_time in the ID tokens a refresh brings).
ALTER TABLE refresh_tokens ADD COLUMN client_id TEXT;
ALTER TABLE refresh_tokens ADD COLUMN scope TEXT;
ALTER TABLE refresh_tokens ADD COLUMN auth_time BIGINT;

-- RS256 keys for ID tokens (PKCS#8, sealed with SECRET_KEY_FILE when one is set); the
-- newest signs, retired ones stay published a day for the tokens they signed.
CREATE TABLE id_token_keys (
    kid        TEXT    PRIMARY KEY,
    secret     TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    retired_at BIGINT
);
