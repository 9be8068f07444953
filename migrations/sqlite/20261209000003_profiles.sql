-- What a person tells apps about themselves (the OpenID Connect `name` and
-- `preferred_username` claims): a display name, and an optional username kept in lower
-- case and unique among accounts.
ALTER TABLE users ADD COLUMN display_name TEXT;
ALTER TABLE users ADD COLUMN username TEXT;
CREATE UNIQUE INDEX users_username ON users (username);
