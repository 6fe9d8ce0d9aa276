use async_graphql::{Context, Object};

use crate::error::ApiResult;
use crate::types::calendar::{CalendarFeedView, feed};

#[derive(Default)]
pub struct CalendarMutation;

#[Object]
impl CalendarMutation {
    /// Makes new calendar feed URLs; every older one stops working (for a URL that leaked).
    async fn reset_calendar_token(&self, ctx: &Context<'_>) -> ApiResult<CalendarFeedView> {
        feed(ctx, true).await
    }
}
