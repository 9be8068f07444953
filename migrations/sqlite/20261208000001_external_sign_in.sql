-- Sign-in with another OpenID Connect provider: which account each provider's subject is
-- linked to. A subject belongs to one account; an account may link several providers.
-- Accounts made by a provider have no password until they set one: users.password_hash
-- is then the empty string.
CREATE TABLE external_links (
    provider   TEXT    NOT NULL,   -- the id of an [[oidc_providers]] entry
    subject    TEXT    NOT NULL,   -- the provider's "sub"
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      TEXT    NOT NULL,   -- as the provider said when linked, to show on the account page
    created_at BIGINT  NOT NULL,
    PRIMARY KEY (provider, subject)
);
CREATE UNIQUE INDEX external_links_one_per_provider ON external_links (user_id, provider);
