use async_graphql::{Context, InputObject, MaybeUndefined, Object};
use oikos_domain::access::CommunityAction;
use oikos_domain::people_of_peace::{PartnerContent, PartnerDraft};
use oikos_persistence::partners as store;
use uuid::Uuid;

use crate::context::{actor, authorize_community, db};
use crate::error::{ApiError, ApiResult};
use crate::types::enums::PartnerStatus;
use crate::types::people_of_peace::PartnerView;

#[derive(Default)]
pub struct PartnerMutation;

/// A ministry or organisation already at work in the neighbourhood.
#[derive(InputObject)]
pub struct CreatePartnerInput {
    /// Optional client-generated id: retrying with the same id and content is safe.
    pub id: Option<Uuid>,
    pub community_id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    /// IDENTIFIED unless given.
    pub status: Option<PartnerStatus>,
    pub notes: Option<String>,
}

#[derive(InputObject)]
pub struct UpdatePartnerInput {
    pub id: Uuid,
    pub name: Option<String>,
    pub description: MaybeUndefined<String>,
    pub contact_name: MaybeUndefined<String>,
    pub contact_email: MaybeUndefined<String>,
    pub contact_phone: MaybeUndefined<String>,
    pub status: Option<PartnerStatus>,
    pub notes: MaybeUndefined<String>,
}

#[Object]
impl PartnerMutation {
    /// Records a partner (members).
    async fn create_partner(
        &self,
        ctx: &Context<'_>,
        input: CreatePartnerInput,
    ) -> ApiResult<PartnerView> {
        authorize_community(ctx, input.community_id, CommunityAction::Participate).await?;
        let content = PartnerContent::parse(PartnerDraft {
            name: input.name,
            description: input.description,
            contact_name: input.contact_name,
            contact_email: input.contact_email,
            contact_phone: input.contact_phone,
            status: input.status.map(Into::into),
            notes: input.notes,
        })?;
        let id = input.id.unwrap_or_else(Uuid::now_v7);
        Ok(store::create(db(ctx)?, id, input.community_id, content)
            .await?
            .into())
    }

    /// Changes a partner's details or where the partnership stands (members).
    async fn update_partner(
        &self,
        ctx: &Context<'_>,
        input: UpdatePartnerInput,
    ) -> ApiResult<PartnerView> {
        actor(ctx)?;
        let db = db(ctx)?;
        let current = store::get(db, input.id)
            .await?
            .ok_or(ApiError::NotFound("partner"))?;
        authorize_community(ctx, current.community_id, CommunityAction::Participate)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::NotFound("partner"),
                other => other,
            })?;
        let c = current.content;
        let mut draft = PartnerDraft {
            name: input.name.unwrap_or(c.name),
            description: c.description,
            contact_name: c.contact_name,
            contact_email: c.contact_email,
            contact_phone: c.contact_phone,
            status: Some(input.status.map_or(c.status, Into::into)),
            notes: c.notes,
        };
        input.description.update_to(&mut draft.description);
        input.contact_name.update_to(&mut draft.contact_name);
        input.contact_email.update_to(&mut draft.contact_email);
        input.contact_phone.update_to(&mut draft.contact_phone);
        input.notes.update_to(&mut draft.notes);
        let content = PartnerContent::parse(draft)?;
        Ok(store::update(db, input.id, content).await?.into())
    }
}
