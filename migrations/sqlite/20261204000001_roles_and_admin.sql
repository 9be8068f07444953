-- Roles: names granted to accounts. `admin` opens /admin; the others mean what the apps
-- behind Gatehouse make of them. Read with the user on every request (one indexed lookup).
CREATE TABLE user_roles (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL,
    granted_at BIGINT  NOT NULL,
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
-- accounts reads a few posting lists instead of every row. Kept in step by triggers.
CREATE VIRTUAL TABLE users_email_search USING fts5 (email, content = 'users', content_rowid = 'id', tokenize = 'trigram');
INSERT INTO users_email_search (users_email_search) VALUES ('rebuild');

CREATE TRIGGER users_email_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_email_search (rowid, email) VALUES (new.id, new.email);
END;

CREATE TRIGGER users_email_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_email_search (users_email_search, rowid, email) VALUES ('delete', old.id, old.email);
END;

CREATE TRIGGER users_email_search_update AFTER UPDATE OF email ON users BEGIN
    INSERT INTO users_email_search (users_email_search, rowid, email) VALUES ('delete', old.id, old.email);
    INSERT INTO users_email_search (rowid, email) VALUES (new.id, new.email);
END;
