//! The member's home screen in one query: each of my communities with its next
//! gathering and this month's scorecard (through the batched `Community` fields), the
//! needs still open that I may help with, and the unanswered prayer requests I may read.
//! The statements it costs do not grow with the number of communities.

use async_graphql::{Context, Object, SimpleObject};
use oikos_domain::access::CommunityAction;
use oikos_domain::community::CommunityStatus;
use oikos_domain::need::Visibility;
use oikos_domain::prayer::PrayerVisibility;
use oikos_persistence::{memberships, needs, prayer};
use uuid::Uuid;

use super::community::CommunityView;
use super::enums::MemberRole;
use super::need::NeedView;
use super::prayer::PrayerRequestView;
use crate::context::{actor, db, loaders};
use crate::error::{ApiError, ApiResult};

const DEFAULT_ITEMS: i32 = 10;
const MAX_ITEMS: i32 = 50;

#[derive(Default)]
pub struct HomeQuery;

/// One of my communities as the home screen shows it. Ask `community { nextGathering
/// scorecard }` for what is next and how this month is going.
#[derive(SimpleObject)]
pub struct HomeCommunity {
    pub community: CommunityView,
    pub my_role: MemberRole,
    /// Needs still OPEN or CLAIMED that I may see, most urgent first.
    pub open_needs: Vec<NeedView>,
    /// Unanswered prayer requests I may read, newest first.
    pub unanswered_prayer_requests: Vec<PrayerRequestView>,
}

#[derive(SimpleObject)]
pub struct Home {
    /// My active and forming communities, by name.
    pub communities: Vec<HomeCommunity>,
}

#[Object]
impl HomeQuery {
    /// Everything a member's home screen shows, in a bounded number of statements.
    async fn home(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] items_per_community: i32,
    ) -> ApiResult<Home> {
        if !(1..=MAX_ITEMS).contains(&items_per_community) {
            return Err(ApiError::bad_input(
                "itemsPerCommunity",
                format!("itemsPerCommunity must be between 1 and {MAX_ITEMS}"),
            ));
        }
        let limit = usize::try_from(items_per_community).unwrap_or(DEFAULT_ITEMS as usize);
        let me = actor(ctx)?;
        let db = db(ctx)?;
        let loaders = loaders(ctx)?;
        let mine = memberships::current_of_person(db, me.person_id).await?;
        let ids: Vec<Uuid> = mine.iter().map(|m| m.community_id).collect();
        let standings = loaders.standings.load_many(ids.iter().copied()).await?;
        let communities = loaders.communities.load_many(ids.iter().copied()).await?;
        let live: Vec<Uuid> = ids
            .iter()
            .copied()
            .filter(|id| {
                communities
                    .get(id)
                    .is_some_and(|c| c.status != CommunityStatus::Closed)
            })
            .collect();
        let need_levels: Vec<(Uuid, Vec<Visibility>)> = live
            .iter()
            .filter_map(|id| {
                standings
                    .get(id)
                    .map(|s| (*id, Visibility::visible_levels(s, false)))
            })
            .collect();
        let prayer_levels: Vec<(Uuid, Vec<PrayerVisibility>)> = live
            .iter()
            .filter_map(|id| {
                standings
                    .get(id)
                    .map(|s| (*id, PrayerVisibility::readable_levels(s)))
            })
            .collect();
        let mut open_needs = needs::open_in_communities(db, &need_levels).await?;
        let mut prayers =
            prayer::unanswered_in_communities(db, me.person_id, &prayer_levels).await?;
        let mut out: Vec<HomeCommunity> = Vec::with_capacity(live.len());
        for id in live {
            let (Some(community), Some(standing)) = (communities.get(&id), standings.get(&id))
            else {
                continue;
            };
            let (Some(role), true) = (
                standing.member_role,
                standing.allows(CommunityAction::ViewPastoral),
            ) else {
                continue;
            };
            let mut needs = open_needs.remove(&id).unwrap_or_default();
            needs.truncate(limit);
            let mut requests = prayers.remove(&id).unwrap_or_default();
            requests.truncate(limit);
            out.push(HomeCommunity {
                community: community.clone().into(),
                my_role: role.into(),
                open_needs: needs.into_iter().map(NeedView::from).collect(),
                unanswered_prayer_requests: requests
                    .into_iter()
                    .map(PrayerRequestView::from)
                    .collect(),
            });
        }
        out.sort_by(|a, b| a.community.name.cmp(&b.community.name));
        Ok(Home { communities: out })
    }
}
