-- An operator can disable an account: it cannot log in, and its sessions end at once.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
