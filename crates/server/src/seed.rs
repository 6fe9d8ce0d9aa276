//! `oikos seed-demo`: a believable denomination to explore — two regional networks,
//! churches under them, communities with leaders, apprentices, hosts and members who each
//! serve somehow, and demo accounts for every kind of user.

use anyhow::bail;
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use oikos_domain::community::{
    CommunityProfile, CommunityProfileDraft, CommunityStatus, LocationPrivacy, PlaceKind,
    StartMode, Weekday,
};
use oikos_domain::gathering::{GatheringDetails, GatheringDetailsDraft};
use oikos_domain::membership::MemberRole;
use oikos_domain::need::{
    NeedCategory, NeedContent, NeedDraft, NeedOutcome, NeedUrgency, Visibility,
};
use oikos_domain::organization::{OrgRole, OrganizationKind};
use oikos_domain::person::Email;
use oikos_domain::practice::Practice;
use oikos_domain::prayer::PrayerVisibility;
use oikos_persistence::Database;
use oikos_persistence::accounts::{self, NewAccount};
use oikos_persistence::communities::{self, NewCommunity};
use oikos_persistence::gatherings::{self, AttendanceDraft, HeldRecord, NewGathering};
use oikos_persistence::lineage::{self, NewChild};
use oikos_persistence::memberships::{self, Joiner, NewMembership};
use oikos_persistence::needs::{self, NeedClosing, NewNeed};
use oikos_persistence::organizations::{self, NewOrganization};
use oikos_persistence::prayer::{self, NewPrayerRequest};
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
    pub gatherings: usize,
    pub needs: usize,
    pub prayer_requests: usize,
    pub deepest_generation: u32,
    pub accounts: Vec<(String, &'static str)>,
}

impl std::fmt::Display for SeedSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "Seeded {} organizations, {} communities ({} generations deep) and {} people,",
            self.organizations, self.communities, self.deepest_generation, self.people
        )?;
        writeln!(
            f,
            "with {} gatherings over the past year, {} needs and {} prayer requests.",
            self.gatherings, self.needs, self.prayer_requests
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
            gatherings: 0,
            needs: 0,
            prayer_requests: 0,
            deepest_generation: 1,
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
        let mut planted: Vec<Planted> = Vec::new();
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
                    planted.push(self.community(church, admin, leader).await?);
                }
            }
        }
        // Some communities keep the whole grid, some drift into Bible study only.
        for (n, community) in planted.iter().enumerate() {
            let drifted = n % 3 == 2;
            self.year_of_life(community, drifted).await?;
        }
        // The first community's line multiplies down to a fifth generation.
        if let Some(first) = planted.first() {
            self.multiply_line(first, admin, 4).await?;
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

    async fn community(
        &mut self,
        church: Uuid,
        actor: Uuid,
        leader: Uuid,
    ) -> anyhow::Result<Planted> {
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
        let mut planted = Planted {
            id: community.id,
            organization: church,
            leader,
            apprentice: None,
            members: Vec::new(),
        };
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
            let person = self
                .member(
                    community.id,
                    role,
                    serving,
                    joined.min(Utc::now().date_naive()),
                )
                .await?;
            if role == MemberRole::Apprentice {
                planted.apprentice = Some(person);
            } else {
                planted.members.push(person);
            }
        }
        Ok(planted)
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

/// A community the seed made, with the people it needs to write its life.
struct Planted {
    id: Uuid,
    organization: Uuid,
    leader: Uuid,
    apprentice: Option<Uuid>,
    members: Vec<Uuid>,
}

impl Seeder<'_> {
    /// Twelve months of gatherings, a few needs and prayer requests, and next week's supper.
    async fn year_of_life(&mut self, community: &Planted, drifted: bool) -> anyhow::Result<()> {
        let now = Utc::now();
        let mut attendees: Vec<Uuid> = community.members.clone();
        attendees.push(community.leader);
        attendees.extend(community.apprentice);
        for months_ago in (1..=12).rev() {
            let month_start = now - Duration::days(30 * months_ago);
            // Drifted groups stopped serving and partying four months ago.
            let plan: &[&[Practice]] = if drifted && months_ago <= 4 {
                &[
                    &[Practice::Scripture],
                    &[Practice::Scripture, Practice::Prayer],
                ]
            } else {
                &[
                    &[Practice::Scripture, Practice::Meal],
                    &[Practice::Scripture, Practice::Prayer],
                    &[Practice::Service],
                    &[Practice::Party, Practice::Meal],
                ]
            };
            for (week, practices) in plan.iter().enumerate() {
                let starts_at =
                    month_start + Duration::days(7 * week as i64 + 1) + Duration::hours(18);
                let present: Vec<Uuid> = attendees
                    .iter()
                    .copied()
                    .filter(|_| self.rng.random_bool(0.75))
                    .collect();
                let guests = if practices.contains(&Practice::Party)
                    || (!drifted && self.rng.random_bool(0.3))
                {
                    self.rng.random_range(1..8)
                } else {
                    0
                };
                self.gathering(
                    community,
                    community.leader,
                    starts_at,
                    practices,
                    Some((present, guests)),
                )
                .await?;
            }
        }
        let next_week = now + Duration::days(7);
        self.gathering(
            community,
            community.leader,
            next_week,
            &[Practice::Meal, Practice::Scripture],
            None,
        )
        .await?;

        let needs = [
            (
                "Groceries for the Haddad family",
                NeedCategory::Food,
                Visibility::Community,
            ),
            (
                "Homework help for two boys on our street",
                NeedCategory::Tutoring,
                Visibility::Network,
            ),
            (
                "Lifts to the clinic for Mr. Novak",
                NeedCategory::Transport,
                Visibility::Leaders,
            ),
        ];
        for (n, (title, category, visibility)) in needs.into_iter().enumerate() {
            let content = NeedContent::parse(NeedDraft {
                title: title.to_owned(),
                description: None,
                category: Some(category),
                person_of_peace_id: None,
                for_whom: Some("a neighbour".to_owned()),
                neighbourhood: None,
                urgency: Some(NeedUrgency::Normal),
                visibility,
            })
            .map_err(|e| anyhow::anyhow!("demo need: {e}"))?;
            let need = needs::create(
                self.db,
                NewNeed {
                    id: Uuid::now_v7(),
                    community_id: community.id,
                    content,
                    opened_by: community.leader,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo need: {e}"))?;
            self.summary.needs += 1;
            // Healthy groups meet their neighbours' needs; drifted ones leave them open.
            if n == 0 && !drifted {
                let helper = community
                    .members
                    .first()
                    .copied()
                    .unwrap_or(community.leader);
                needs::claim(self.db, need.id, helper)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo claim: {e}"))?;
                needs::close(
                    self.db,
                    need.id,
                    NeedClosing {
                        outcome: NeedOutcome::Met,
                        note: Some("Three of us shopped and cooked for a week".to_owned()),
                        partner_id: None,
                        met_by_gathering_id: None,
                    },
                    community.leader,
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo close: {e}"))?;
            }
        }

        for (n, (body, visibility)) in [
            (
                "For my mother's recovery after surgery",
                PrayerVisibility::Community,
            ),
            ("Wisdom about a job offer", PrayerVisibility::Leaders),
        ]
        .into_iter()
        .enumerate()
        {
            let author = community
                .members
                .get(n)
                .copied()
                .unwrap_or(community.leader);
            let request = prayer::create_request(
                self.db,
                NewPrayerRequest {
                    id: Uuid::now_v7(),
                    community_id: community.id,
                    author_id: author,
                    body: body.to_owned(),
                    visibility,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo prayer: {e}"))?;
            self.summary.prayer_requests += 1;
            if n == 0 && !drifted {
                prayer::mark_answered(
                    self.db,
                    request.id,
                    Some("She is home and walking again".to_owned()),
                )
                .await
                .map_err(|e| anyhow::anyhow!("demo answer: {e}"))?;
            }
        }
        Ok(())
    }

    async fn gathering(
        &mut self,
        community: &Planted,
        actor: Uuid,
        starts_at: chrono::DateTime<Utc>,
        practices: &[Practice],
        held: Option<(Vec<Uuid>, i64)>,
    ) -> anyhow::Result<()> {
        let details = GatheringDetails::parse(
            GatheringDetailsDraft {
                title: None,
                starts_at,
                ends_at: Some(starts_at + Duration::hours(2)),
                place_kind: None,
                place_description: None,
                plan: None,
                practices: practices.to_vec(),
            },
            PlaceKind::Home,
        )
        .map_err(|e| anyhow::anyhow!("demo gathering: {e}"))?;
        gatherings::create(
            self.db,
            actor,
            NewGathering {
                id: Uuid::now_v7(),
                community_id: community.id,
                details,
                held: held.map(|(present, guests)| HeldRecord {
                    notes: None,
                    attendance: AttendanceDraft {
                        present_member_ids: present,
                        guest_ids: Vec::new(),
                        anonymous_guests: guests,
                    },
                }),
            },
            Utc::now(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo gathering: {e}"))?;
        self.summary.gatherings += 1;
        Ok(())
    }

    /// Multiplies `from` into a child led by its apprentice, then the child (grown with
    /// new members and an apprentice of its own) into a grandchild, `generations` times.
    async fn multiply_line(
        &mut self,
        from: &Planted,
        actor: Uuid,
        generations: u32,
    ) -> anyhow::Result<()> {
        let mut parent = Planted {
            id: from.id,
            organization: from.organization,
            leader: from.leader,
            apprentice: from.apprentice,
            members: from.members.clone(),
        };
        for generation in 2..=generations + 1 {
            let Some(apprentice) = parent.apprentice else {
                break;
            };
            let going: Vec<Uuid> = parent.members.iter().copied().take(2).collect();
            let name = format!(
                "{} Generation {generation}",
                NEIGHBOURHOODS[(generation as usize + 5) % NEIGHBOURHOODS.len()]
            );
            let profile = CommunityProfile::parse(CommunityProfileDraft {
                name,
                vision: Some(
                    "Sharing life with the neighbours our parent group could not reach".into(),
                ),
                start_mode: Some(StartMode::MissionFirst),
                time_zone: Some("Europe/Berlin".into()),
                launched_on: Some(
                    Utc::now().date_naive() - Duration::days(i64::from(6 - generation) * 30),
                ),
                ..Default::default()
            })
            .map_err(|e| anyhow::anyhow!("demo child: {e}"))?;
            let made = lineage::multiply(
                self.db,
                actor,
                NewChild {
                    id: Uuid::now_v7(),
                    parent_id: parent.id,
                    organization_id: parent.organization,
                    profile,
                    status: CommunityStatus::Active,
                    leader_ids: vec![apprentice],
                    member_ids: going.clone(),
                    multiplied_on: Utc::now().date_naive(),
                    notes: Some("Sent with a meal and a blessing".into()),
                    requested_at: Utc::now(),
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo multiplication: {e}"))?;
            self.summary.communities += 1;
            self.summary.deepest_generation = self
                .summary
                .deepest_generation
                .max(made.child.lineage.generation);
            let mut child = Planted {
                id: made.child.id,
                organization: parent.organization,
                leader: apprentice,
                apprentice: None,
                members: going,
            };
            let today = Utc::now().date_naive();
            child.apprentice = Some(
                self.member(
                    child.id,
                    MemberRole::Apprentice,
                    vec!["hosting".into()],
                    today,
                )
                .await?,
            );
            for _ in 0..4 {
                let person = self
                    .member(child.id, MemberRole::Member, vec!["cooking".into()], today)
                    .await?;
                child.members.push(person);
            }
            parent = child;
        }
        Ok(())
    }
}
