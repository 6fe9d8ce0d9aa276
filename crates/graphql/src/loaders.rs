//! DataLoaders, one per relation a screen walks, so that nested fields over a list cost
//! one batched statement each instead of one per row.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use oikos_domain::access::CommunityStanding;
use oikos_domain::community::Community;
use oikos_domain::membership::Membership;
use oikos_domain::organization::Organization;
use oikos_domain::person::Person;
use oikos_persistence::{
    Database, StoreError, access, communities, memberships, organizations, persons,
};
use uuid::Uuid;

use chrono::{Duration, Utc};
use oikos_domain::calendar::{YearMonth, local_month, month_bounds_utc};
use oikos_domain::gathering::{Attendee, Gathering, Rsvp, Signup};
use oikos_domain::health::HEALTH_NEEDS_DAYS;
use oikos_domain::policy::Policy;
use oikos_domain::rhythm::GatheringFact;
use oikos_persistence::{gatherings, policies, rhythm};

type Cached<L> = DataLoader<L, HashMapCache>;

/// The loaders of one request (their caches must not outlive it: the actor differs).
pub struct Loaders {
    pub persons: Cached<PersonLoader>,
    pub organizations: Cached<OrganizationLoader>,
    pub communities: Cached<CommunityLoader>,
    pub members: Cached<MembersLoader>,
    pub standings: Cached<StandingLoader>,
    pub policies: Cached<PolicyLoader>,
    pub gathering_facts: Cached<GatheringFactsLoader>,
    pub next_gatherings: Cached<NextGatheringLoader>,
    pub attendance: Cached<AttendanceLoader>,
    pub rsvps: Cached<RsvpLoader>,
    pub signups: Cached<SignupLoader>,
    pub needs_met: Cached<NeedsMetLoader>,
}

impl Loaders {
    pub fn new(db: &Database, actor: Option<Uuid>) -> Self {
        fn cached<L: Loader<Uuid>>(loader: L) -> Cached<L> {
            DataLoader::with_cache(loader, tokio::spawn, HashMapCache::default())
        }
        Self {
            persons: cached(PersonLoader(db.clone())),
            organizations: cached(OrganizationLoader(db.clone())),
            communities: cached(CommunityLoader(db.clone())),
            members: cached(MembersLoader(db.clone())),
            standings: cached(StandingLoader {
                db: db.clone(),
                actor,
            }),
            policies: cached(PolicyLoader(db.clone())),
            gathering_facts: DataLoader::with_cache(
                GatheringFactsLoader(db.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
            next_gatherings: cached(NextGatheringLoader(db.clone())),
            attendance: cached(AttendanceLoader(db.clone())),
            rsvps: cached(RsvpLoader(db.clone())),
            signups: cached(SignupLoader(db.clone())),
            needs_met: cached(NeedsMetLoader(db.clone())),
        }
    }
}

pub struct PersonLoader(Database);

impl Loader<Uuid> for PersonLoader {
    type Value = Person;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Person>, Self::Error> {
        Ok(persons::by_ids(&self.0, keys)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect())
    }
}

pub struct OrganizationLoader(Database);

impl Loader<Uuid> for OrganizationLoader {
    type Value = Organization;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Organization>, Self::Error> {
        Ok(organizations::by_ids(&self.0, keys)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect())
    }
}

pub struct CommunityLoader(Database);

impl Loader<Uuid> for CommunityLoader {
    type Value = Community;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Community>, Self::Error> {
        Ok(communities::by_ids(&self.0, keys)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect())
    }
}

/// Current memberships per community.
pub struct MembersLoader(Database);

impl Loader<Uuid> for MembersLoader {
    type Value = Vec<Membership>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Membership>>, Self::Error> {
        let mut grouped: HashMap<Uuid, Vec<Membership>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for m in memberships::current_of_communities(&self.0, keys).await? {
            grouped.entry(m.community_id).or_default().push(m);
        }
        Ok(grouped)
    }
}

/// The actor's standing per community (absent: the community does not exist).
pub struct StandingLoader {
    db: Database,
    actor: Option<Uuid>,
}

impl Loader<Uuid> for StandingLoader {
    type Value = CommunityStanding;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, CommunityStanding>, Self::Error> {
        let Some(actor) = self.actor else {
            return Ok(HashMap::new());
        };
        Ok(access::community_standings(&self.db, actor, keys).await?)
    }
}

/// The policy in force per community (targets, healthy size, readiness thresholds).
pub struct PolicyLoader(Database);

impl Loader<Uuid> for PolicyLoader {
    type Value = Policy;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Policy>, Self::Error> {
        Ok(policies::for_communities(&self.0, keys).await?)
    }
}

/// The gatherings of one community in a range of its own months, as the rhythm sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FactsKey {
    pub community: Uuid,
    pub time_zone: chrono_tz::Tz,
    pub from: YearMonth,
    pub to: YearMonth,
}

/// Gathering facts for any number of (community, months) keys in two statements: one read
/// over the union of the ranges, split per key in the communities' own calendars.
pub struct GatheringFactsLoader(Database);

impl Loader<FactsKey> for GatheringFactsLoader {
    type Value = Vec<GatheringFact>;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[FactsKey],
    ) -> Result<HashMap<FactsKey, Vec<GatheringFact>>, Self::Error> {
        let (Some(start), Some(end)) = (
            keys.iter()
                .map(|k| month_bounds_utc(k.from, k.time_zone).0)
                .min(),
            keys.iter()
                .map(|k| month_bounds_utc(k.to, k.time_zone).1)
                .max(),
        ) else {
            return Ok(HashMap::new());
        };
        let mut communities: Vec<Uuid> = keys.iter().map(|k| k.community).collect();
        communities.sort_unstable();
        communities.dedup();
        let facts = rhythm::gathering_facts(&self.0, &communities, start, end).await?;
        Ok(keys
            .iter()
            .map(|key| {
                let in_range = facts
                    .get(&key.community)
                    .into_iter()
                    .flatten()
                    .filter(|f| {
                        let month = local_month(f.starts_at, key.time_zone);
                        key.from <= month && month <= key.to
                    })
                    .cloned()
                    .collect();
                (*key, in_range)
            })
            .collect())
    }
}

/// Each community's next scheduled gathering (absent: none planned).
pub struct NextGatheringLoader(Database);

impl Loader<Uuid> for NextGatheringLoader {
    type Value = Gathering;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Gathering>, Self::Error> {
        Ok(gatherings::next_of_communities(&self.0, keys, Utc::now()).await?)
    }
}

/// Who was at each gathering.
pub struct AttendanceLoader(Database);

impl Loader<Uuid> for AttendanceLoader {
    type Value = Vec<Attendee>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Attendee>>, Self::Error> {
        let mut grouped: HashMap<Uuid, Vec<Attendee>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for a in gatherings::attendance_of(&self.0, keys).await? {
            grouped.entry(a.gathering_id).or_default().push(a);
        }
        Ok(grouped)
    }
}

/// The RSVPs to each gathering.
pub struct RsvpLoader(Database);

impl Loader<Uuid> for RsvpLoader {
    type Value = Vec<Rsvp>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Rsvp>>, Self::Error> {
        let mut grouped: HashMap<Uuid, Vec<Rsvp>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in gatherings::rsvps_of(&self.0, keys).await? {
            grouped.entry(r.gathering_id).or_default().push(r);
        }
        Ok(grouped)
    }
}

/// The sign-ups of each gathering, in the order they were added.
pub struct SignupLoader(Database);

impl Loader<Uuid> for SignupLoader {
    type Value = Vec<Signup>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Signup>>, Self::Error> {
        let mut grouped: HashMap<Uuid, Vec<Signup>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for s in gatherings::signups_of(&self.0, keys).await? {
            grouped.entry(s.gathering_id).or_default().push(s);
        }
        Ok(grouped)
    }
}

/// Needs each community met in the window the health check looks at.
pub struct NeedsMetLoader(Database);

impl Loader<Uuid> for NeedsMetLoader {
    type Value = u32;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, u32>, Self::Error> {
        let since = Utc::now() - Duration::days(i64::from(HEALTH_NEEDS_DAYS));
        Ok(rhythm::needs_met_since(&self.0, keys, since).await?)
    }
}
