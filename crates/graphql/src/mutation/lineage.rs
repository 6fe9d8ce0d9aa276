use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{NaiveDate, NaiveTime};
use oikos_domain::access::{CommunityAction, OrgAction};
use oikos_domain::community::{
    CommunityProfile, CommunityProfileDraft, CommunityStatus as DomainStatus,
};
use oikos_domain::text;
use oikos_persistence::lineage::{self, NewChild, ParentCorrection};
use uuid::Uuid;

use super::today;
use crate::context::{actor, authorize_community, authorize_org, db, loaders, visible_community};
use crate::error::{ApiError, ApiResult};
use crate::types::community::CommunityView;
use crate::types::enums::{CommunityStatus, LocationPrivacy, PlaceKind, StartMode, Weekday};
use crate::types::lineage::{
    LineageCorrectionView, LineageNodeView, MultiplicationEventView, PeerLinkView,
};

#[derive(Default)]
pub struct LineageMutation;

/// A strong community shares itself: a few members go out with a leader (often the
/// apprentice) and begin a new community, the parent's child.
#[derive(InputObject)]
pub struct MultiplyCommunityInput {
    /// Optional client-generated id of the new community: retrying with the same id and
    /// content is safe.
    pub id: Option<Uuid>,
    /// The community that multiplies. It must be ACTIVE and keep a leader who stays.
    pub parent_id: Uuid,
    /// The parent's organization when left out; another church or network (where you may
    /// plant) when the new community belongs elsewhere. Lineage crosses organizations.
    pub organization_id: Option<Uuid>,
    pub name: String,
    pub vision: Option<String>,
    pub start_mode: Option<StartMode>,
    pub place_kind: Option<PlaceKind>,
    pub place_description: Option<String>,
    pub neighbourhood: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// HIDDEN unless you choose otherwise.
    pub location_privacy: Option<LocationPrivacy>,
    pub meeting_day: Option<Weekday>,
    pub meeting_time: Option<NaiveTime>,
    /// IANA name such as Europe/Berlin; the parent's when left out.
    pub time_zone: Option<String>,
    pub launched_on: Option<NaiveDate>,
    /// FORMING unless given.
    pub status: Option<CommunityStatus>,
    /// Who will lead the new community: current members of the parent, typically its
    /// apprentice. At least one.
    pub leader_ids: Vec<Uuid>,
    /// Who else goes (current members of the parent). Everyone who goes leaves the
    /// parent and joins the new community that day, keeping their role, except that a
    /// leader not named to lead the new community joins it as a member.
    #[graphql(default)]
    pub member_ids: Vec<Uuid>,
    /// Today when left out; not before the parent launched or anyone who goes joined it.
    pub multiplied_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

#[derive(SimpleObject)]
pub struct MultiplyCommunityPayload {
    pub child: CommunityView,
    pub event: MultiplicationEventView,
}

/// Puts a wrong parent link right (data entry from the past). The community moves with
/// its whole subtree; generations are recomputed; the change is audit-logged.
#[derive(InputObject)]
pub struct CorrectLineageInput {
    pub community_id: Uuid,
    /// The right parent, or null to make the community the root of a stream of its own.
    /// Required: give null explicitly.
    pub parent_id: MaybeUndefined<Uuid>,
    /// Why the link was wrong; kept in the audit log.
    pub reason: String,
    /// Left out: the old link was wrong from the start, and reports of any date now show
    /// the right parent (a retroactive fix). Given: the community really changed parent
    /// that day; reports of earlier dates keep the old parent.
    pub effective_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct LinkPeersInput {
    /// Optional client-generated id: retrying with the same id is safe.
    pub id: Option<Uuid>,
    /// A community you lead or administer.
    pub community_id: Uuid,
    /// The community it works together with (one you may see).
    pub peer_id: Uuid,
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct UnlinkPeersInput {
    /// A community you lead or administer.
    pub community_id: Uuid,
    pub peer_id: Uuid,
}

/// A community referenced by an input field: refused on that field when the actor may
/// not see it.
async fn referenced(ctx: &Context<'_>, id: Uuid, field: &str) -> ApiResult<()> {
    visible_community(ctx, id)
        .await
        .map(|_| ())
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::bad_input(field, "no such community"),
            other => other,
        })
}

#[Object]
impl LineageMutation {
    /// Starts a child community from a parent, in one transaction: the child (its
    /// generation the parent's + 1, in the parent's stream), the moves of the people who
    /// go (history kept), the parent link and the multiplication event with the parent's
    /// readiness at that moment. For the parent's leaders and organization ADMINs and
    /// COACHes. If a concurrent change takes the same people or leaves the parent
    /// without a leader first, this one is refused with CONFLICT.
    async fn multiply_community(
        &self,
        ctx: &Context<'_>,
        input: MultiplyCommunityInput,
    ) -> ApiResult<MultiplyCommunityPayload> {
        let requested_at = chrono::Utc::now();
        let me = actor(ctx)?;
        authorize_community(ctx, input.parent_id, CommunityAction::Multiply).await?;
        let parent = loaders(ctx)?
            .communities
            .load_one(input.parent_id)
            .await?
            .ok_or(ApiError::NotFound("community"))?;
        let organization_id = match input.organization_id {
            Some(org) if org != parent.organization_id => {
                authorize_org(ctx, org, OrgAction::PlantCommunity)
                    .await
                    .map_err(|e| match e {
                        ApiError::NotFound(_) => {
                            ApiError::bad_input("organizationId", "no such organization")
                        }
                        other => other,
                    })?;
                org
            }
            _ => parent.organization_id,
        };
        let profile = CommunityProfile::parse(CommunityProfileDraft {
            name: input.name,
            vision: input.vision,
            start_mode: input.start_mode.map(Into::into),
            place_kind: input.place_kind.map(Into::into),
            place_description: input.place_description,
            neighbourhood: input.neighbourhood,
            latitude: input.latitude,
            longitude: input.longitude,
            location_privacy: input.location_privacy.map(Into::into),
            meeting_day: input.meeting_day.map(Into::into),
            meeting_time: input.meeting_time,
            time_zone: Some(
                input
                    .time_zone
                    .unwrap_or_else(|| parent.profile.time_zone.name().to_owned()),
            ),
            launched_on: input.launched_on,
        })?;
        let notes =
            text::optional_text("notes", input.notes.as_deref(), text::LONG_TEXT_MAX_CHARS)?;
        let made = lineage::multiply(
            db(ctx)?,
            me.person_id,
            NewChild {
                id: input.id.unwrap_or_else(Uuid::now_v7),
                parent_id: parent.id,
                organization_id,
                profile,
                status: input.status.map_or(DomainStatus::Forming, Into::into),
                leader_ids: input.leader_ids,
                member_ids: input.member_ids,
                multiplied_on: input.multiplied_on.unwrap_or_else(today),
                notes,
                requested_at,
            },
        )
        .await?;
        Ok(MultiplyCommunityPayload {
            child: made.child.into(),
            event: made.event.into(),
        })
    }

    /// Moves a community (with everything below it) under the right parent. For ADMINs
    /// of the community's organization. Placing a community under itself or one of its
    /// descendants is refused.
    async fn correct_lineage(
        &self,
        ctx: &Context<'_>,
        input: CorrectLineageInput,
    ) -> ApiResult<LineageCorrectionView> {
        let me = actor(ctx)?;
        visible_community(ctx, input.community_id).await?;
        let community = loaders(ctx)?
            .communities
            .load_one(input.community_id)
            .await?
            .ok_or(ApiError::NotFound("community"))?;
        authorize_org(ctx, community.organization_id, OrgAction::Manage)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::Forbidden,
                other => other,
            })?;
        let new_parent_id = match input.parent_id {
            MaybeUndefined::Undefined => {
                return Err(ApiError::bad_input(
                    "parentId",
                    "give the right parent, or null to make the community a stream root",
                ));
            }
            MaybeUndefined::Null => None,
            MaybeUndefined::Value(id) => {
                referenced(ctx, id, "parentId").await?;
                Some(id)
            }
        };
        let correction = lineage::correct_parent(
            db(ctx)?,
            me.person_id,
            ParentCorrection {
                community_id: community.id,
                new_parent_id,
                reason: input.reason,
                effective_on: input.effective_on,
            },
        )
        .await?;
        Ok(correction.into())
    }

    /// Records that two communities work together (kept apart from parentage). For the
    /// leaders and admins of the first.
    async fn link_peers(
        &self,
        ctx: &Context<'_>,
        input: LinkPeersInput,
    ) -> ApiResult<PeerLinkView> {
        let me = actor(ctx)?;
        authorize_community(ctx, input.community_id, CommunityAction::Manage).await?;
        referenced(ctx, input.peer_id, "peerId").await?;
        let link = lineage::link_peers(
            db(ctx)?,
            me.person_id,
            input.id,
            input.community_id,
            input.peer_id,
            input.note.as_deref(),
        )
        .await?;
        let peer = loaders(ctx)?
            .communities
            .load_one(input.peer_id)
            .await?
            .ok_or(ApiError::NotFound("community"))?;
        let node = LineageNodeView {
            name: peer.profile.name,
            generation: peer.lineage.generation,
            status: peer.status.into(),
            id: peer.id,
            visible: true,
        };
        Ok(PeerLinkView::new(link, node))
    }

    /// Removes a peer link; false when there was none.
    async fn unlink_peers(&self, ctx: &Context<'_>, input: UnlinkPeersInput) -> ApiResult<bool> {
        authorize_community(ctx, input.community_id, CommunityAction::Manage).await?;
        Ok(lineage::unlink_peers(db(ctx)?, input.community_id, input.peer_id).await?)
    }
}
