use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::NaiveDate;
use oikos_domain::membership::Membership;
use uuid::Uuid;

use super::community::CommunityView;
use super::enums::MemberRole;
use super::person::PersonView;
use crate::context::{actor, loaders};
use crate::error::{ApiError, ApiResult};

/// A person's belonging to a community.
#[derive(SimpleObject)]
#[graphql(name = "Membership", complex)]
pub struct MembershipView {
    pub id: Uuid,
    pub community_id: Uuid,
    pub role: MemberRole,
    /// What this person does for the group: cooking, supplies, teaching, listening…
    pub serving_roles: Vec<String>,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    #[graphql(skip)]
    pub person_id: Uuid,
    #[graphql(skip)]
    pub show_contact: bool,
}

impl MembershipView {
    /// `show_contact`: whether the viewer may see this member's email and phone.
    pub fn new(m: Membership, show_contact: bool) -> Self {
        Self {
            id: m.id,
            community_id: m.community_id,
            role: m.role.into(),
            serving_roles: m.serving_roles,
            joined_on: m.joined_on,
            left_on: m.left_on,
            person_id: m.person_id,
            show_contact,
        }
    }
}

#[ComplexObject]
impl MembershipView {
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        let me = actor(ctx)?;
        let person = loaders(ctx)?
            .persons
            .load_one(self.person_id)
            .await?
            .ok_or(ApiError::NotFound("person"))?;
        let show = self.show_contact || person.id == me.person_id;
        Ok(PersonView::new(person, show))
    }

    async fn community(&self, ctx: &Context<'_>) -> ApiResult<CommunityView> {
        crate::context::visible_community(ctx, self.community_id).await?;
        loaders(ctx)?
            .communities
            .load_one(self.community_id)
            .await?
            .map(CommunityView::from)
            .ok_or(ApiError::NotFound("community"))
    }
}
