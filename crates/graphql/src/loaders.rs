//! DataLoaders, one per relation a screen walks, so that nested fields over a list cost
//! one batched statement each instead of one per row.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use chrono::{DateTime, Duration, Utc};
use oikos_domain::access::CommunityStanding;
use oikos_domain::calendar::{YearMonth, local_month, month_bounds_utc};
use oikos_domain::community::Community;
use oikos_domain::development::StageChange;
use oikos_domain::gathering::{Attendee, Gathering, Rsvp, Signup};
use oikos_domain::health::HEALTH_NEEDS_DAYS;
use oikos_domain::membership::Membership;
use oikos_domain::need::{Need, NeedCounts, NeedEvent, NetworkReach};
use oikos_domain::organization::Organization;
use oikos_domain::people_of_peace::{Partner, PersonOfPeace};
use oikos_domain::person::Person;
use oikos_domain::policy::Policy;
use oikos_domain::rhythm::GatheringFact;
use oikos_persistence::development::OnThePath;
use oikos_persistence::readiness::ReadinessSnapshot;
use oikos_persistence::{
    Database, StoreError, access, coaching, communities, development, gatherings, memberships,
    needs, organizations, partners, people_of_peace, persons, policies, readiness, rhythm,
};
use uuid::Uuid;

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
    pub network_reach: Cached<NetworkReachLoader>,
    pub needs: Cached<NeedLoader>,
    pub need_claimers: Cached<NeedClaimersLoader>,
    pub need_events: Cached<NeedEventsLoader>,
    pub need_counts: Cached<NeedCountsLoader>,
    pub people_of_peace: Cached<PersonOfPeaceLoader>,
    pub partners: Cached<PartnerLoader>,
    pub readiness: Cached<ReadinessLoader>,
    pub on_the_path: Cached<OnThePathLoader>,
    pub stage_history: Cached<StageHistoryLoader>,
    pub led_communities: Cached<LedCommunitiesLoader>,
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
            network_reach: cached(NetworkReachLoader(db.clone())),
            needs: cached(NeedLoader(db.clone())),
            need_claimers: cached(NeedClaimersLoader(db.clone())),
            need_events: cached(NeedEventsLoader(db.clone())),
            need_counts: DataLoader::with_cache(
                NeedCountsLoader(db.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
            people_of_peace: cached(PersonOfPeaceLoader(db.clone())),
            partners: cached(PartnerLoader(db.clone())),
            readiness: cached(ReadinessLoader(db.clone())),
            on_the_path: cached(OnThePathLoader(db.clone())),
            stage_history: DataLoader::with_cache(
                StageHistoryLoader(db.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
            led_communities: DataLoader::with_cache(
                LedCommunitiesLoader(db.clone()),
                tokio::spawn,
                HashMapCache::default(),
            ),
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

/// How far needs shared with the NETWORK reach a person.
pub struct NetworkReachLoader(Database);

impl Loader<Uuid> for NetworkReachLoader {
    type Value = NetworkReach;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, NetworkReach>, Self::Error> {
        let mut out = HashMap::with_capacity(keys.len());
        for person in keys {
            out.insert(*person, access::network_reach(&self.0, *person).await?);
        }
        Ok(out)
    }
}

pub struct NeedLoader(Database);

impl Loader<Uuid> for NeedLoader {
    type Value = Need;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Need>, Self::Error> {
        Ok(needs::by_ids(&self.0, keys)
            .await?
            .into_iter()
            .map(|n| (n.id, n))
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

/// The people claiming each need.
pub struct NeedClaimersLoader(Database);

impl Loader<Uuid> for NeedClaimersLoader {
    type Value = Vec<Uuid>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>, Self::Error> {
        Ok(needs::claimers_of(&self.0, keys).await?)
    }
}

/// The history of each need.
pub struct NeedEventsLoader(Database);

impl Loader<Uuid> for NeedEventsLoader {
    type Value = Vec<NeedEvent>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<NeedEvent>>, Self::Error> {
        Ok(needs::events_of(&self.0, keys).await?)
    }
}

/// A community's need counts with needs met counted in `[met_from, met_to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NeedCountsKey {
    pub community: Uuid,
    pub met_from: DateTime<Utc>,
    pub met_to: DateTime<Utc>,
}

/// One statement per distinct window, whatever the number of communities.
pub struct NeedCountsLoader(Database);

impl Loader<NeedCountsKey> for NeedCountsLoader {
    type Value = NeedCounts;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[NeedCountsKey],
    ) -> Result<HashMap<NeedCountsKey, NeedCounts>, Self::Error> {
        let mut windows: HashMap<(DateTime<Utc>, DateTime<Utc>), Vec<Uuid>> = HashMap::new();
        for key in keys {
            windows
                .entry((key.met_from, key.met_to))
                .or_default()
                .push(key.community);
        }
        let mut out = HashMap::with_capacity(keys.len());
        for ((met_from, met_to), communities) in windows {
            for (community, counts) in
                needs::counts(&self.0, &communities, met_from, met_to).await?
            {
                let key = NeedCountsKey {
                    community,
                    met_from,
                    met_to,
                };
                out.insert(key, counts);
            }
        }
        Ok(out)
    }
}

pub struct PersonOfPeaceLoader(Database);

impl Loader<Uuid> for PersonOfPeaceLoader {
    type Value = PersonOfPeace;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, PersonOfPeace>, Self::Error> {
        Ok(people_of_peace::by_ids(&self.0, keys)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect())
    }
}

pub struct PartnerLoader(Database);

impl Loader<Uuid> for PartnerLoader {
    type Value = Partner;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Partner>, Self::Error> {
        Ok(partners::by_ids(&self.0, keys)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect())
    }
}

/// Readiness to multiply per community, as of the moment the batch is read.
pub struct ReadinessLoader(Database);

impl Loader<Uuid> for ReadinessLoader {
    type Value = ReadinessSnapshot;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, ReadinessSnapshot>, Self::Error> {
        Ok(readiness::snapshots(&self.0, keys, chrono::Utc::now()).await?)
    }
}

/// Current apprentices and leaders per community, with their development stages.
pub struct OnThePathLoader(Database);

impl Loader<Uuid> for OnThePathLoader {
    type Value = Vec<OnThePath>;
    type Error = Arc<StoreError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<OnThePath>>, Self::Error> {
        Ok(development::on_the_path(&self.0, keys).await?)
    }
}

/// Stage changes per (community, person), most recent first.
pub struct StageHistoryLoader(Database);

impl Loader<(Uuid, Uuid)> for StageHistoryLoader {
    type Value = Vec<StageChange>;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[(Uuid, Uuid)],
    ) -> Result<HashMap<(Uuid, Uuid), Vec<StageChange>>, Self::Error> {
        Ok(development::history(&self.0, keys).await?)
    }
}

/// Per (leader, organization): the communities the leader currently leads there or below.
pub struct LedCommunitiesLoader(Database);

impl Loader<(Uuid, Uuid)> for LedCommunitiesLoader {
    type Value = Vec<Uuid>;
    type Error = Arc<StoreError>;

    async fn load(
        &self,
        keys: &[(Uuid, Uuid)],
    ) -> Result<HashMap<(Uuid, Uuid), Vec<Uuid>>, Self::Error> {
        Ok(coaching::led_communities(&self.0, keys).await?)
    }
}
