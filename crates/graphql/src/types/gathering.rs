//! Gatherings as clients see them. Anyone who may see the community sees when it met,
//! what it did and how many came (reporters count gatherings too); who came, who answered
//! and who brings what, and texts that may name people or homes, are for those who may
//! see the community's people.

use async_graphql::{ComplexObject, Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use oikos_domain::access::CommunityAction;
use oikos_domain::gathering::{AttendanceKind, Gathering, Rsvp, Signup};
use oikos_domain::practice::Circle as DomainCircle;
use uuid::Uuid;

use super::community::CommunityView;
use super::enums::{Circle, GatheringOutcome, PlaceKind, Practice, RsvpResponse};
use super::person::PersonView;
use crate::context::{actor, authorize_community, loaders, visible_community};
use crate::error::{ApiError, ApiResult};

/// A gathering of a community: planned, then logged as held, or as did-not-meet, or
/// cancelled.
#[derive(SimpleObject)]
#[graphql(name = "Gathering", complex)]
pub struct GatheringView {
    pub id: Uuid,
    pub community_id: Uuid,
    pub title: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    /// The month it counts in (YYYY-MM), on the community's own calendar.
    pub local_month: String,
    pub place_kind: PlaceKind,
    pub practices: Vec<Practice>,
    /// The circles its practices feed, each once.
    pub circles: Vec<Circle>,
    pub outcome: GatheringOutcome,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[graphql(skip)]
    pub record: Gathering,
}

impl From<Gathering> for GatheringView {
    fn from(g: Gathering) -> Self {
        let d = &g.details;
        let circles = DomainCircle::ALL
            .iter()
            .filter(|c| d.practices.iter().any(|p| p.circle() == Some(**c)))
            .map(|c| (*c).into())
            .collect();
        Self {
            id: g.id,
            community_id: g.community_id,
            title: d.title.clone(),
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            local_month: g.local_month.to_string(),
            place_kind: d.place_kind.into(),
            practices: d.practices.iter().map(|p| (*p).into()).collect(),
            circles,
            outcome: g.outcome.into(),
            created_at: g.created_at,
            updated_at: g.updated_at,
            record: g,
        }
    }
}

impl GatheringView {
    /// Whether the viewer may see the people (and homes) behind this gathering.
    async fn sees_people(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(visible_community(ctx, self.community_id)
            .await?
            .allows(CommunityAction::ViewPeople))
    }

    async fn people_only(
        &self,
        ctx: &Context<'_>,
        text: Option<&String>,
    ) -> ApiResult<Option<String>> {
        Ok(if self.sees_people(ctx).await? {
            text.cloned()
        } else {
            None
        })
    }
}

#[ComplexObject]
impl GatheringView {
    async fn community(&self, ctx: &Context<'_>) -> ApiResult<CommunityView> {
        visible_community(ctx, self.community_id).await?;
        loaders(ctx)?
            .communities
            .load_one(self.community_id)
            .await?
            .map(CommunityView::from)
            .ok_or(ApiError::NotFound("community"))
    }

    /// Where exactly (it may be someone's home). Null unless you may see the community's
    /// people.
    async fn place_description(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        self.people_only(ctx, self.record.details.place_description.as_ref())
            .await
    }

    /// What is planned. Null unless you may see the community's people.
    async fn plan(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        self.people_only(ctx, self.record.details.plan.as_ref())
            .await
    }

    /// What happened. Null unless you may see the community's people.
    async fn notes(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        self.people_only(ctx, self.record.notes.as_ref()).await
    }

    /// Why it did not take place. Null unless you may see the community's people.
    async fn did_not_meet_reason(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        self.people_only(ctx, self.record.did_not_meet_reason.as_ref())
            .await
    }

    /// Who came, as counts for everyone and as names for those who may see people.
    async fn attendance(&self) -> AttendanceView {
        AttendanceView {
            gathering_id: self.id,
            community_id: self.community_id,
            anonymous_guests: self.record.anonymous_guests,
        }
    }

    /// Every answer so far. Only for those who may see the community's people.
    async fn rsvps(&self, ctx: &Context<'_>) -> ApiResult<Vec<RsvpView>> {
        authorize_community(ctx, self.community_id, CommunityAction::ViewPeople).await?;
        Ok(rsvps(ctx, self.id)
            .await?
            .into_iter()
            .map(|r| RsvpView {
                response: r.response.into(),
                responded_at: r.updated_at,
                person_id: r.person_id,
            })
            .collect())
    }

    /// How many answered yes, no and maybe.
    async fn rsvp_counts(&self, ctx: &Context<'_>) -> ApiResult<RsvpCounts> {
        visible_community(ctx, self.community_id).await?;
        let all = rsvps(ctx, self.id).await?;
        let count = |response: oikos_domain::gathering::RsvpResponse| {
            u32::try_from(all.iter().filter(|r| r.response == response).count()).unwrap_or(u32::MAX)
        };
        Ok(RsvpCounts {
            yes: count(oikos_domain::gathering::RsvpResponse::Yes),
            no: count(oikos_domain::gathering::RsvpResponse::No),
            maybe: count(oikos_domain::gathering::RsvpResponse::Maybe),
        })
    }

    /// Your own answer, if you gave one.
    async fn my_rsvp(&self, ctx: &Context<'_>) -> ApiResult<Option<RsvpResponse>> {
        let me = actor(ctx)?;
        visible_community(ctx, self.community_id).await?;
        Ok(rsvps(ctx, self.id)
            .await?
            .into_iter()
            .find(|r| r.person_id == me.person_id)
            .map(|r| r.response.into()))
    }

    /// Who brings what, in the order items were added.
    async fn signups(&self, ctx: &Context<'_>) -> ApiResult<Vec<SignupView>> {
        let me = actor(ctx)?;
        let sees_people = self.sees_people(ctx).await?;
        Ok(loaders(ctx)?
            .signups
            .load_one(self.id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|s| SignupView::new(s, me.person_id, sees_people))
            .collect())
    }
}

async fn rsvps(ctx: &Context<'_>, gathering: Uuid) -> ApiResult<Vec<Rsvp>> {
    Ok(loaders(ctx)?
        .rsvps
        .load_one(gathering)
        .await?
        .unwrap_or_default())
}

async fn people(ctx: &Context<'_>, ids: Vec<Uuid>) -> ApiResult<Vec<PersonView>> {
    let me = actor(ctx)?;
    let found = loaders(ctx)?.persons.load_many(ids.iter().copied()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(id).cloned())
        .map(|p| {
            let own = p.id == me.person_id;
            PersonView::new(p, own)
        })
        .collect())
}

/// Who came to a gathering.
#[derive(SimpleObject)]
#[graphql(name = "Attendance", complex)]
pub struct AttendanceView {
    /// Guests who came but are not named.
    pub anonymous_guests: u32,
    #[graphql(skip)]
    pub gathering_id: Uuid,
    #[graphql(skip)]
    pub community_id: Uuid,
}

impl AttendanceView {
    async fn of_kind(&self, ctx: &Context<'_>, kind: AttendanceKind) -> ApiResult<Vec<Uuid>> {
        Ok(loaders(ctx)?
            .attendance
            .load_one(self.gathering_id)
            .await?
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.kind == kind)
            .map(|a| a.person_id)
            .collect())
    }

    async fn named_guests(&self, ctx: &Context<'_>) -> ApiResult<u32> {
        let n = self.of_kind(ctx, AttendanceKind::Guest).await?.len();
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}

#[ComplexObject]
impl AttendanceView {
    /// Members present.
    async fn member_count(&self, ctx: &Context<'_>) -> ApiResult<u32> {
        let n = self.of_kind(ctx, AttendanceKind::Member).await?.len();
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Named guests (people of peace) present.
    async fn named_guest_count(&self, ctx: &Context<'_>) -> ApiResult<u32> {
        self.named_guests(ctx).await
    }

    /// All guests: named and anonymous.
    async fn guest_count(&self, ctx: &Context<'_>) -> ApiResult<u32> {
        Ok(self
            .named_guests(ctx)
            .await?
            .saturating_add(self.anonymous_guests))
    }

    /// The members present. Only for those who may see the community's people.
    async fn members(&self, ctx: &Context<'_>) -> ApiResult<Vec<PersonView>> {
        authorize_community(ctx, self.community_id, CommunityAction::ViewPeople).await?;
        let ids = self.of_kind(ctx, AttendanceKind::Member).await?;
        people(ctx, ids).await
    }

    /// The named guests present. Only for those who may see the community's people.
    async fn guests(&self, ctx: &Context<'_>) -> ApiResult<Vec<PersonView>> {
        authorize_community(ctx, self.community_id, CommunityAction::ViewPeople).await?;
        let ids = self.of_kind(ctx, AttendanceKind::Guest).await?;
        people(ctx, ids).await
    }
}

#[derive(SimpleObject)]
pub struct RsvpCounts {
    pub yes: u32,
    pub no: u32,
    pub maybe: u32,
}

/// One member's answer to a scheduled gathering.
#[derive(SimpleObject)]
#[graphql(name = "GatheringRsvp", complex)]
pub struct RsvpView {
    pub response: RsvpResponse,
    pub responded_at: DateTime<Utc>,
    #[graphql(skip)]
    pub person_id: Uuid,
}

#[ComplexObject]
impl RsvpView {
    async fn person(&self, ctx: &Context<'_>) -> ApiResult<PersonView> {
        people(ctx, vec![self.person_id])
            .await?
            .pop()
            .ok_or(ApiError::NotFound("person"))
    }
}

/// Something to bring to a gathering ("salad", "drinks", "set-up").
#[derive(SimpleObject)]
#[graphql(name = "GatheringSignup", complex)]
pub struct SignupView {
    pub id: Uuid,
    pub gathering_id: Uuid,
    pub label: String,
    pub claimed: bool,
    pub claimed_by_me: bool,
    pub claimed_at: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub claimed_by_id: Option<Uuid>,
    #[graphql(skip)]
    pub sees_people: bool,
}

impl SignupView {
    /// `sees_people`: whether the viewer may learn who claimed it.
    pub fn new(s: Signup, me: Uuid, sees_people: bool) -> Self {
        Self {
            id: s.id,
            gathering_id: s.gathering_id,
            label: s.label,
            claimed: s.claimed_by.is_some(),
            claimed_by_me: s.claimed_by == Some(me),
            claimed_at: s.claimed_at,
            claimed_by_id: s.claimed_by,
            sees_people,
        }
    }
}

#[ComplexObject]
impl SignupView {
    /// Who brings it. Null when unclaimed, or unless you may see the community's people.
    async fn claimed_by(&self, ctx: &Context<'_>) -> ApiResult<Option<PersonView>> {
        match self.claimed_by_id.filter(|_| self.sees_people) {
            Some(id) => Ok(people(ctx, vec![id]).await?.pop()),
            None => Ok(None),
        }
    }
}

#[derive(Default)]
pub struct GatheringQuery;

#[Object]
impl GatheringQuery {
    /// A gathering of a community you may see; NOT_FOUND otherwise, or once deleted.
    async fn gathering(&self, ctx: &Context<'_>, id: Uuid) -> ApiResult<GatheringView> {
        actor(ctx)?;
        let gathering = oikos_persistence::gatherings::get(crate::context::db(ctx)?, id)
            .await?
            .ok_or(ApiError::NotFound("gathering"))?;
        visible_community(ctx, gathering.community_id)
            .await
            .map_err(|e| match e {
                ApiError::NotFound(_) => ApiError::NotFound("gathering"),
                other => other,
            })?;
        Ok(gathering.into())
    }
}
