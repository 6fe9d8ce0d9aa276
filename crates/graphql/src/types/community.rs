use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::community::Community;
use oikos_persistence::policies::{self, PolicyOwner};
use uuid::Uuid;

use super::development::DevelopmentProgressView;
use super::enums::{CommunityStatus, LocationPrivacy, MemberRole, PlaceKind, StartMode, Weekday};
use super::membership::MembershipView;
use super::organization::OrganizationView;
use super::readiness::{ReadinessReportView, ReadinessThresholdSettingsView};
use crate::context::{actor, authorize_community, db, loaders, visible_community};
use crate::error::{ApiError, ApiResult};

#[derive(SimpleObject, Clone, Copy)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
}

/// A missional community.
#[derive(SimpleObject)]
#[graphql(name = "Community", complex)]
pub struct CommunityView {
    pub id: Uuid,
    pub name: String,
    /// The vision statement: what the community is gathered around.
    pub vision: Option<String>,
    pub start_mode: StartMode,
    pub place_kind: PlaceKind,
    pub place_description: Option<String>,
    pub neighbourhood: Option<String>,
    pub location_privacy: LocationPrivacy,
    pub meeting_day: Option<Weekday>,
    pub meeting_time: Option<NaiveTime>,
    /// IANA time zone; months of the rhythm grid are counted in it.
    pub time_zone: String,
    pub status: CommunityStatus,
    pub closed_reason: Option<String>,
    pub closed_on: Option<NaiveDate>,
    pub launched_on: Option<NaiveDate>,
    pub organization_id: Uuid,
    pub parent_id: Option<Uuid>,
    /// 1 for a stream's root, 2 for its children, and so on.
    pub generation: u32,
    pub stream_root_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    pub record: Community,
}

impl From<Community> for CommunityView {
    fn from(c: Community) -> Self {
        let p = &c.profile;
        Self {
            id: c.id,
            name: p.name.clone(),
            vision: p.vision.clone(),
            start_mode: p.start_mode.into(),
            place_kind: p.place_kind.into(),
            place_description: p.place_description.clone(),
            neighbourhood: p.neighbourhood.clone(),
            location_privacy: p.location_privacy.into(),
            meeting_day: p.meeting_day.map(Into::into),
            meeting_time: p.meeting_time,
            time_zone: p.time_zone.name().to_owned(),
            status: c.status.into(),
            closed_reason: c.closure.as_ref().map(|cl| cl.reason.clone()),
            closed_on: c.closure.as_ref().map(|cl| cl.closed_on),
            launched_on: p.launched_on,
            organization_id: c.organization_id,
            parent_id: c.lineage.parent_id,
            generation: c.lineage.generation,
            stream_root_id: c.lineage.stream_root_id,
            created_at: c.created_at,
            updated_at: c.updated_at,
            record: c,
        }
    }
}

#[ComplexObject]
impl CommunityView {
    /// Where the community meets, as far as you may know: members see the recorded point,
    /// others see it as the location privacy allows (hidden, or rounded to about 1 km).
    async fn location(&self, ctx: &Context<'_>) -> ApiResult<Option<GeoPoint>> {
        let standing = visible_community(ctx, self.id).await?;
        Ok(self.record.profile.location.and_then(|point| {
            point
                .as_seen(self.record.profile.location_privacy, standing.is_member())
                .map(|p| GeoPoint {
                    latitude: p.latitude(),
                    longitude: p.longitude(),
                })
        }))
    }

    async fn organization(&self, ctx: &Context<'_>) -> ApiResult<OrganizationView> {
        loaders(ctx)?
            .organizations
            .load_one(self.record.organization_id)
            .await?
            .map(OrganizationView::from)
            .ok_or(ApiError::NotFound("organization"))
    }

    /// Your role here, if you are a member.
    async fn my_role(&self, ctx: &Context<'_>) -> ApiResult<Option<MemberRole>> {
        Ok(visible_community(ctx, self.id)
            .await?
            .member_role
            .map(Into::into))
    }

    /// Current members, leaders first. Not for reporters: they see numbers only.
    async fn members(&self, ctx: &Context<'_>) -> ApiResult<Vec<MembershipView>> {
        let standing = authorize_community(ctx, self.id, CommunityAction::ViewPeople).await?;
        let mut members = loaders(ctx)?
            .members
            .load_one(self.id)
            .await?
            .unwrap_or_default();
        members.sort_by_key(|m| (m.role, m.joined_on));
        let show_contact = standing.allows(CommunityAction::ViewLeadersOnly);
        Ok(members
            .into_iter()
            .map(|m| MembershipView::new(m, show_contact))
            .collect())
    }

    /// How many current members the community has (visible to reporters too).
    async fn member_count(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        visible_community(ctx, self.id).await?;
        let members = loaders(ctx)?
            .members
            .load_one(self.id)
            .await?
            .unwrap_or_default();
        Ok(i32::try_from(members.len()).unwrap_or(i32::MAX))
    }

    /// Is the community ready to multiply? Each criterion passes or not, with the reason.
    /// Everyone who sees the community sees it; apprentices are named only to those who
    /// may see its people (never to reporters).
    async fn readiness(&self, ctx: &Context<'_>) -> ApiResult<ReadinessReportView> {
        let standing = visible_community(ctx, self.id).await?;
        let snapshot = loaders(ctx)?
            .readiness
            .load_one(self.id)
            .await?
            .ok_or(ApiError::NotFound("community"))?;
        let report = if standing.allows(CommunityAction::ViewPeople) {
            snapshot.report()
        } else {
            snapshot.report_without_names()
        };
        Ok(ReadinessReportView::new(
            report,
            snapshot.thresholds,
            snapshot.input.today,
        ))
    }

    /// The readiness thresholds set on this community itself (null: inherited).
    async fn readiness_thresholds(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<ReadinessThresholdSettingsView> {
        visible_community(ctx, self.id).await?;
        Ok(policies::own(db(ctx)?, PolicyOwner::Community(self.id))
            .await?
            .readiness
            .into())
    }

    /// Apprentices and leaders with their stage in each core skill. Leaders, admins and
    /// coaches see everyone; other members see their own progress only.
    async fn development(&self, ctx: &Context<'_>) -> ApiResult<Vec<DevelopmentProgressView>> {
        let me = actor(ctx)?;
        let standing = authorize_community(ctx, self.id, CommunityAction::ViewPeople).await?;
        let everyone = standing.allows(CommunityAction::ViewLeadersOnly);
        Ok(loaders(ctx)?
            .on_the_path
            .load_one(self.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|p| everyone || p.person_id == me.person_id)
            .map(|p| DevelopmentProgressView::from((self.id, p)))
            .collect())
    }
}
