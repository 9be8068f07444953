-- Roles: names granted to accounts. `admin` opens /admin; the others mean what the apps
-- behind Gatehouse make of them. Read with the user on every request (one indexed lookup).
CREATE TABLE user_roles (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT   NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- The security log names who acted when it was not the account's owner: `acted_by` is
-- 'admin' (whose id is `actor_id`; no foreign key, the record outlives the admin's account)
-- or 'operator' (a command at the server); NULL is the owner. `detail` names what was
-- acted on: a role, a deleted account's address.
ALTER TABLE account_events ADD COLUMN acted_by TEXT;
ALTER TABLE account_events ADD COLUMN actor_id BIGINT;
ALTER TABLE account_events ADD COLUMN detail TEXT;
CREATE INDEX account_events_kind ON account_events (kind, id);

-- Finding a user by any part of their address: a trigram index, so a search on a million
-- accounts reads a few posting lists instead of every row. pg_trgm is a trusted extension
-- (PostgreSQL 13+): the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX users_email_trgm ON users USING gin (email gin_trgm_ops);
