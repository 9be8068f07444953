//! Emailed links (verify, reset, change email): a link is shown without being used, so a
//! mail scanner that follows it changes nothing, and used once when its form is sent.

use crate::domain::Token;
use crate::error::Result;
use crate::store::tokens::{self, Lookup, Purpose};
use crate::store::{self, Store, Tx};

/// What a link is worth, without using it up. A garbled token is simply unknown.
pub async fn look_up(store: &Store, raw: &str, purpose: Purpose) -> Result<Lookup> {
    let Ok(token) = Token::parse(raw) else { return Ok(Lookup::Unknown) };
    Ok(tokens::lookup(store.pool(), &token, purpose, store::now()).await?)
}

/// Uses the link up within `tx`: of two requests racing with one link, one wins.
pub async fn redeem(tx: &mut Tx, raw: &str, purpose: Purpose) -> Result<Lookup> {
    let Ok(token) = Token::parse(raw) else { return Ok(Lookup::Unknown) };
    Ok(tokens::redeem(tx, &token, purpose, store::now()).await?)
}
