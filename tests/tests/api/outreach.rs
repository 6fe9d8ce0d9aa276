//! The cast of the outreach tests: one community and everyone who may or may not see
//! into it, from its leader to a stranger.

use oikos_tests::serde_json::{Value, json};
use oikos_tests::{Session, TestApp, uuid_at};
use uuid::Uuid;

pub struct Cast {
    /// ADMIN of the network (founded it); not a member anywhere.
    pub admin: Session,
    pub leader: Session,
    pub member: Session,
    /// A second member, who wrote nothing.
    pub other_member: Session,
    /// COACH on the network.
    pub coach: Session,
    /// REPORTER on the network.
    pub reporter: Session,
    /// Signed up, nothing else.
    pub stranger: Session,
    /// Member of another community of the same network organization.
    pub neighbour: Session,
    /// Member of a community of a church below the network.
    pub cousin: Session,
    /// Member of a community of another denomination altogether.
    pub outsider: Session,
    pub network: Uuid,
    pub church: Uuid,
    /// The community under test, in the network organization.
    pub community: Uuid,
    /// The neighbour's community, in the network organization too.
    pub neighbour_community: Uuid,
    /// The cousin's community, in the church below the network.
    pub cousin_community: Uuid,
}

/// Plants an ACTIVE community in `org` (by an admin or coach) led by `leader`.
pub async fn plant_led(app: &TestApp, by: &Session, org: Uuid, name: &str, leader: Uuid) -> Uuid {
    let data = app
        .ok(
            Some(&by.token),
            "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }",
            json!({ "input": { "organizationId": org, "name": name, "status": "ACTIVE",
                               "timeZone": "Europe/Berlin", "launchedOn": "2024-01-15",
                               "leaderId": leader } }),
        )
        .await;
    uuid_at(&data, "/createCommunity/id")
}

pub async fn cast(app: &TestApp) -> Cast {
    let admin = app.sign_up("Ada Admin").await;
    let leader = app.sign_up("Lena Leader").await;
    let member = app.sign_up("Milo Member").await;
    let other_member = app.sign_up("Olga Member").await;
    let coach = app.sign_up("Cem Coach").await;
    let reporter = app.sign_up("Rita Reporter").await;
    let stranger = app.sign_up("Stan Stranger").await;
    let neighbour = app.sign_up("Nora Neighbour").await;
    let cousin = app.sign_up("Kai Cousin").await;
    let outsider = app.sign_up("Otto Outsider").await;
    let network = app
        .create_org(&admin, "NETWORK", "North Network", None)
        .await;
    let church = app
        .create_org(&admin, "CHURCH", "St Mark", Some(network))
        .await;
    app.grant(&admin, network, coach.person_id, "COACH").await;
    app.grant(&admin, network, reporter.person_id, "REPORTER")
        .await;
    let community = plant_led(app, &admin, network, "Elm Street", leader.person_id).await;
    app.add_member(&leader, community, member.person_id, "MEMBER")
        .await;
    app.add_member(&leader, community, other_member.person_id, "HOST")
        .await;
    let neighbour_community =
        plant_led(app, &admin, network, "Oak Park", neighbour.person_id).await;
    let cousin_community = plant_led(app, &admin, church, "Birch Lane", cousin.person_id).await;
    let elsewhere = app
        .create_org(&outsider, "DENOMINATION", "Elsewhere", None)
        .await;
    app.plant(&outsider, elsewhere, "Far Away").await;
    Cast {
        admin,
        leader,
        member,
        other_member,
        coach,
        reporter,
        stranger,
        neighbour,
        cousin,
        outsider,
        network,
        church,
        community,
        neighbour_community,
        cousin_community,
    }
}

/// The values of `field` on the nodes of the connection at `pointer`.
pub fn nodes(data: &Value, pointer: &str, field: &str) -> Vec<String> {
    data.pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no edges at {pointer} in {data:#}"))
        .iter()
        .map(|edge| {
            edge["node"][field]
                .as_str()
                .unwrap_or_else(|| panic!("no {field} in {edge:#}"))
                .to_owned()
        })
        .collect()
}

/// Everything a bad request could have written to, for "nothing was written" checks.
pub async fn outreach_rows(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "persons",
        "memberships",
        "people_of_peace",
        "partners",
        "needs",
        "need_claims",
        "need_events",
        "prayer_requests",
        "prayer_walks",
        "prayer_walk_walkers",
        "prayer_walk_needs",
        "prayer_walk_people",
        "discernment_notes",
    ] {
        counts.push(app.count_rows(table).await);
    }
    counts
}

pub const CREATE_PERSON_OF_PEACE: &str = "mutation($input: CreatePersonOfPeaceInput!) { \
    createPersonOfPeace(input: $input) { id stage person { id displayName email phone } } }";

pub const CREATE_NEED: &str = "mutation($input: CreateNeedInput!) { \
    createNeed(input: $input) { id title status visibility } }";

/// A need opened by `by` with the given visibility; returns its id.
pub async fn need(
    app: &TestApp,
    by: &Session,
    community: Uuid,
    title: &str,
    visibility: &str,
) -> Uuid {
    let data = app
        .ok(
            Some(&by.token),
            CREATE_NEED,
            json!({ "input": { "communityId": community, "title": title,
                               "category": "FOOD", "visibility": visibility } }),
        )
        .await;
    uuid_at(&data, "/createNeed/id")
}

pub const CREATE_PARTNER: &str = "mutation($input: CreatePartnerInput!) { \
    createPartner(input: $input) { id name status contactEmail } }";

pub async fn partner(app: &TestApp, by: &Session, community: Uuid, name: &str) -> Uuid {
    let data = app
        .ok(
            Some(&by.token),
            CREATE_PARTNER,
            json!({ "input": { "communityId": community, "name": name } }),
        )
        .await;
    uuid_at(&data, "/createPartner/id")
}
