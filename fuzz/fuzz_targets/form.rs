//! Form bodies as axum's `Form` extractor decodes them (serde_urlencoded) into each of
//! the application's form types: any body decodes or is refused, never a panic.
#![no_main]

use gatehouse::routes::{account, auth, recovery};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let _ = serde_urlencoded::from_bytes::<auth::RegisterForm>(body);
    let _ = serde_urlencoded::from_bytes::<auth::LoginForm>(body);
    let _ = serde_urlencoded::from_bytes::<auth::EmailForm>(body);
    let _ = serde_urlencoded::from_bytes::<account::ChangePasswordForm>(body);
    let _ = serde_urlencoded::from_bytes::<account::ChangeEmailForm>(body);
    let _ = serde_urlencoded::from_bytes::<account::RevokeForm>(body);
    let _ = serde_urlencoded::from_bytes::<account::DeleteForm>(body);
    let _ = serde_urlencoded::from_bytes::<account::NewTokenForm>(body);
    let _ = serde_urlencoded::from_bytes::<account::RevokeTokenForm>(body);
    let _ = serde_urlencoded::from_bytes::<recovery::ResetForm>(body);
});
