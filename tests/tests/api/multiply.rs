//! Multiplication: a community starts a child, in one transaction, even when two
//! multiplications race for the same people or the same parent.

use oikos_tests::serde_json::{Value, json};
use oikos_tests::{Session, TestApp, uuid_at};
use uuid::Uuid;

pub const MULTIPLY: &str = "mutation($input: MultiplyCommunityInput!) { multiplyCommunity(input: $input) { \
    child { id name generation parentId streamRootId organizationId status } \
    event { id multipliedOn ready readinessAssessed readinessCriteria { kind passed reason } parent { name generation } child { name generation } } } }";

/// Adds someone new (a name, no account) to a community; returns the person's id.
pub async fn invite(
    app: &TestApp,
    s: &Session,
    community: Uuid,
    name: &str,
    role: &str,
    joined_on: &str,
) -> Uuid {
    let data = app
        .ok(
            Some(&s.token),
            "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { person { id } } }",
            json!({ "input": { "communityId": community, "displayName": name, "role": role,
                               "joinedOn": joined_on } }),
        )
        .await;
    uuid_at(&data, "/inviteMember/person/id")
}

/// Starts an ACTIVE child of `parent` led by `leader` (a member of the parent); returns
/// the child's id.
pub async fn multiply(
    app: &TestApp,
    s: &Session,
    parent: Uuid,
    name: &str,
    leader: Uuid,
    on: &str,
) -> Uuid {
    let data = app
        .ok(
            Some(&s.token),
            MULTIPLY,
            json!({ "input": { "parentId": parent, "name": name, "leaderIds": [leader],
                               "multipliedOn": on, "status": "ACTIVE" } }),
        )
        .await;
    uuid_at(&data, "/multiplyCommunity/child/id")
}

/// Members of a community as (name, role), leaders first.
pub async fn members(app: &TestApp, s: &Session, community: Uuid) -> Vec<(String, String)> {
    let data = app
        .ok(
            Some(&s.token),
            "query($id: ID!) { community(id: $id) { members { role person { displayName } } } }",
            json!({ "id": community }),
        )
        .await;
    data["community"]["members"]
        .as_array()
        .unwrap_or_else(|| panic!("no members in {data:#}"))
        .iter()
        .map(|m| {
            (
                m["person"]["displayName"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                m["role"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

async fn multiplying_moves_the_people_who_go_and_records_the_event(app: TestApp) {
    let leader = app.sign_up("Lea").await;
    let org = app.create_org(&leader, "CHURCH", "St Anne", None).await;
    let parent = app.plant(&leader, org, "Elm Street").await;
    let apprentice = invite(&app, &leader, parent, "Maria", "APPRENTICE", "2024-02-01").await;
    let host = invite(&app, &leader, parent, "Hal", "HOST", "2024-02-01").await;
    invite(&app, &leader, parent, "Sam", "MEMBER", "2024-02-01").await;
    let memberships_before = app.count_rows("memberships").await;

    let data = app
        .ok(
            Some(&leader.token),
            MULTIPLY,
            json!({ "input": { "parentId": parent, "name": "Oak Lane", "leaderIds": [apprentice],
                               "memberIds": [host], "multipliedOn": "2025-03-01",
                               "notes": "sent out with joy", "status": "ACTIVE" } }),
        )
        .await;
    let child = &data["multiplyCommunity"]["child"];
    let child_id = uuid_at(child, "/id");
    assert_eq!(child["generation"], 2);
    assert_eq!(child["parentId"], json!(parent));
    assert_eq!(child["streamRootId"], json!(parent));
    assert_eq!(child["organizationId"], json!(org));
    assert_eq!(child["status"], "ACTIVE");
    let event = &data["multiplyCommunity"]["event"];
    assert_eq!(event["multipliedOn"], "2025-03-01");
    // A new group is allowed to multiply before it is ready; the event says how ready.
    assert_eq!(event["readinessAssessed"], true);
    assert_eq!(event["ready"], false);
    assert_eq!(event["readinessCriteria"].as_array().map(Vec::len), Some(6));
    assert_eq!(
        event["parent"],
        json!({ "name": "Elm Street", "generation": 1 })
    );
    assert_eq!(
        event["child"],
        json!({ "name": "Oak Lane", "generation": 2 })
    );

    assert_eq!(
        members(&app, &leader, child_id).await,
        pairs(&[("Maria", "LEADER"), ("Hal", "HOST")])
    );
    assert_eq!(
        members(&app, &leader, parent).await,
        pairs(&[("Lea", "LEADER"), ("Sam", "MEMBER")])
    );
    // Moving ends the old memberships and starts new ones: history is kept.
    assert_eq!(app.count_rows("memberships").await, memberships_before + 2);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM memberships WHERE left_on IS NOT NULL")
            .await,
        2
    );
    assert_eq!(app.count_rows("multiplication_events").await, 1);

    let data = app
        .ok(
            Some(&leader.token),
            "query($p: ID!, $c: ID!) {
               parent: community(id: $p) { lineage { children { name generation }
                 multiplications { multipliedOn notes recordedBy { displayName } child { name } } } }
               child: community(id: $c) { lineage { ancestors { name generation }
                 startedFrom { parent { name } } } } }",
            json!({ "p": parent, "c": child_id }),
        )
        .await;
    assert_eq!(
        data["parent"]["lineage"]["children"],
        json!([{ "name": "Oak Lane", "generation": 2 }])
    );
    assert_eq!(
        data["parent"]["lineage"]["multiplications"],
        json!([{ "multipliedOn": "2025-03-01", "notes": "sent out with joy",
                 "recordedBy": { "displayName": "Lea" }, "child": { "name": "Oak Lane" } }])
    );
    assert_eq!(
        data["child"]["lineage"]["ancestors"],
        json!([{ "name": "Elm Street", "generation": 1 }])
    );
    assert_eq!(
        data["child"]["lineage"]["startedFrom"]["parent"]["name"],
        "Elm Street"
    );
}

async fn a_retried_multiplication_returns_the_same_child(app: TestApp) {
    let leader = app.sign_up("Lea").await;
    let org = app.create_org(&leader, "CHURCH", "St Anne", None).await;
    let parent = app.plant(&leader, org, "Elm Street").await;
    let apprentice = invite(&app, &leader, parent, "Maria", "APPRENTICE", "2024-02-01").await;
    let id = Uuid::now_v7();
    let input = json!({ "input": { "id": id, "parentId": parent, "name": "Oak Lane",
                                   "leaderIds": [apprentice], "multipliedOn": "2025-03-01" } });
    let first = app.ok(Some(&leader.token), MULTIPLY, input.clone()).await;
    let again = app.ok(Some(&leader.token), MULTIPLY, input).await;
    assert_eq!(first, again);
    assert_eq!(uuid_at(&first, "/multiplyCommunity/child/id"), id);
    assert_eq!(app.count_rows("communities").await, 2);

    let other = json!({ "input": { "id": id, "parentId": parent, "name": "Pine Hill",
                                   "leaderIds": [apprentice], "multipliedOn": "2025-03-01" } });
    app.fails(Some(&leader.token), MULTIPLY, other, "CONFLICT")
        .await;
    assert_eq!(app.count_rows("communities").await, 2);
}

async fn counts(app: &TestApp) -> [i64; 4] {
    [
        app.count_rows("communities").await,
        app.count_rows("memberships").await,
        app.count_rows("multiplication_events").await,
        app.count_rows("lineage_links").await,
    ]
}

async fn bad_multiplications_are_refused_and_change_nothing(app: TestApp) {
    let leader = app.sign_up("Lea").await;
    let org = app.create_org(&leader, "CHURCH", "St Anne", None).await;
    let parent = app.plant(&leader, org, "Elm Street").await;
    let apprentice = invite(&app, &leader, parent, "Maria", "APPRENTICE", "2024-02-01").await;
    let member = invite(&app, &leader, parent, "Sam", "MEMBER", "2024-02-01").await;

    let closed = app.plant(&leader, org, "Birch Court").await;
    let closed_apprentice = invite(&app, &leader, closed, "Cleo", "APPRENTICE", "2024-02-01").await;
    app.ok(
        Some(&leader.token),
        "mutation($input: CloseCommunityInput!) { closeCommunity(input: $input) { id } }",
        json!({ "input": { "id": closed, "reason": "moved away", "closedOn": "2025-01-01" } }),
    )
    .await;
    let data = app
        .ok(
            Some(&leader.token),
            "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }",
            json!({ "input": { "organizationId": org, "name": "Pine Hill", "status": "FORMING" } }),
        )
        .await;
    let forming = uuid_at(&data, "/createCommunity/id");
    let forming_member = invite(&app, &leader, forming, "Fay", "MEMBER", "2024-02-01").await;
    let outsider = app.sign_up("Otto").await;
    let elsewhere = app.create_org(&outsider, "CHURCH", "Elsewhere", None).await;

    let before = counts(&app).await;
    let child = |extra: Value| {
        let mut input = json!({ "parentId": parent, "name": "Oak Lane", "leaderIds": [apprentice],
                                "multipliedOn": "2025-03-01" });
        if let (Some(base), Some(more)) = (input.as_object_mut(), extra.as_object()) {
            for (k, v) in more {
                base.insert(k.clone(), v.clone());
            }
        }
        json!({ "input": input })
    };
    let cases = [
        (
            json!({ "parentId": closed, "leaderIds": [closed_apprentice] }),
            "parentId",
        ),
        (
            json!({ "parentId": forming, "leaderIds": [forming_member] }),
            "parentId",
        ),
        (json!({ "leaderIds": [outsider.person_id] }), "leaderIds"),
        (json!({ "leaderIds": [leader.person_id] }), "leaderIds"),
        (json!({ "leaderIds": [] }), "leaderIds"),
        (json!({ "memberIds": [member, apprentice] }), "memberIds"),
        (json!({ "memberIds": [member, member] }), "memberIds"),
        (json!({ "multipliedOn": "2999-01-01" }), "multipliedOn"),
        (json!({ "multipliedOn": "2024-01-20" }), "multipliedOn"),
        (json!({ "name": "  " }), "name"),
        (json!({ "status": "CLOSED" }), "status"),
        (json!({ "organizationId": elsewhere }), "organizationId"),
    ];
    for (extra, field) in cases {
        let error = app
            .fails(
                Some(&leader.token),
                MULTIPLY,
                child(extra.clone()),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{extra}: {error:#}");
    }
    assert_eq!(counts(&app).await, before);
    assert_eq!(
        members(&app, &leader, parent).await,
        pairs(&[
            ("Lea", "LEADER"),
            ("Maria", "APPRENTICE"),
            ("Sam", "MEMBER")
        ])
    );
}

async fn only_leaders_and_overseers_multiply(app: TestApp) {
    let leader = app.sign_up("Lea").await;
    let org = app.create_org(&leader, "CHURCH", "St Anne", None).await;
    let parent = app.plant(&leader, org, "Elm Street").await;
    let apprentice = invite(&app, &leader, parent, "Maria", "APPRENTICE", "2024-02-01").await;
    let member = app.sign_up("Mo").await;
    app.add_member(&leader, parent, member.person_id, "MEMBER")
        .await;
    let reporter = app.sign_up("Rita").await;
    app.grant(&leader, org, reporter.person_id, "REPORTER")
        .await;
    let coach = app.sign_up("Cal").await;
    app.grant(&leader, org, coach.person_id, "COACH").await;
    let stranger = app.sign_up("Stan").await;
    let input = json!({ "input": { "parentId": parent, "name": "Oak Lane",
                                   "leaderIds": [apprentice], "multipliedOn": "2025-03-01" } });

    app.fails(Some(&stranger.token), MULTIPLY, input.clone(), "NOT_FOUND")
        .await;
    app.fails(Some(&member.token), MULTIPLY, input.clone(), "FORBIDDEN")
        .await;
    app.fails(Some(&reporter.token), MULTIPLY, input.clone(), "FORBIDDEN")
        .await;
    app.fails(None, MULTIPLY, input.clone(), "UNAUTHENTICATED")
        .await;
    assert_eq!(app.count_rows("multiplication_events").await, 0);
    let data = app.ok(Some(&coach.token), MULTIPLY, input).await;
    assert_eq!(data["multiplyCommunity"]["child"]["generation"], 2);
}

async fn a_child_may_belong_to_another_church_and_each_side_sees_only_its_own(app: TestApp) {
    let leader = app.sign_up("Lea").await;
    let first_church = app.create_org(&leader, "CHURCH", "St Anne", None).await;
    let parent = app.plant(&leader, first_church, "Elm Street").await;
    let apprentice = app.sign_up("Maria").await;
    app.add_member(&leader, parent, apprentice.person_id, "APPRENTICE")
        .await;
    let other_admin = app.sign_up("Yusuf").await;
    let second_church = app
        .create_org(&other_admin, "CHURCH", "Harbour Church", None)
        .await;
    let input = json!({ "input": { "parentId": parent, "organizationId": second_church,
                                   "name": "Harbour Light", "leaderIds": [apprentice.person_id],
                                   "multipliedOn": "2025-03-01" } });

    let error = app
        .fails(
            Some(&leader.token),
            MULTIPLY,
            input.clone(),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "organizationId");
    app.grant(&other_admin, second_church, leader.person_id, "COACH")
        .await;
    let data = app.ok(Some(&leader.token), MULTIPLY, input).await;
    let child = uuid_at(&data, "/multiplyCommunity/child/id");
    assert_eq!(
        data["multiplyCommunity"]["child"]["organizationId"],
        json!(second_church)
    );

    let ancestors = "query($id: ID!) { community(id: $id) { lineage { ancestors {
        name generation status community { id members { role } } } } } }";
    for viewer in [&other_admin, &apprentice] {
        let data = app
            .ok(Some(&viewer.token), ancestors, json!({ "id": child }))
            .await;
        assert_eq!(
            data["community"]["lineage"]["ancestors"],
            json!([{ "name": "Elm Street", "generation": 1, "status": "ACTIVE", "community": null }]),
            "the parent's side is not theirs to see"
        );
    }
    app.fails(
        Some(&other_admin.token),
        "query($id: ID!) { community(id: $id) { name } }",
        json!({ "id": parent }),
        "NOT_FOUND",
    )
    .await;
    let children =
        "query($id: ID!) { community(id: $id) { lineage { children { name community { id } } } } }";
    let data = app
        .ok(Some(&leader.token), children, json!({ "id": parent }))
        .await;
    assert_eq!(
        data["community"]["lineage"]["children"],
        json!([{ "name": "Harbour Light", "community": { "id": child } }])
    );
}

/// Nobody is a current member of two children of one parent, or of a child and its
/// parent at once; every child is whole (event, link, a leader); every active community
/// keeps a leader.
async fn assert_lineage_invariants(app: &TestApp) {
    let checks = [
        (
            "a person in two children of one parent",
            "SELECT COUNT(*) AS n FROM (SELECT m.person_id FROM memberships m \
             JOIN communities c ON c.id = m.community_id \
             WHERE m.left_on IS NULL AND c.parent_id IS NOT NULL \
             GROUP BY m.person_id, c.parent_id HAVING COUNT(*) > 1) x",
        ),
        (
            "a person in a child and its parent",
            "SELECT COUNT(*) AS n FROM memberships mc JOIN communities c ON c.id = mc.community_id \
             JOIN memberships mp ON mp.community_id = c.parent_id AND mp.person_id = mc.person_id \
             WHERE mc.left_on IS NULL AND mp.left_on IS NULL",
        ),
        (
            "a half-made child",
            "SELECT COUNT(*) AS n FROM communities c WHERE c.parent_id IS NOT NULL AND ( \
             NOT EXISTS (SELECT 1 FROM multiplication_events e WHERE e.child_id = c.id) \
             OR NOT EXISTS (SELECT 1 FROM lineage_links l WHERE l.community_id = c.id) \
             OR NOT EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = c.id \
                            AND m.left_on IS NULL AND m.role = 'LEADER'))",
        ),
        (
            "an active community without a leader",
            "SELECT COUNT(*) AS n FROM communities c WHERE c.status = 'ACTIVE' AND NOT EXISTS \
             (SELECT 1 FROM memberships m WHERE m.community_id = c.id AND m.left_on IS NULL \
              AND m.role = 'LEADER')",
        ),
    ];
    for (what, sql) in checks {
        assert_eq!(app.scalar(sql).await, 0, "found {what}");
    }
}

/// Runs two multiplications at once; exactly one may win, the other must be a CONFLICT.
async fn race(app: &TestApp, s: &Session, a: Value, b: Value) {
    let (first, second) = tokio::join!(
        app.gql(Some(&s.token), MULTIPLY, a),
        app.gql(Some(&s.token), MULTIPLY, b)
    );
    let won: Vec<&Value> = [&first, &second]
        .into_iter()
        .filter(|r| r.get("errors").is_none())
        .collect();
    assert_eq!(won.len(), 1, "exactly one wins: {first:#} {second:#}");
    let lost = if first.get("errors").is_some() {
        &first
    } else {
        &second
    };
    assert_eq!(
        lost["errors"][0]["extensions"]["code"], "CONFLICT",
        "the loser gets CONFLICT: {lost:#}"
    );
}

async fn racing_multiplications_never_share_a_member_or_half_make_a_child(app: TestApp) {
    let leader = app.sign_up("Lea").await;
    let org = app.create_org(&leader, "CHURCH", "St Anne", None).await;
    for round in 0..4 {
        // Two children want the same member.
        let parent = app
            .plant(&leader, org, &format!("Elm Street {round}"))
            .await;
        let maria = invite(&app, &leader, parent, "Maria", "APPRENTICE", "2024-02-01").await;
        let lars = invite(&app, &leader, parent, "Lars", "LEADER", "2024-02-01").await;
        let sam = invite(&app, &leader, parent, "Sam", "MEMBER", "2024-02-01").await;
        let child = |name: &str, leader: Uuid| {
            json!({ "input": { "parentId": parent, "name": name, "leaderIds": [leader],
                               "memberIds": [sam], "multipliedOn": "2025-03-01" } })
        };
        race(
            &app,
            &leader,
            child("Oak Lane", maria),
            child("Pine Hill", lars),
        )
        .await;

        // Each takes one of the two leaders: together they would leave none behind.
        let parent = app.plant(&leader, org, &format!("Ash Row {round}")).await;
        let second = invite(&app, &leader, parent, "Lars", "LEADER", "2024-02-01").await;
        let x = invite(&app, &leader, parent, "Xena", "MEMBER", "2024-02-01").await;
        let y = invite(&app, &leader, parent, "Yann", "MEMBER", "2024-02-01").await;
        let child = |name: &str, leader: Uuid, member: Uuid| {
            json!({ "input": { "parentId": parent, "name": name, "leaderIds": [leader],
                               "memberIds": [member], "multipliedOn": "2025-03-01" } })
        };
        race(
            &app,
            &leader,
            child("Cedar Way", leader.person_id, x),
            child("Fir Lane", second, y),
        )
        .await;
        assert_lineage_invariants(&app).await;
    }
    assert_eq!(
        app.count_rows("multiplication_events").await,
        8,
        "one child per race"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM communities WHERE parent_id IS NOT NULL")
            .await,
        8
    );
}

oikos_tests::on_both_databases!(
    multiplying_moves_the_people_who_go_and_records_the_event,
    a_retried_multiplication_returns_the_same_child,
    bad_multiplications_are_refused_and_change_nothing,
    only_leaders_and_overseers_multiply,
    a_child_may_belong_to_another_church_and_each_side_sees_only_its_own,
    racing_multiplications_never_share_a_member_or_half_make_a_child,
);
