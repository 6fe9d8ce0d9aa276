use async_graphql::connection::{Connection, EmptyFields};
use async_graphql::{ComplexObject, Context, SimpleObject};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::community::Community;
use oikos_persistence::gatherings::TimeOrder;
use oikos_persistence::policies::{self, PolicyOwner};
use uuid::Uuid;

use super::development::DevelopmentProgressView;
use super::discernment::DiscernmentNoteView;
use super::enums::{CommunityStatus, LocationPrivacy, MemberRole, PlaceKind, StartMode, Weekday};
use super::enums::{NeedStatus, RelationshipStage};
use super::gathering::GatheringView;
use super::lineage::CommunityLineage;
use super::membership::MembershipView;
use super::need::{NeedConnection, NeedCountsView};
use super::organization::OrganizationView;
use super::page::{IdCursor, connection, page_request};
use super::people_of_peace::{PartnerView, PersonOfPeaceView};
use super::prayer::{PrayerRequestView, PrayerWalkView};
use super::readiness::{ReadinessReportView, ReadinessThresholdSettingsView};
use super::rhythm::{
    self, DriftWarningView, HealthReportView, MonthScorecardView, PolicySettingsView,
    RhythmTargetsView, SizeRangeView,
};
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

    /// Its place in the family tree: ancestors, children, descendants, figures, the tree
    /// as of a past date, peers, multiplications, corrections and exports.
    async fn lineage(&self, ctx: &Context<'_>) -> ApiResult<CommunityLineage> {
        visible_community(ctx, self.id).await?;
        Ok(CommunityLineage {
            record: self.record.clone(),
        })
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

    /// Gatherings starting in [from, to) (either end open), oldest first unless
    /// newestFirst. Deleted gatherings are left out.
    async fn gatherings(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default)] newest_first: bool,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<IdCursor, GatheringView, EmptyFields, EmptyFields>> {
        visible_community(ctx, self.id).await?;
        let had_cursor = after.is_some();
        let request = page_request(first, after)?;
        let order = if newest_first {
            TimeOrder::NewestFirst
        } else {
            TimeOrder::OldestFirst
        };
        let page = oikos_persistence::gatherings::list(db(ctx)?, self.id, from, to, order, request)
            .await?;
        Ok(connection(page, had_cursor, |g| g.id, GatheringView::from))
    }

    /// The next scheduled gathering, if one is planned.
    async fn next_gathering(&self, ctx: &Context<'_>) -> ApiResult<Option<GatheringView>> {
        visible_community(ctx, self.id).await?;
        Ok(loaders(ctx)?
            .next_gatherings
            .load_one(self.id)
            .await?
            .map(GatheringView::from))
    }

    /// Monthly targets per circle in force here: set on the community, else inherited
    /// from its organizations, else the basic grid (communion 2, mission 1, inclusion 1).
    async fn rhythm_targets(&self, ctx: &Context<'_>) -> ApiResult<RhythmTargetsView> {
        visible_community(ctx, self.id).await?;
        Ok(rhythm::policy_of(ctx, &self.record).await?.targets.into())
    }

    /// What this community sets itself (null: inherited).
    async fn policy_settings(&self, ctx: &Context<'_>) -> ApiResult<PolicySettingsView> {
        visible_community(ctx, self.id).await?;
        Ok(
            oikos_persistence::policies::own(db(ctx)?, PolicyOwner::Community(self.id))
                .await?
                .into(),
        )
    }

    /// The size the community is expected to stay within, set like the targets.
    async fn healthy_size(&self, ctx: &Context<'_>) -> ApiResult<SizeRangeView> {
        visible_community(ctx, self.id).await?;
        Ok(rhythm::policy_of(ctx, &self.record)
            .await?
            .size_range
            .into())
    }

    /// One month against the grid (YYYY-MM; this month when left out), counted in the
    /// community's own time zone.
    async fn scorecard(
        &self,
        ctx: &Context<'_>,
        month: Option<String>,
    ) -> ApiResult<MonthScorecardView> {
        let month = match month {
            Some(m) => rhythm::month_arg("month", &m)?,
            None => rhythm::current_month(&self.record),
        };
        rhythm::scorecards_of(ctx, &self.record, month, month)
            .await?
            .pop()
            .map(Into::into)
            .ok_or(ApiError::NotFound("scorecard"))
    }

    /// Every month from `from` to `to` (YYYY-MM, both included, at most 36), oldest first.
    async fn scorecards(
        &self,
        ctx: &Context<'_>,
        from: String,
        to: String,
    ) -> ApiResult<Vec<MonthScorecardView>> {
        let from = rhythm::month_arg("from", &from)?;
        let to = rhythm::month_arg("to", &to)?;
        Ok(rhythm::scorecards_of(ctx, &self.record, from, to)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Signs of a slide over the last six months (one circle swallowing the others,
    /// guests gone, gatherings missed), in plain words.
    async fn drift_warnings(&self, ctx: &Context<'_>) -> ApiResult<Vec<DriftWarningView>> {
        Ok(rhythm::drift_of(ctx, &self.record)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Health at a glance: named indicators, each with its reason. The grid is judged
    /// over the three complete months before this one.
    async fn health(&self, ctx: &Context<'_>) -> ApiResult<HealthReportView> {
        Ok(rhythm::health_of(ctx, &self.record).await?.into())
    }

    /// Needs on the board that you may see, oldest first; all statuses unless filtered.
    /// Not for reporters: they see `needCounts`.
    async fn needs(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<Vec<NeedStatus>>,
    ) -> ApiResult<NeedConnection> {
        super::need::community_needs(ctx, self.id, first, after, status).await
    }

    /// How many needs are open and how many were met in `[metSince, metBefore)` (by
    /// default the 90 days the health check looks at). Numbers only: reporters see them.
    async fn need_counts(
        &self,
        ctx: &Context<'_>,
        met_since: Option<DateTime<Utc>>,
        met_before: Option<DateTime<Utc>>,
    ) -> ApiResult<NeedCountsView> {
        super::need::community_need_counts(ctx, self.id, met_since, met_before).await
    }

    /// People of peace the members know (removed ones are left out), oldest first.
    async fn people_of_peace(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        stage: Option<RelationshipStage>,
    ) -> ApiResult<Connection<IdCursor, PersonOfPeaceView, EmptyFields, EmptyFields>> {
        super::people_of_peace::community_people_of_peace(ctx, self.id, first, after, stage).await
    }

    /// Ministries and organisations the community knows in its neighbourhood.
    async fn partners(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<IdCursor, PartnerView, EmptyFields, EmptyFields>> {
        super::people_of_peace::community_partners(ctx, self.id, first, after).await
    }

    /// Prayer requests you may read, unanswered first, newest first.
    async fn prayer_requests(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        answered: Option<bool>,
    ) -> ApiResult<Connection<IdCursor, PrayerRequestView, EmptyFields, EmptyFields>> {
        super::prayer::community_prayer_requests(ctx, self.id, first, after, answered).await
    }

    async fn prayer_walks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<IdCursor, PrayerWalkView, EmptyFields, EmptyFields>> {
        super::prayer::community_prayer_walks(ctx, self.id, first, after).await
    }

    /// Where the community has seen its mission, in the order it was noted.
    async fn discernment_notes(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Connection<IdCursor, DiscernmentNoteView, EmptyFields, EmptyFields>> {
        super::discernment::community_discernment_notes(ctx, self.id, first, after).await
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
