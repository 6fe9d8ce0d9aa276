//! Calendar feeds: secret URLs a member subscribes to from the calendar app they already
//! use. One token per person opens their own feed and the feed of any community they may
//! see; resetting it makes every older URL stop working.

use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::{DateTime, Utc};
use oikos_persistence::calendar;
use uuid::Uuid;

use super::community::CommunityView;
use crate::auth::tokens::hash_token;
use crate::context::{PublicUrl, actor, app, loaders, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::query::Me;

/// Your calendar feed URLs. Keep them secret: anyone with one sees the gatherings in it.
#[derive(SimpleObject)]
#[graphql(name = "CalendarFeed")]
pub struct CalendarFeedView {
    /// The gatherings of every community you belong to.
    pub my_url: String,
    /// One feed per community you belong to.
    pub communities: Vec<CommunityCalendarView>,
}

#[derive(SimpleObject)]
#[graphql(name = "CommunityCalendar", complex)]
pub struct CommunityCalendarView {
    pub community_id: Uuid,
    pub url: String,
}

#[ComplexObject]
impl CommunityCalendarView {
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<CommunityView> {
        visible_community(ctx, self.community_id).await?;
        loaders(ctx)?
            .communities
            .load_one(self.community_id)
            .await?
            .map(CommunityView::from)
            .ok_or(ApiError::NotFound("community"))
    }
}

#[ComplexObject]
impl Me {
    /// Your calendar feed URLs; the secret in them is made on first use.
    async fn calendar_feed(&self, ctx: &Context<'_>) -> ApiResult<CalendarFeedView> {
        feed(ctx, false).await
    }
}

/// The actor's feed URLs, with a token made on first use or made anew on `reset`.
pub async fn feed(ctx: &Context<'_>, reset: bool) -> ApiResult<CalendarFeedView> {
    let me = actor(ctx)?;
    let token = feed_token(ctx, me.person_id, reset).await?;
    let base = ctx
        .data_opt::<PublicUrl>()
        .map(|u| u.0.trim_end_matches('/'))
        .unwrap_or_default();
    let memberships =
        oikos_persistence::memberships::current_of_person(&app(ctx)?.db, me.person_id).await?;
    Ok(CalendarFeedView {
        my_url: format!("{base}/calendar/{token}/me.ics"),
        communities: memberships
            .into_iter()
            .map(|m| CommunityCalendarView {
                community_id: m.community_id,
                url: format!("{base}/calendar/{token}/community/{}.ics", m.community_id),
            })
            .collect(),
    })
}

async fn feed_token(ctx: &Context<'_>, person: Uuid, reset: bool) -> ApiResult<String> {
    let app = app(ctx)?;
    let existing = calendar::of_person(&app.db, person).await?;
    if let Some(current) = existing.as_ref().filter(|_| !reset) {
        let token = app.tokens.calendar_token(person, current.issued_at);
        // A token issued under another signing secret no longer matches: issue anew.
        if hash_token(&token) == current.token_hash {
            return Ok(token);
        }
    }
    let issued_at = issue_time(existing.as_ref().map(|t| t.issued_at));
    let hash = hash_token(&app.tokens.calendar_token(person, issued_at));
    let stored = match existing {
        None => calendar::create_if_missing(&app.db, person, hash, issued_at).await?,
        Some(_) => calendar::replace(&app.db, person, hash, issued_at).await?,
    };
    Ok(app.tokens.calendar_token(person, stored.issued_at))
}

/// Now, to the microsecond both databases keep exactly, and always after the previous
/// issue, so that a reset always changes the token.
fn issue_time(previous: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let now = Utc::now().timestamp_micros();
    let micros = previous.map_or(now, |p| now.max(p.timestamp_micros().saturating_add(1)));
    DateTime::from_timestamp_micros(micros).unwrap_or_else(Utc::now)
}
