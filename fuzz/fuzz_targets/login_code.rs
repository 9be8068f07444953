//! `LoginCode::parse` (what a person types from a code mail): never panics; an accepted
//! code shows as `ABCD-EFGH`, which parses back to the same code.
#![no_main]

use gatehouse::domain::LoginCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let Some(code) = LoginCode::parse(input) else { return };
    let shown = code.to_string();
    assert_eq!(shown.len(), 9);
    assert_eq!(shown.as_bytes()[4], b'-');
    let again = LoginCode::parse(&shown).expect("a shown code parses");
    assert!(again.matches(&code));
    assert!(LoginCode::parse(&shown.to_lowercase()).is_some_and(|lower| lower.matches(&code)));
});
