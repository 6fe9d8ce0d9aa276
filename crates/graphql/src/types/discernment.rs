use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::discernment::DiscernmentNote;
use oikos_persistence::discernment;
use uuid::Uuid;

use super::page::{IdCursor, connection, page_request};
use super::person::PersonView;
use crate::context::{authorize_community, db, loaders};
use crate::error::ApiResult;

/// A dated note on where the community sees its mission.
#[derive(SimpleObject)]
#[graphql(name = "DiscernmentNote", complex)]
pub struct DiscernmentNoteView {
    pub id: Uuid,
    pub community_id: Uuid,
    pub noted_on: NaiveDate,
    pub body: String,
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub author_id: Option<Uuid>,
}

impl From<DiscernmentNote> for DiscernmentNoteView {
    fn from(n: DiscernmentNote) -> Self {
        Self {
            id: n.id,
            community_id: n.community_id,
            noted_on: n.noted_on,
            body: n.body,
            created_at: n.created_at,
            author_id: n.author_id,
        }
    }
}

#[ComplexObject]
impl DiscernmentNoteView {
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonView>> {
        let Some(id) = self.author_id else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .persons
            .load_one(id)
            .await?
            .map(|p| PersonView::new(p, false)))
    }
}

/// `Community.discernmentNotes`: the vision's history, in the order it was noted.
pub(crate) async fn community_discernment_notes(
    ctx: &Context<'_>,
    community: Uuid,
    first: Option<i32>,
    after: Option<String>,
) -> ApiResult<Connection<IdCursor, DiscernmentNoteView, EmptyFields, EmptyFields>> {
    authorize_community(ctx, community, CommunityAction::ViewPastoral).await?;
    let had_cursor = after.is_some();
    let request = page_request(first, after)?;
    let page = discernment::list(db(ctx)?, community, request).await?;
    Ok(connection(
        page,
        had_cursor,
        |n| n.id,
        DiscernmentNoteView::from,
    ))
}
