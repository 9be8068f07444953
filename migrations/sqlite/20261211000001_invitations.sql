-- Invitations: an admin or the operator asks someone to make an account. The mailed
-- link is a selector and a verifier, like email_tokens; accepting it makes the account
-- verified with the invitation's roles (comma-separated). A newer invitation to the
-- same address revokes the older one.
CREATE TABLE invitations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT   NOT NULL,
    roles         TEXT   NOT NULL DEFAULT '',
    selector      TEXT   NOT NULL UNIQUE,
    verifier_hash TEXT   NOT NULL,
    invited_by    BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    accepted_at   BIGINT,
    revoked_at    BIGINT
);
CREATE INDEX invitations_email ON invitations (email);
