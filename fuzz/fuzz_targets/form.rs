//! Form bodies as axum's `Form` extractor decodes them (serde_urlencoded) into each of
//! the application's form types: any body decodes or is refused, never a panic.
#![no_main]

use gatehouse::routes::{
    apps, deletion, email, external, login, oidc, passkeys, password, recovery, second_step, sessions, signup, tokens,
    two_factor,
};
use libfuzzer_sys::fuzz_target;

/// Decodes `body` as each type named, keeping nothing: only a panic would fail.
macro_rules! decode_as {
    ($body:expr, $($form:ty),+ $(,)?) => {
        $(let _ = serde_urlencoded::from_bytes::<$form>($body);)+
    };
}

fuzz_target!(|body: &[u8]| {
    decode_as!(
        body,
        signup::RegisterForm,
        signup::EmailForm,
        login::LoginForm,
        second_step::CodeForm,
        recovery::EmailForm,
        recovery::ResetForm,
        password::ChangePasswordForm,
        email::ChangeEmailForm,
        deletion::DeleteForm,
        sessions::RevokeForm,
        tokens::NewTokenForm,
        tokens::RevokeTokenForm,
        two_factor::PasswordForm,
        two_factor::CodeForm,
        two_factor::DisableForm,
        passkeys::RenameForm,
        passkeys::DeleteForm,
        apps::RevokeForm,
        external::StartForm,
        oidc::TokenForm,
        oidc::RevokeForm,
        gatehouse::routes::admin::actions::RoleForm,
    );
});
