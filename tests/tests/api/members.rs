//! Members: inviting by email, adding known people, who may manage members, the rule
//! that an active community keeps a leader, serving roles and retry-safe adds.

use oikos_tests::{Session, TestApp, str_at, uuid_at};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{PASSWORD, bad_input, refused};

const INVITE: &str = "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { id role communityId servingRoles person { id displayName email } } }";
const ADD: &str = "mutation($input: AddMemberInput!) { addMember(input: $input) { id role servingRoles joinedOn leftOn person { id } } }";
const REMOVE: &str =
    "mutation($input: RemoveMemberInput!) { removeMember(input: $input) { id leftOn } }";
const CHANGE_ROLE: &str =
    "mutation($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { id role } }";
const SERVING: &str = "mutation($input: SetServingRolesInput!) { setServingRoles(input: $input) { id servingRoles } }";
const MEMBERS: &str = "query($id: UUID!) { community(id: $id) { memberCount members { id role servingRoles leftOn person { id } } } }";

/// A leader (also the organization's admin) with an ACTIVE community.
async fn community(app: &TestApp) -> (Session, Uuid, Uuid) {
    let leader = app.sign_up("Leader").await;
    let org = app.create_org(&leader, "CHURCH", "Harbour", None).await;
    let community = app.plant(&leader, org, "Elm Street").await;
    (leader, org, community)
}

async fn members(app: &TestApp, viewer: &Session, community: Uuid) -> Value {
    app.ok(Some(&viewer.token), MEMBERS, json!({ "id": community }))
        .await["community"]
        .clone()
}

/// The id of `person`'s current membership.
async fn membership_of(app: &TestApp, viewer: &Session, community: Uuid, person: Uuid) -> Uuid {
    let data = members(app, viewer, community).await;
    let found = data["members"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["person"]["id"] == json!(person))
        .unwrap_or_else(|| panic!("{person} is not a member: {data:#}"));
    uuid_at(found, "/id")
}

async fn an_invited_person_finds_their_community_after_signing_up(app: TestApp) {
    let (leader, _, community) = community(&app).await;
    let typed = format!("Ruth.Meyer-{}@Example.ORG", Uuid::new_v4().simple());
    let data = app
        .ok(
            Some(&leader.token),
            INVITE,
            json!({ "input": { "communityId": community, "displayName": "Ruth Meyer",
                               "email": typed, "role": "HOST", "servingRoles": ["hospitality"],
                               "joinedOn": "2024-03-01" } }),
        )
        .await;
    let invited = &data["inviteMember"];
    assert_eq!(invited["role"], "HOST");
    assert_eq!(invited["communityId"], json!(community));
    assert_eq!(invited["person"]["displayName"], "Ruth Meyer");
    let ruth = uuid_at(invited, "/person/id");
    assert_eq!(app.count_rows("persons").await, 2);
    assert_eq!(
        app.count_rows("accounts").await,
        1,
        "an invitee has no account"
    );

    let signed_up = app
        .ok(
            None,
            "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken person { id } } }",
            json!({ "input": { "displayName": "Ruth", "email": typed.to_lowercase(),
                               "password": PASSWORD } }),
        )
        .await;
    assert_eq!(uuid_at(&signed_up, "/signUp/person/id"), ruth);
    assert_eq!(
        app.count_rows("persons").await,
        2,
        "the same person, not a second"
    );
    assert_eq!(app.count_rows("accounts").await, 2);

    let token = str_at(&signed_up, "/signUp/accessToken");
    let me = app
        .ok(
            Some(&token),
            "{ me { person { id } memberships { role servingRoles community { id name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["me"],
        json!({ "person": { "id": ruth },
                "memberships": [{ "role": "HOST", "servingRoles": ["hospitality"],
                                  "community": { "id": community, "name": "Elm Street" } }] })
    );
}

async fn a_known_person_is_added_once(app: TestApp) {
    let (leader, _, community) = community(&app).await;
    let paul = app.sign_up("Paul").await;
    let input = json!({ "input": { "communityId": community, "personId": paul.person_id,
                                   "role": "APPRENTICE", "joinedOn": "2024-02-01" } });
    let data = app.ok(Some(&leader.token), ADD, input.clone()).await;
    assert_eq!(data["addMember"]["role"], "APPRENTICE");
    assert_eq!(data["addMember"]["person"]["id"], json!(paul.person_id));
    assert_eq!(data["addMember"]["leftOn"], json!(null));
    assert_eq!(app.count_rows("memberships").await, 2);

    refused(&app, Some(&leader.token), ADD, input, "CONFLICT").await;
    bad_input(
        &app,
        Some(&leader.token),
        ADD,
        json!({ "input": { "communityId": community, "personId": Uuid::new_v4() } }),
        "personId",
    )
    .await;
    refused(
        &app,
        Some(&leader.token),
        ADD,
        json!({ "input": { "communityId": Uuid::new_v4(), "personId": paul.person_id } }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(app.count_rows("memberships").await, 2);

    let me = app
        .ok(
            Some(&paul.token),
            "{ me { memberships { role community { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["me"]["memberships"],
        json!([{ "role": "APPRENTICE", "community": { "id": community } }])
    );
}

async fn only_those_who_manage_a_community_add_to_it(app: TestApp) {
    let (leader, org, community) = community(&app).await;
    let member = app.sign_up("Member").await;
    app.add_member(&leader, community, member.person_id, "MEMBER")
        .await;
    let coach = app.sign_up("Coach").await;
    app.grant(&leader, org, coach.person_id, "COACH").await;
    let newcomer = app.sign_up("Newcomer").await;
    let add = json!({ "input": { "communityId": community, "personId": newcomer.person_id } });
    let invite = json!({ "input": { "communityId": community, "displayName": "Guest" } });
    let persons = app.count_rows("persons").await;
    let memberships = app.count_rows("memberships").await;

    for (who, code) in [
        (&member, "FORBIDDEN"),
        (&coach, "FORBIDDEN"),
        (&newcomer, "NOT_FOUND"),
    ] {
        refused(&app, Some(&who.token), ADD, add.clone(), code).await;
        refused(&app, Some(&who.token), INVITE, invite.clone(), code).await;
    }
    refused(&app, None, ADD, add, "UNAUTHENTICATED").await;
    assert_eq!(app.count_rows("persons").await, persons);
    assert_eq!(app.count_rows("memberships").await, memberships);
}

async fn an_active_community_keeps_a_leader(app: TestApp) {
    let (leader, _, community) = community(&app).await;
    let own = membership_of(&app, &leader, community, leader.person_id).await;

    bad_input(
        &app,
        Some(&leader.token),
        REMOVE,
        json!({ "input": { "membershipId": own } }),
        "membershipId",
    )
    .await;
    bad_input(
        &app,
        Some(&leader.token),
        CHANGE_ROLE,
        json!({ "input": { "membershipId": own, "role": "MEMBER" } }),
        "role",
    )
    .await;
    let data = members(&app, &leader, community).await;
    assert_eq!(data["memberCount"], 1);
    assert_eq!(data["members"][0]["id"], json!(own));
    assert_eq!(data["members"][0]["role"], "LEADER");
    assert_eq!(data["members"][0]["leftOn"], json!(null));

    for (query, input) in [
        (REMOVE, json!({ "membershipId": Uuid::new_v4() })),
        (
            CHANGE_ROLE,
            json!({ "membershipId": Uuid::new_v4(), "role": "MEMBER" }),
        ),
    ] {
        refused(
            &app,
            Some(&leader.token),
            query,
            json!({ "input": input }),
            "NOT_FOUND",
        )
        .await;
    }

    // With a second leader, the first may step down.
    let second = app.sign_up("Second").await;
    let theirs = app
        .add_member(&leader, community, second.person_id, "LEADER")
        .await;
    let data = app
        .ok(
            Some(&leader.token),
            REMOVE,
            json!({ "input": { "membershipId": own } }),
        )
        .await;
    assert!(data["removeMember"]["leftOn"].is_string());
    // The first leader administers the organization and still sees the community.
    let data = members(&app, &leader, community).await;
    assert_eq!(
        data["members"],
        json!([{ "id": theirs, "role": "LEADER", "servingRoles": [], "leftOn": null,
                 "person": { "id": second.person_id } }])
    );
    refused(
        &app,
        Some(&leader.token),
        REMOVE,
        json!({ "input": { "membershipId": own } }),
        "CONFLICT",
    )
    .await;
    // Now the second leader is the only one.
    bad_input(
        &app,
        Some(&second.token),
        CHANGE_ROLE,
        json!({ "input": { "membershipId": theirs, "role": "APPRENTICE" } }),
        "role",
    )
    .await;
}

async fn members_set_their_own_serving_roles(app: TestApp) {
    let (leader, _, community) = community(&app).await;
    let ana = app.sign_up("Ana").await;
    let ben = app.sign_up("Ben").await;
    let anas = app
        .add_member(&leader, community, ana.person_id, "MEMBER")
        .await;
    app.add_member(&leader, community, ben.person_id, "MEMBER")
        .await;

    let data = app
        .ok(
            Some(&ana.token),
            SERVING,
            json!({ "input": { "membershipId": anas,
                               "servingRoles": ["Cooking", " cooking ", "Music", "MUSIC",
                                                "Küche", "KÜCHE"] } }),
        )
        .await;
    assert_eq!(
        data["setServingRoles"]["servingRoles"],
        json!(["Cooking", "Music", "Küche"])
    );

    refused(
        &app,
        Some(&ben.token),
        SERVING,
        json!({ "input": { "membershipId": anas, "servingRoles": ["Dishes"] } }),
        "FORBIDDEN",
    )
    .await;
    let stranger = app.sign_up("Stranger").await;
    refused(
        &app,
        Some(&stranger.token),
        SERVING,
        json!({ "input": { "membershipId": anas, "servingRoles": ["Dishes"] } }),
        "NOT_FOUND",
    )
    .await;
    bad_input(
        &app,
        Some(&ana.token),
        SERVING,
        json!({ "input": { "membershipId": anas, "servingRoles": ["x".repeat(61)] } }),
        "servingRoles",
    )
    .await;
    let data = members(&app, &leader, community).await;
    let anas_now = data["members"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["id"] == json!(anas))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        anas_now["servingRoles"],
        json!(["Cooking", "Music", "Küche"])
    );

    // Leaders set anyone's.
    let data = app
        .ok(
            Some(&leader.token),
            SERVING,
            json!({ "input": { "membershipId": anas, "servingRoles": ["Prayer"] } }),
        )
        .await;
    assert_eq!(data["setServingRoles"]["servingRoles"], json!(["Prayer"]));
}

async fn a_retried_add_with_the_same_id_is_the_same_membership(app: TestApp) {
    let (leader, _, community) = community(&app).await;
    let paul = app.sign_up("Paul").await;
    let id = Uuid::new_v4();
    let input = json!({ "input": { "id": id, "communityId": community, "personId": paul.person_id,
                                   "role": "MEMBER", "servingRoles": ["music"],
                                   "joinedOn": "2024-02-01" } });
    let first = app.ok(Some(&leader.token), ADD, input.clone()).await;
    let again = app.ok(Some(&leader.token), ADD, input).await;
    assert_eq!(uuid_at(&first, "/addMember/id"), id);
    assert_eq!(first, again);
    assert_eq!(app.count_rows("memberships").await, 2);

    let other = app.sign_up("Other").await;
    for different in [
        json!({ "id": id, "communityId": community, "personId": other.person_id }),
        json!({ "id": id, "communityId": community, "personId": paul.person_id, "role": "HOST" }),
    ] {
        refused(
            &app,
            Some(&leader.token),
            ADD,
            json!({ "input": different }),
            "CONFLICT",
        )
        .await;
    }
    assert_eq!(app.count_rows("memberships").await, 2);

    // An invitation retried creates neither a second membership nor a second person.
    let invitation = Uuid::new_v4();
    let input = json!({ "input": { "id": invitation, "communityId": community,
                                   "displayName": "Guest", "email": "guest@example.org" } });
    let persons = app.count_rows("persons").await;
    let first = app.ok(Some(&leader.token), INVITE, input.clone()).await;
    let again = app.ok(Some(&leader.token), INVITE, input).await;
    assert_eq!(uuid_at(&first, "/inviteMember/id"), invitation);
    assert_eq!(first, again);
    assert_eq!(app.count_rows("persons").await, persons + 1);
    assert_eq!(app.count_rows("memberships").await, 3);
}

oikos_tests::on_both_databases!(
    an_invited_person_finds_their_community_after_signing_up,
    a_known_person_is_added_once,
    only_those_who_manage_a_community_add_to_it,
    an_active_community_keeps_a_leader,
    members_set_their_own_serving_roles,
    a_retried_add_with_the_same_id_is_the_same_membership,
);
