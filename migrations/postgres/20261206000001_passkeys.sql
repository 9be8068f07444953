-- Passkeys (WebAuthn credentials). `credential` is webauthn-rs's Passkey as JSON: the
-- public key, the signature counter and the backup flags, rewritten after each use.
-- A credential id belongs to one account only, hence the unique index.
CREATE TABLE passkeys (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id TEXT    NOT NULL UNIQUE,  -- base64url, as the browser sends it
    -- The WebAuthn user handle: one per account, the same for all its passkeys.
    user_handle   TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    credential    TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);
