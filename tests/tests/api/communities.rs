//! Communities: planting with a full profile, who sees what (members, coaches, reporters,
//! strangers), location privacy, profile changes, status, closing, lists and bad input.

use oikos_tests::{Session, TestApp, str_at, uuid_at};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{bad_input, node_ids, refused};

const PROFILE: &str = "id name vision startMode placeKind placeDescription neighbourhood locationPrivacy \
    meetingDay meetingTime timeZone status closedReason closedOn launchedOn organizationId parentId \
    generation streamRootId location { latitude longitude } organization { id } myRole memberCount \
    members { role person { id } }";

fn create_query() -> String {
    format!(
        "mutation($input: CreateCommunityInput!) {{ createCommunity(input: $input) {{ {PROFILE} }} }}"
    )
}

fn update_query() -> String {
    format!(
        "mutation($input: UpdateCommunityInput!) {{ updateCommunity(input: $input) {{ {PROFILE} }} }}"
    )
}

fn community_query() -> String {
    format!("query($id: UUID!) {{ community(id: $id) {{ {PROFILE} }} }}")
}

const CLOSE: &str = "mutation($input: CloseCommunityInput!) { closeCommunity(input: $input) { id status closedReason closedOn memberCount } }";
const LOCATION: &str =
    "query($id: UUID!) { community(id: $id) { locationPrivacy location { latitude longitude } } }";
const LIST: &str = "query($first: Int, $after: String, $filter: CommunityFilterInput) { communities(first: $first, after: $after, filter: $filter) { edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }";

/// An admin with a church under a denomination.
async fn church(app: &TestApp) -> (Session, Uuid) {
    let admin = app.sign_up("Admin").await;
    let denomination = app.create_org(&admin, "DENOMINATION", "Free", None).await;
    let church = app
        .create_org(&admin, "CHURCH", "Harbour", Some(denomination))
        .await;
    (admin, church)
}

fn elm_street(id: Uuid, org: Uuid) -> Value {
    json!({
        "id": id, "organizationId": org, "name": "Elm Street",
        "vision": "Bless the families on Elm Street\nand eat together.",
        "startMode": "MISSION_FIRST", "placeKind": "PARK",
        "placeDescription": "Under the big oak, north corner", "neighbourhood": "Westend",
        "latitude": 52.520008, "longitude": 13.404954, "locationPrivacy": "APPROXIMATE",
        "meetingDay": "THURSDAY", "meetingTime": "19:30:00", "timeZone": "Europe/Berlin",
        "launchedOn": "2024-03-01", "status": "ACTIVE",
    })
}

async fn a_planted_community_reads_back_every_field(app: TestApp) {
    let (admin, org) = church(&app).await;
    let id = Uuid::new_v4();
    let created = app
        .ok(
            Some(&admin.token),
            &create_query(),
            json!({ "input": elm_street(id, org) }),
        )
        .await;
    let expected = json!({
        "id": id, "name": "Elm Street",
        "vision": "Bless the families on Elm Street\nand eat together.",
        "startMode": "MISSION_FIRST", "placeKind": "PARK",
        "placeDescription": "Under the big oak, north corner", "neighbourhood": "Westend",
        "locationPrivacy": "APPROXIMATE", "meetingDay": "THURSDAY", "meetingTime": "19:30:00",
        "timeZone": "Europe/Berlin", "status": "ACTIVE", "closedReason": null, "closedOn": null,
        "launchedOn": "2024-03-01", "organizationId": org, "parentId": null, "generation": 1,
        "streamRootId": id,
        // The leader is a member and sees the point as recorded.
        "location": { "latitude": 52.520008, "longitude": 13.404954 },
        "organization": { "id": org }, "myRole": "LEADER", "memberCount": 1,
        "members": [{ "role": "LEADER", "person": { "id": admin.person_id } }],
    });
    assert_eq!(created["createCommunity"], expected);
    let read = app
        .ok(Some(&admin.token), &community_query(), json!({ "id": id }))
        .await;
    assert_eq!(read["community"], expected);

    // A retry with the same id and content is the same community.
    let again = app
        .ok(
            Some(&admin.token),
            &create_query(),
            json!({ "input": elm_street(id, org) }),
        )
        .await;
    assert_eq!(again["createCommunity"], expected);
    assert_eq!(app.count_rows("communities").await, 1);
    assert_eq!(app.count_rows("memberships").await, 1);

    let mut different = elm_street(id, org);
    different["name"] = json!("Oak Street");
    refused(
        &app,
        Some(&admin.token),
        &create_query(),
        json!({ "input": different }),
        "CONFLICT",
    )
    .await;
    assert_eq!(app.count_rows("communities").await, 1);
    assert_eq!(app.count_rows("memberships").await, 1);
}

async fn a_retry_is_recognised_whatever_precision_the_meeting_time_had(app: TestApp) {
    let (admin, org) = church(&app).await;
    let id = Uuid::new_v4();
    let input = json!({ "input": { "id": id, "organizationId": org, "name": "Dawn Prayer",
                                   "meetingTime": "07:15:30" } });
    let first = app
        .ok(Some(&admin.token), &create_query(), input.clone())
        .await;
    let again = app.ok(Some(&admin.token), &create_query(), input).await;
    assert_eq!(first, again);
    // Kept to the minute, as stored.
    assert_eq!(again["createCommunity"]["meetingTime"], "07:15:00");
    assert_eq!(app.count_rows("communities").await, 1);
}

async fn coaches_see_people_reporters_see_numbers_strangers_see_nothing(app: TestApp) {
    let (admin, org) = church(&app).await;
    let community = app.plant(&admin, org, "Elm Street").await;
    let member = app.sign_up("Member").await;
    app.add_member(&admin, community, member.person_id, "MEMBER")
        .await;
    let coach = app.sign_up("Coach").await;
    let reporter = app.sign_up("Reporter").await;
    let stranger = app.sign_up("Stranger").await;
    app.grant(&admin, org, coach.person_id, "COACH").await;
    app.grant(&admin, org, reporter.person_id, "REPORTER").await;
    let vars = json!({ "id": community });

    let people = "query($id: UUID!) { community(id: $id) { name members { role person { id displayName } } } }";
    for viewer in [&coach, &member] {
        let data = app.ok(Some(&viewer.token), people, vars.clone()).await;
        assert_eq!(
            data["community"]["members"],
            json!([
                { "role": "LEADER", "person": { "id": admin.person_id, "displayName": "Admin" } },
                { "role": "MEMBER", "person": { "id": member.person_id, "displayName": "Member" } },
            ])
        );
    }

    let numbers = "query($id: UUID!) { community(id: $id) { name status memberCount myRole } }";
    let data = app.ok(Some(&reporter.token), numbers, vars.clone()).await;
    assert_eq!(
        data["community"],
        json!({ "name": "Elm Street", "status": "ACTIVE", "memberCount": 2, "myRole": null })
    );
    refused(
        &app,
        Some(&reporter.token),
        people,
        vars.clone(),
        "FORBIDDEN",
    )
    .await;
    let data = app.ok(Some(&reporter.token), LIST, json!({})).await;
    assert_eq!(node_ids(&data["communities"]), [community.to_string()]);

    let hidden = refused(
        &app,
        Some(&stranger.token),
        numbers,
        vars.clone(),
        "NOT_FOUND",
    )
    .await;
    let missing = refused(
        &app,
        Some(&stranger.token),
        numbers,
        json!({ "id": Uuid::new_v4() }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(hidden["message"], missing["message"]);
    let data = app.ok(Some(&stranger.token), LIST, json!({})).await;
    assert_eq!(node_ids(&data["communities"]), Vec::<String>::new());
}

fn point(data: &Value) -> Option<(f64, f64)> {
    let location = &data["community"]["location"];
    if location.is_null() {
        return None;
    }
    let coordinate = |name: &str| {
        location[name]
            .as_f64()
            .unwrap_or_else(|| panic!("no {name} in {data:#}"))
    };
    Some((coordinate("latitude"), coordinate("longitude")))
}

fn assert_near(got: Option<(f64, f64)>, expected: (f64, f64)) {
    let (lat, lng) = got.unwrap_or_else(|| panic!("no location, expected {expected:?}"));
    assert!(
        (lat - expected.0).abs() < 1e-9 && (lng - expected.1).abs() < 1e-9,
        "got {lat},{lng}, expected {expected:?}"
    );
}

async fn the_location_is_shown_as_its_privacy_allows(app: TestApp) {
    let (admin, org) = church(&app).await;
    let id = Uuid::new_v4();
    app.ok(
        Some(&admin.token),
        &create_query(),
        json!({ "input": elm_street(id, org) }),
    )
    .await;
    let member = app.sign_up("Member").await;
    app.add_member(&admin, id, member.person_id, "MEMBER").await;
    let coach = app.sign_up("Coach").await;
    app.grant(&admin, org, coach.person_id, "COACH").await;
    let vars = json!({ "id": id });
    let exact = (52.520008, 13.404954);

    let seen_by = async |s: &Session| point(&app.ok(Some(&s.token), LOCATION, vars.clone()).await);
    assert_near(seen_by(&coach).await, (52.52, 13.40));
    assert_near(seen_by(&member).await, exact);

    let privacy = async |level: &str| {
        app.ok(
            Some(&admin.token),
            &update_query(),
            json!({ "input": { "id": id, "locationPrivacy": level } }),
        )
        .await
    };
    privacy("HIDDEN").await;
    assert_eq!(seen_by(&coach).await, None);
    assert_near(seen_by(&member).await, exact);
    privacy("EXACT").await;
    assert_near(seen_by(&coach).await, exact);
}

async fn updating_a_community_changes_and_clears_fields(app: TestApp) {
    let (admin, org) = church(&app).await;
    let id = Uuid::new_v4();
    let created = app
        .ok(
            Some(&admin.token),
            &create_query(),
            json!({ "input": elm_street(id, org) }),
        )
        .await;
    let mut expected = created["createCommunity"].clone();

    let updated = app
        .ok(
            Some(&admin.token),
            &update_query(),
            json!({ "input": { "id": id, "name": " Elm Street West ", "vision": null,
                               "neighbourhood": "Altstadt", "meetingDay": "FRIDAY",
                               "placeKind": "CAFE" } }),
        )
        .await;
    expected["name"] = json!("Elm Street West");
    expected["vision"] = json!(null);
    expected["neighbourhood"] = json!("Altstadt");
    expected["meetingDay"] = json!("FRIDAY");
    expected["placeKind"] = json!("CAFE");
    assert_eq!(updated["updateCommunity"], expected);
    let read = app
        .ok(Some(&admin.token), &community_query(), json!({ "id": id }))
        .await;
    assert_eq!(read["community"], expected);

    // Forgetting the location takes both coordinates.
    let data = app
        .ok(
            Some(&admin.token),
            &update_query(),
            json!({ "input": { "id": id, "latitude": null, "longitude": null } }),
        )
        .await;
    assert_eq!(data["updateCommunity"]["location"], json!(null));

    // Only those who manage it may change it.
    let member = app.sign_up("Member").await;
    app.add_member(&admin, id, member.person_id, "MEMBER").await;
    let coach = app.sign_up("Coach").await;
    app.grant(&admin, org, coach.person_id, "COACH").await;
    let stranger = app.sign_up("Stranger").await;
    let rename = json!({ "input": { "id": id, "name": "Taken over" } });
    for (who, code) in [
        (&member, "FORBIDDEN"),
        (&coach, "FORBIDDEN"),
        (&stranger, "NOT_FOUND"),
    ] {
        refused(
            &app,
            Some(&who.token),
            &update_query(),
            rename.clone(),
            code,
        )
        .await;
    }
    refused(
        &app,
        Some(&admin.token),
        &update_query(),
        json!({ "input": { "id": Uuid::new_v4(), "name": "Nowhere" } }),
        "NOT_FOUND",
    )
    .await;
    let read = app
        .ok(Some(&admin.token), &community_query(), json!({ "id": id }))
        .await;
    assert_eq!(read["community"]["name"], "Elm Street West");
}

async fn a_community_closes_once(app: TestApp) {
    let (admin, org) = church(&app).await;
    let community = app.plant(&admin, org, "Elm Street").await;
    let member = app.sign_up("Member").await;
    app.add_member(&admin, community, member.person_id, "MEMBER")
        .await;

    bad_input(
        &app,
        Some(&admin.token),
        CLOSE,
        json!({ "input": { "id": community, "reason": "  " } }),
        "reason",
    )
    .await;
    bad_input(
        &app,
        Some(&admin.token),
        CLOSE,
        json!({ "input": { "id": community, "reason": "Moved", "closedOn": "2999-01-01" } }),
        "closedOn",
    )
    .await;
    refused(
        &app,
        Some(&member.token),
        CLOSE,
        json!({ "input": { "id": community, "reason": "Moved" } }),
        "FORBIDDEN",
    )
    .await;

    let data = app
        .ok(
            Some(&admin.token),
            CLOSE,
            json!({ "input": { "id": community, "reason": "Most of us moved away",
                               "closedOn": "2024-06-30" } }),
        )
        .await;
    assert_eq!(
        data["closeCommunity"],
        json!({ "id": community, "status": "CLOSED", "closedReason": "Most of us moved away",
                "closedOn": "2024-06-30", "memberCount": 2 })
    );

    refused(
        &app,
        Some(&admin.token),
        CLOSE,
        json!({ "input": { "id": community, "reason": "Again" } }),
        "CONFLICT",
    )
    .await;
    refused(
        &app,
        Some(&admin.token),
        &update_query(),
        json!({ "input": { "id": community, "name": "Reopened" } }),
        "CONFLICT",
    )
    .await;
    let data = app
        .ok(
            Some(&admin.token),
            "query($id: UUID!) { community(id: $id) { name status closedReason closedOn } }",
            json!({ "id": community }),
        )
        .await;
    assert_eq!(
        data["community"],
        json!({ "name": "Elm Street", "status": "CLOSED", "closedReason": "Most of us moved away",
                "closedOn": "2024-06-30" })
    );
}

async fn a_leader_who_closed_a_community_is_told_it_is_closed(app: TestApp) {
    let (admin, org) = church(&app).await;
    let leader = app.sign_up("Leader").await;
    let member = app.sign_up("Member").await;
    let data = app
        .ok(
            Some(&admin.token),
            &create_query(),
            json!({ "input": { "organizationId": org, "name": "Oak Street", "status": "ACTIVE",
                               "launchedOn": "2024-01-01", "leaderId": leader.person_id } }),
        )
        .await;
    assert_eq!(
        data["createCommunity"]["members"],
        json!([{ "role": "LEADER", "person": { "id": leader.person_id } }])
    );
    let community = uuid_at(&data, "/createCommunity/id");
    app.add_member(&leader, community, member.person_id, "MEMBER")
        .await;

    // Closing keeps the record of who was in it; the leader still reads what they closed…
    let close = json!({ "input": { "id": community, "reason": "We multiplied into homes" } });
    let data = app.ok(Some(&leader.token), CLOSE, close.clone()).await;
    assert_eq!(data["closeCommunity"]["status"], "CLOSED");
    assert_eq!(data["closeCommunity"]["memberCount"], 2);
    // …and a retry is told it is closed, not that it does not exist.
    refused(&app, Some(&leader.token), CLOSE, close.clone(), "CONFLICT").await;
    refused(&app, Some(&member.token), CLOSE, close.clone(), "FORBIDDEN").await;
    let stranger = app.sign_up("Stranger").await;
    refused(&app, Some(&stranger.token), CLOSE, close, "NOT_FOUND").await;

    // Those who were in it at the end find it among their communities, closed.
    for viewer in [&leader, &member] {
        let data = app
            .ok(
                Some(&viewer.token),
                LIST,
                json!({ "filter": { "status": "CLOSED" } }),
            )
            .await;
        assert_eq!(node_ids(&data["communities"]), [community.to_string()]);
    }
    // Nothing about it changes any more, whoever asks.
    refused(
        &app,
        Some(&leader.token),
        &update_query(),
        json!({ "input": { "id": community, "name": "Reopened" } }),
        "CONFLICT",
    )
    .await;
    refused(
        &app,
        Some(&leader.token),
        "mutation($input: AddMemberInput!) { addMember(input: $input) { id } }",
        json!({ "input": { "communityId": community, "personId": stranger.person_id } }),
        "CONFLICT",
    )
    .await;
}

async fn an_invalid_profile_is_refused_and_nothing_is_written(app: TestApp) {
    let (admin, org) = church(&app).await;
    let base = json!({ "organizationId": org, "name": "Elm Street", "timeZone": "Europe/Berlin" });
    let with = |changes: Value| {
        let mut input = base.clone();
        if let (Some(input), Some(changes)) = (input.as_object_mut(), changes.as_object()) {
            for (key, value) in changes {
                input.insert(key.clone(), value.clone());
            }
        }
        json!({ "input": input })
    };
    let cases = [
        ("timeZone", json!({ "timeZone": "Mars/Olympus" })),
        ("longitude", json!({ "latitude": 52.5 })),
        ("latitude", json!({ "longitude": 13.4 })),
        ("latitude", json!({ "latitude": 91.0, "longitude": 13.4 })),
        (
            "longitude",
            json!({ "latitude": 52.5, "longitude": -181.0 }),
        ),
        ("name", json!({ "name": "" })),
        ("name", json!({ "name": "x".repeat(121) })),
        (
            "placeDescription",
            json!({ "placeDescription": "x".repeat(201) }),
        ),
        (
            "organizationId",
            json!({ "organizationId": Uuid::new_v4() }),
        ),
        ("leaderId", json!({ "leaderId": Uuid::new_v4() })),
    ];
    for (field, changes) in cases {
        bad_input(
            &app,
            Some(&admin.token),
            &create_query(),
            with(changes),
            field,
        )
        .await;
        assert_eq!(app.count_rows("communities").await, 0, "after {field}");
        assert_eq!(app.count_rows("memberships").await, 0);
        assert_eq!(app.count_rows("lineage_links").await, 0);
    }

    let community = app.plant(&admin, org, "Elm Street").await;
    let before = app
        .ok(
            Some(&admin.token),
            &community_query(),
            json!({ "id": community }),
        )
        .await;
    for (field, changes) in [
        ("timeZone", json!({ "timeZone": "Berlin" })),
        ("longitude", json!({ "latitude": 52.5 })),
        ("latitude", json!({ "latitude": 91.0, "longitude": 13.4 })),
        ("name", json!({ "name": " " })),
    ] {
        let mut input = changes;
        input["id"] = json!(community);
        bad_input(
            &app,
            Some(&admin.token),
            &update_query(),
            json!({ "input": input }),
            field,
        )
        .await;
    }
    let after = app
        .ok(
            Some(&admin.token),
            &community_query(),
            json!({ "id": community }),
        )
        .await;
    assert_eq!(before, after);
}

async fn communities_are_filtered_by_organization_and_status_and_paged(app: TestApp) {
    let admin = app.sign_up("Admin").await;
    let denomination = app.create_org(&admin, "DENOMINATION", "Free", None).await;
    let harbour = app
        .create_org(&admin, "CHURCH", "Harbour", Some(denomination))
        .await;
    let hill = app
        .create_org(&admin, "CHURCH", "Hill", Some(denomination))
        .await;
    let elsewhere = app.create_org(&admin, "NETWORK", "Elsewhere", None).await;
    let a = app.plant(&admin, harbour, "A").await;
    let b = app.plant(&admin, hill, "B").await;
    let forming = app
        .ok(
            Some(&admin.token),
            "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id status } }",
            json!({ "input": { "organizationId": harbour, "name": "C" } }),
        )
        .await;
    assert_eq!(forming["createCommunity"]["status"], "FORMING");
    let c = uuid_at(&forming, "/createCommunity/id");
    let d = app.plant(&admin, elsewhere, "D").await;

    let filter = json!({ "organizationId": denomination, "status": "ACTIVE" });
    let first = app
        .ok(
            Some(&admin.token),
            LIST,
            json!({ "first": 1, "filter": filter }),
        )
        .await;
    let page = &first["communities"];
    assert_eq!(node_ids(page).len(), 1);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let second = app
        .ok(
            Some(&admin.token),
            LIST,
            json!({ "first": 1, "after": str_at(page, "/pageInfo/endCursor"), "filter": filter }),
        )
        .await;
    let next = &second["communities"];
    assert_eq!(next["pageInfo"]["hasNextPage"], false);
    let mut ids = [node_ids(page), node_ids(next)].concat();
    ids.sort();
    let mut expected = vec![a.to_string(), b.to_string()];
    expected.sort();
    assert_eq!(ids, expected);

    let sorted = async |filter: Value| {
        let data = app
            .ok(Some(&admin.token), LIST, json!({ "filter": filter }))
            .await;
        let mut ids = node_ids(&data["communities"]);
        ids.sort();
        ids
    };
    let mut expected = vec![a.to_string(), c.to_string()];
    expected.sort();
    assert_eq!(sorted(json!({ "organizationId": harbour })).await, expected);
    assert_eq!(
        sorted(json!({ "organizationId": denomination, "status": "FORMING" })).await,
        [c.to_string()]
    );
    let mut expected = vec![a.to_string(), b.to_string(), d.to_string()];
    expected.sort();
    assert_eq!(sorted(json!({ "status": "ACTIVE" })).await, expected);
}

async fn a_forming_community_becomes_active(app: TestApp) {
    let (admin, org) = church(&app).await;
    let data = app
        .ok(
            Some(&admin.token),
            &create_query(),
            json!({ "input": { "organizationId": org, "name": "Seedling" } }),
        )
        .await;
    assert_eq!(data["createCommunity"]["status"], "FORMING");
    assert_eq!(data["createCommunity"]["myRole"], "LEADER");
    let id = uuid_at(&data, "/createCommunity/id");
    let data = app
        .ok(
            Some(&admin.token),
            &update_query(),
            json!({ "input": { "id": id, "status": "ACTIVE" } }),
        )
        .await;
    assert_eq!(data["updateCommunity"]["status"], "ACTIVE");
    for status in ["FORMING", "CLOSED"] {
        bad_input(
            &app,
            Some(&admin.token),
            &update_query(),
            json!({ "input": { "id": id, "status": status } }),
            "status",
        )
        .await;
    }
    let data = app
        .ok(Some(&admin.token), &community_query(), json!({ "id": id }))
        .await;
    assert_eq!(data["community"]["status"], "ACTIVE");
}

oikos_tests::on_both_databases!(
    a_planted_community_reads_back_every_field,
    a_retry_is_recognised_whatever_precision_the_meeting_time_had,
    coaches_see_people_reporters_see_numbers_strangers_see_nothing,
    the_location_is_shown_as_its_privacy_allows,
    updating_a_community_changes_and_clears_fields,
    a_community_closes_once,
    a_leader_who_closed_a_community_is_told_it_is_closed,
    an_invalid_profile_is_refused_and_nothing_is_written,
    communities_are_filtered_by_organization_and_status_and_paged,
    a_forming_community_becomes_active,
);
