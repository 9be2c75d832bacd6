//! The company as targets see it, from the users and teams as they are now.

use kehu_domain::error::AppResult;
use kehu_domain::targets::org::Org;

use crate::state::AppState;
use crate::store::accounts as account_store;

pub async fn org(state: &AppState) -> AppResult<Org> {
    let teams = account_store::teams(&state.db).await?;
    Ok(Org::build(&state.users.all(), &teams))
}
