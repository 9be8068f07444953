//! `Token::parse` (email links and API tokens): never panics; an accepted token
//! encodes back to a form that parses to the same token.
#![no_main]

use gatehouse::domain::Token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let Ok(token) = Token::parse(input) else { return };
    let encoded = token.encode();
    let again = Token::parse(&encoded).expect("an encoded token parses");
    assert_eq!(again.encode(), encoded);
    assert_eq!(again.parts(), token.parts());
    assert!(token.matches(&token.parts().verifier_hash));
});
