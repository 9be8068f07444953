-- What the operator sets per client besides its redirect URIs:
-- post_logout_redirect_uris: where RP-initiated logout may also return (one per line);
-- grant_types: what the client may use, space-separated: authorization_code (with its
--   refresh tokens) and/or client_credentials;
-- scopes: for client_credentials, the scopes the client may ask for itself (space-separated).
ALTER TABLE oauth_clients ADD COLUMN post_logout_redirect_uris TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_clients ADD COLUMN grant_types TEXT NOT NULL DEFAULT 'authorization_code';
ALTER TABLE oauth_clients ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
