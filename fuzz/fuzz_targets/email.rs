//! `Email::parse`: never panics; what it accepts is one clean, lower-case line that
//! parses again to itself (it goes into mail headers and unique indexes).
#![no_main]

use gatehouse::domain::Email;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let Ok(email) = Email::parse(input) else { return };
    let text = email.as_str();
    assert!(text.len() <= 254, "{text:?}");
    assert!(!text.chars().any(|c| c.is_control() || c.is_whitespace()), "{text:?}");
    assert_eq!(text, text.to_ascii_lowercase());
    assert_eq!(Email::parse(text).expect("accepted once, accepted again").as_str(), text);
    assert!(email.redacted().contains("***@"), "logs never see the whole address");
});
