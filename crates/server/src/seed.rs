//! `oikos seed-demo`: a believable denomination to explore — two regional networks,
//! churches under them, communities with leaders, apprentices, hosts and members who each
//! serve somehow, and demo accounts for every kind of user.

use anyhow::bail;
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use oikos_domain::community::{
    CommunityProfile, CommunityProfileDraft, CommunityStatus, LocationPrivacy, PlaceKind,
    StartMode, Weekday,
};
use oikos_domain::membership::MemberRole;
use oikos_domain::organization::{OrgRole, OrganizationKind};
use oikos_domain::person::Email;
use oikos_persistence::Database;
use oikos_persistence::accounts::{self, NewAccount};
use oikos_persistence::communities::{self, NewCommunity};
use oikos_persistence::memberships::{self, Joiner, NewMembership};
use oikos_persistence::organizations::{self, NewOrganization};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "missional-demo-2026";
const ADMIN_EMAIL: &str = "admin@oikos.demo";

const FIRST_NAMES: &[&str] = &[
    "Maria", "Ben", "Aisha", "Tomás", "Grace", "Jonas", "Lina", "Samuel", "Priya", "Daniel",
    "Chloe", "Mateo", "Esther", "Kwame", "Hannah", "Luca", "Fatima", "Noah", "Ruth", "Elias",
    "Mei", "Caleb", "Sofia", "Isaac", "Abigail", "Yusuf", "Leah", "Jonah", "Naomi", "Felix",
    "Miriam", "Tobias",
];
const LAST_NAMES: &[&str] = &[
    "Lopez",
    "Okafor",
    "Schmidt",
    "Nguyen",
    "Haddad",
    "Kowalski",
    "Mensah",
    "Rossi",
    "Park",
    "Silva",
    "Müller",
    "Johansson",
    "Abebe",
    "Dubois",
    "Kim",
    "Novak",
    "Ibrahim",
    "Costa",
    "Walker",
    "Tanaka",
];
const SERVING_ROLES: &[&str] = &[
    "cooking",
    "supplies",
    "teaching",
    "listening",
    "hosting",
    "prayer",
    "children",
    "music",
    "set-up",
    "welcome",
];
const NEIGHBOURHOODS: &[&str] = &[
    "Elm Street",
    "Riverside",
    "Old Town",
    "Harbor Flats",
    "Maple Park",
    "Station Quarter",
    "Hillcrest",
    "Mill Lane",
    "Northgate",
    "Cedar Court",
    "Market Square",
    "Willow Bend",
];

/// What was seeded, for the command's output.
pub struct SeedSummary {
    pub organizations: usize,
    pub communities: usize,
    pub people: usize,
    pub accounts: Vec<(String, &'static str)>,
}

impl std::fmt::Display for SeedSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Seeded {} organizations, {} communities and {} people.",
            self.organizations, self.communities, self.people
        )?;
        writeln!(f, "Sign in with any of these (password: {DEMO_PASSWORD}):")?;
        for (email, what) in &self.accounts {
            writeln!(f, "  {email:<28} {what}")?;
        }
        Ok(())
    }
}

struct Seeder<'a> {
    db: &'a Database,
    rng: StdRng,
    password_hash: String,
    summary: SeedSummary,
}

pub async fn seed_demo(db: &Database) -> anyhow::Result<SeedSummary> {
    let admin_email = Email::parse(ADMIN_EMAIL).map_err(|e| anyhow::anyhow!("{e}"))?;
    if oikos_persistence::persons::by_email(db, &admin_email)
        .await?
        .is_some()
    {
        bail!("this database already holds the demo network (found {ADMIN_EMAIL})");
    }
    let password_hash = oikos_graphql::auth::password::hash(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| anyhow::anyhow!("hashing the demo password: {e:?}"))?;
    let mut seeder = Seeder {
        db,
        // Fixed seed: the demo looks the same every time it is made.
        rng: StdRng::seed_from_u64(2026),
        password_hash,
        summary: SeedSummary {
            organizations: 0,
            communities: 0,
            people: 0,
            accounts: Vec::new(),
        },
    };
    seeder.run().await?;
    Ok(seeder.summary)
}

impl Seeder<'_> {
    async fn run(&mut self) -> anyhow::Result<()> {
        let admin = self
            .account("Ruth Adeyemi", ADMIN_EMAIL, "denomination admin")
            .await?;
        let denomination = self
            .org(
                admin,
                OrganizationKind::Denomination,
                "Covenant Fellowship",
                None,
            )
            .await?;
        let reporter = self
            .account(
                "Paul Reyes",
                "reporter@oikos.demo",
                "denomination reporter (numbers only)",
            )
            .await?;
        self.grant(denomination, reporter, OrgRole::Reporter, admin)
            .await?;

        let regions = [
            ("North Region", "coach.north@oikos.demo", "Anna Berg"),
            ("South Region", "coach.south@oikos.demo", "David Osei"),
        ];
        let churches = [
            ["Grace Church", "Harbor Church"],
            ["Riverside Church", "Hillside Chapel"],
        ];
        let mut first_leader = true;
        for ((region, coach_email, coach_name), church_names) in regions.into_iter().zip(churches) {
            let network = self
                .org(admin, OrganizationKind::Network, region, Some(denomination))
                .await?;
            let coach = self
                .account(coach_name, coach_email, "network coach")
                .await?;
            self.grant(network, coach, OrgRole::Coach, admin).await?;
            for church_name in church_names {
                let church = self
                    .org(admin, OrganizationKind::Church, church_name, Some(network))
                    .await?;
                for _ in 0..3 {
                    let leader = if first_leader {
                        first_leader = false;
                        self.account("Maria Lopez", "leader@oikos.demo", "community leader")
                            .await?
                    } else {
                        let name = self.person_name();
                        // Random names repeat; the running count keeps each email unique.
                        let email = format!("leader{}@oikos.demo", self.summary.communities + 1);
                        self.account_quiet(&name, &email).await?
                    };
                    self.community(church, admin, leader).await?;
                }
            }
        }
        Ok(())
    }

    fn person_name(&mut self) -> String {
        let first = FIRST_NAMES[self.rng.random_range(0..FIRST_NAMES.len())];
        let last = LAST_NAMES[self.rng.random_range(0..LAST_NAMES.len())];
        format!("{first} {last}")
    }

    async fn account(
        &mut self,
        name: &str,
        email: &str,
        what: &'static str,
    ) -> anyhow::Result<Uuid> {
        let id = self.account_quiet(name, email).await?;
        self.summary.accounts.push((email.to_owned(), what));
        Ok(id)
    }

    async fn account_quiet(&mut self, name: &str, email: &str) -> anyhow::Result<Uuid> {
        let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
        let person = accounts::sign_up(
            self.db,
            NewAccount {
                display_name: name.to_owned(),
                email,
                phone: None,
                password_hash: self.password_hash.clone(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo account {name}: {e}"))?;
        self.summary.people += 1;
        Ok(person.id)
    }

    async fn org(
        &mut self,
        actor: Uuid,
        kind: OrganizationKind,
        name: &str,
        parent: Option<Uuid>,
    ) -> anyhow::Result<Uuid> {
        let org = organizations::create(
            self.db,
            actor,
            NewOrganization {
                id: Uuid::now_v7(),
                kind,
                name: name.to_owned(),
                parent_id: parent,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("organization {name}: {e}"))?;
        self.summary.organizations += 1;
        Ok(org.id)
    }

    async fn grant(
        &mut self,
        org: Uuid,
        person: Uuid,
        role: OrgRole,
        by: Uuid,
    ) -> anyhow::Result<()> {
        organizations::grant_role(self.db, org, person, role, by)
            .await
            .map_err(|e| anyhow::anyhow!("granting {role:?}: {e}"))?;
        Ok(())
    }

    async fn community(&mut self, church: Uuid, actor: Uuid, leader: Uuid) -> anyhow::Result<Uuid> {
        let neighbourhood = NEIGHBOURHOODS[self.summary.communities % NEIGHBOURHOODS.len()];
        let launched = Utc::now().date_naive() - Duration::days(self.rng.random_range(120..900));
        let profile = CommunityProfile::parse(CommunityProfileDraft {
            name: format!("{neighbourhood} Community"),
            vision: Some(format!(
                "Sharing life and blessing our neighbours in {neighbourhood}"
            )),
            start_mode: Some(if self.rng.random_bool(0.5) {
                StartMode::MissionFirst
            } else {
                StartMode::CommunityFirst
            }),
            place_kind: Some(
                [
                    PlaceKind::Home,
                    PlaceKind::Home,
                    PlaceKind::Park,
                    PlaceKind::Cafe,
                ][self.rng.random_range(0..4)],
            ),
            place_description: Some("Living room, back garden in summer".into()),
            neighbourhood: Some(neighbourhood.to_owned()),
            latitude: Some(52.5 + self.rng.random_range(-0.2..0.2)),
            longitude: Some(13.4 + self.rng.random_range(-0.2..0.2)),
            location_privacy: Some(LocationPrivacy::Approximate),
            meeting_day: Some(
                [
                    Weekday::Tuesday,
                    Weekday::Thursday,
                    Weekday::Friday,
                    Weekday::Sunday,
                ][self.rng.random_range(0..4)],
            ),
            meeting_time: NaiveTime::from_hms_opt(18, 30, 0),
            time_zone: Some("Europe/Berlin".into()),
            launched_on: Some(launched),
        })
        .map_err(|e| anyhow::anyhow!("demo profile: {e}"))?;
        let community = communities::plant(
            self.db,
            actor,
            NewCommunity {
                id: Uuid::now_v7(),
                organization_id: church,
                profile,
                status: CommunityStatus::Active,
                leader_id: leader,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo community: {e}"))?;
        self.summary.communities += 1;
        let size = self.rng.random_range(6..15);
        for n in 0..size {
            let role = match n {
                0 => MemberRole::Apprentice,
                1 => MemberRole::Host,
                _ => MemberRole::Member,
            };
            let serving = if self.rng.random_bool(0.85) {
                vec![SERVING_ROLES[self.rng.random_range(0..SERVING_ROLES.len())].to_owned()]
            } else {
                Vec::new()
            };
            let joined = launched + Duration::days(self.rng.random_range(0..90));
            self.member(
                community.id,
                role,
                serving,
                joined.min(Utc::now().date_naive()),
            )
            .await?;
        }
        Ok(community.id)
    }

    async fn member(
        &mut self,
        community: Uuid,
        role: MemberRole,
        serving: Vec<String>,
        joined: NaiveDate,
    ) -> anyhow::Result<Uuid> {
        let name = self.person_name();
        let membership = memberships::add(
            self.db,
            NewMembership {
                id: Uuid::now_v7(),
                community_id: community,
                joiner: Joiner::New {
                    display_name: name,
                    email: None,
                    phone: None,
                },
                role,
                serving_roles: serving,
                joined_on: joined,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo member: {e}"))?;
        self.summary.people += 1;
        Ok(membership.person_id)
    }
}
