//! Black-box tests: the real server on a loopback port, a real SQLite file, a real SMTP
//! server, and links taken from the mail that was actually sent.

mod helpers;

mod account;
mod admin;
mod admin_area;
mod admission;
mod branding;
mod browser;
mod cancellation;
mod cli;
mod connections;
mod email_codes;
mod external;
mod faults;
mod forward_auth;
mod github;
mod guidance;
mod health;
mod languages;
mod load;
mod login;
mod mail;
mod new_devices;
mod oidc;
mod operations;
mod passkeys;
mod programs;
mod proxies;
mod recovery;
mod register;
mod relying_parties;
mod scale;
mod security;
mod sessions;
mod throttle;
mod two_factor;
mod verify;
