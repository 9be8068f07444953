-- Mail a visitor can cause, counted per address in one-hour windows. One row per
-- address, taken with a single upsert, so concurrent requests cannot overspend it.
CREATE TABLE mail_budget (
    address TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    sent BIGINT NOT NULL
);
