//! The account page.

use axum::extract::State;
use serde::Deserialize;

use crate::accounts::sessions::CurrentUser;
use crate::error::Result;
use crate::state::AppState;
use crate::web::account_page::{AccountPage, notice_text};
use crate::web::{Page, Query};

#[derive(Deserialize)]
pub struct NoticeParam {
    #[serde(default)]
    notice: String,
}

pub async fn account(
    State(state): State<AppState>,
    current: CurrentUser,
    page: Page,
    Query(param): Query<NoticeParam>,
) -> Result<AccountPage> {
    AccountPage::load(&state, &current, page, notice_text(&param.notice)).await
}
