//! DataLoaders, one per relation a screen walks, so that nested fields over a list cost
//! one batched statement each instead of one per row.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use oikos_domain::access::CommunityStanding;
use oikos_domain::community::Community;
use oikos_domain::development::StageChange;
use oikos_domain::membership::Membership;
use oikos_domain::organization::Organization;
use oikos_domain::person::Person;
use oikos_persistence::development::OnThePath;
use oikos_persistence::readiness::ReadinessSnapshot;
use oikos_persistence::{
    Database, StoreError, access, coaching, communities, development, memberships, organizations,
    persons, readiness,
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
