use async_graphql::{Context, InputObject, Object};
use chrono::NaiveDate;
use oikos_domain::access::CommunityAction;
use oikos_persistence::discernment::{self as store, NewDiscernmentNote};
use uuid::Uuid;

use super::today;
use crate::context::{actor, authorize_community, db};
use crate::error::ApiResult;
use crate::types::discernment::DiscernmentNoteView;

#[derive(Default)]
pub struct DiscernmentMutation;

#[derive(InputObject)]
pub struct CreateDiscernmentNoteInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    /// Today unless given.
    pub noted_on: Option<NaiveDate>,
    pub body: String,
}

#[Object]
impl DiscernmentMutation {
    /// Notes where the community sees its mission (leaders).
    async fn create_discernment_note(
        &self,
        ctx: &Context<'_>,
        input: CreateDiscernmentNoteInput,
    ) -> ApiResult<DiscernmentNoteView> {
        let me = actor(ctx)?;
        authorize_community(ctx, input.community_id, CommunityAction::Manage).await?;
        let noted_on = input.noted_on.unwrap_or_else(today);
        let body = oikos_domain::discernment::note(noted_on, today(), &input.body)?;
        let new = NewDiscernmentNote {
            id: input.id.unwrap_or_else(Uuid::now_v7),
            community_id: input.community_id,
            noted_on,
            body,
            author_id: me.person_id,
        };
        Ok(store::create(db(ctx)?, new).await?.into())
    }
}
