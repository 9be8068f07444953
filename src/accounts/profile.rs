//! A person's display name and username, which apps read as the `name` and
//! `preferred_username` claims.

use crate::domain::{DisplayName, Username};
use crate::store::{self, Store, users};

/// Why a profile was not saved.
#[derive(Debug, PartialEq, Eq)]
pub struct UsernameTaken;

/// Saves the name and username (`None` clears either). A username another account has
/// is refused; the person sees that only for a name they chose, which is no enumeration
/// of email addresses.
pub async fn save(
    store: &Store,
    user_id: i64,
    name: Option<&DisplayName>,
    username: Option<&Username>,
) -> Result<Result<(), UsernameTaken>, sqlx::Error> {
    let saved =
        users::set_profile(store.pool(), user_id, name.map(DisplayName::as_str), username.map(Username::as_str)).await;
    match saved {
        Ok(()) => {
            tracing::info!(event = "profile_changed", user_id, "name or username changed");
            Ok(Ok(()))
        }
        Err(error) if store::is_unique_violation(&error) => Ok(Err(UsernameTaken)),
        Err(error) => Err(error),
    }
}
