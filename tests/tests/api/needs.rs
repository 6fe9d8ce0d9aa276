//! The needs board: lifecycle and history, refused transitions and bad input that write
//! nothing, visibility per role (network sharing included) and counts for reporters.

use oikos_tests::serde_json::{Value, json};
use oikos_tests::{TestApp, str_at, uuid_at};
use uuid::Uuid;

use crate::gatherings::{days_from_now, schedule};
use crate::outreach::{CREATE_NEED, cast, need, nodes, outreach_rows, partner, plant_led};

const CLAIM: &str =
    "mutation($id: UUID!) { claimNeed(needId: $id) { status claimCount claimedByMe } }";
const RELEASE: &str =
    "mutation($input: ReleaseNeedInput!) { releaseNeed(input: $input) { status claimCount } }";
const CLOSE: &str = "mutation($input: CloseNeedInput!) { closeNeed(input: $input) { \
    status outcome outcomeNote metByGatheringId closedAt referredPartner { name } } }";
const REOPEN: &str = "mutation($input: ReopenNeedInput!) { reopenNeed(input: $input) { \
    status outcome closedAt claimCount } }";
const NEED: &str = "query($id: UUID!) { need(id: $id) { id title status forWhom \
    personOfPeace { person { displayName } } claimCount claimedBy { displayName } \
    history { action fromStatus toStatus note actor { displayName } } } }";
const COMMUNITY_NEEDS: &str =
    "query($id: UUID!) { community(id: $id) { needs { edges { node { title } } } } }";
const COUNTS: &str = "query($id: UUID!, $since: DateTime) { community(id: $id) { \
    needCounts(metSince: $since) { open claimed met } } }";
const NETWORK_NEEDS: &str =
    "query($id: UUID!) { organization(id: $id) { networkNeeds { edges { node { title } } } } }";

fn actions(data: &Value) -> Vec<(String, String)> {
    data["need"]["history"]
        .as_array()
        .unwrap_or_else(|| panic!("no history in {data:#}"))
        .iter()
        .map(|e| {
            (
                str_at(e, "/action"),
                e["actor"]["displayName"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

async fn needs_move_through_their_lifecycle_with_history(app: TestApp) {
    let c = cast(&app).await;
    let id = need(
        &app,
        &c.member,
        c.community,
        "Meals after surgery",
        "COMMUNITY",
    )
    .await;
    let claimed = app
        .ok(Some(&c.member.token), CLAIM, json!({ "id": id }))
        .await;
    assert_eq!(
        claimed["claimNeed"],
        json!({ "status": "CLAIMED", "claimCount": 1, "claimedByMe": true })
    );
    let both = app
        .ok(Some(&c.leader.token), CLAIM, json!({ "id": id }))
        .await;
    assert_eq!(both["claimNeed"]["claimCount"], 2);
    let released = app
        .ok(
            Some(&c.member.token),
            RELEASE,
            json!({ "input": { "needId": id } }),
        )
        .await;
    assert_eq!(
        released["releaseNeed"],
        json!({ "status": "CLAIMED", "claimCount": 1 })
    );

    let service = app
        .log_gathering(
            &c.member,
            c.community,
            &days_from_now(-1),
            &["SERVICE", "MEAL"],
            &[],
        )
        .await;
    let closed = app
        .ok(
            Some(&c.leader.token),
            CLOSE,
            json!({ "input": { "needId": id, "outcome": "MET", "note": "three weeks of dinners",
                               "metByGatheringId": service } }),
        )
        .await;
    assert_eq!(closed["closeNeed"]["status"], "CLOSED");
    assert_eq!(closed["closeNeed"]["outcome"], "MET");
    assert_eq!(closed["closeNeed"]["metByGatheringId"], json!(service));
    assert!(closed["closeNeed"]["closedAt"].is_string());

    let counts = app
        .ok(
            Some(&c.reporter.token),
            COUNTS,
            json!({ "id": c.community }),
        )
        .await;
    assert_eq!(
        counts["community"]["needCounts"],
        json!({ "open": 0, "claimed": 0, "met": 1 })
    );

    let seen = app
        .ok(Some(&c.leader.token), NEED, json!({ "id": id }))
        .await;
    assert_eq!(
        actions(&seen),
        [
            ("OPENED", "Milo Member"),
            ("CLAIMED", "Milo Member"),
            ("CLAIMED", "Lena Leader"),
            ("RELEASED", "Milo Member"),
            ("CLOSED", "Lena Leader"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert_eq!(seen["need"]["history"][4]["note"], "three weeks of dinners");
    assert_eq!(seen["need"]["history"][4]["fromStatus"], "CLAIMED");

    let reopened = app
        .ok(
            Some(&c.leader.token),
            REOPEN,
            json!({ "input": { "needId": id, "note": "closed by mistake" } }),
        )
        .await;
    assert_eq!(
        reopened["reopenNeed"],
        json!({ "status": "OPEN", "outcome": null, "closedAt": null, "claimCount": 0 })
    );
    let counts = app
        .ok(
            Some(&c.reporter.token),
            COUNTS,
            json!({ "id": c.community }),
        )
        .await;
    assert_eq!(
        counts["community"]["needCounts"],
        json!({ "open": 1, "claimed": 0, "met": 0 })
    );
}

async fn a_referral_names_a_partner_of_the_community(app: TestApp) {
    let c = cast(&app).await;
    let id = need(&app, &c.member, c.community, "Rent arrears", "LEADERS").await;
    let food_bank = partner(&app, &c.member, c.community, "Debt Advice North").await;
    let closed = app
        .ok(
            Some(&c.leader.token),
            CLOSE,
            json!({ "input": { "needId": id, "outcome": "REFERRED", "partnerId": food_bank } }),
        )
        .await;
    assert_eq!(closed["closeNeed"]["outcome"], "REFERRED");
    assert_eq!(
        closed["closeNeed"]["referredPartner"]["name"],
        "Debt Advice North"
    );
}

async fn illegal_transitions_are_refused_and_write_nothing(app: TestApp) {
    let c = cast(&app).await;
    let id = need(
        &app,
        &c.member,
        c.community,
        "Lift to the clinic",
        "COMMUNITY",
    )
    .await;
    app.ok(Some(&c.member.token), CLAIM, json!({ "id": id }))
        .await;
    let before = outreach_rows(&app).await;

    app.fails(
        Some(&c.member.token),
        CLAIM,
        json!({ "id": id }),
        "CONFLICT",
    )
    .await;
    app.fails(
        Some(&c.other_member.token),
        RELEASE,
        json!({ "input": { "needId": id } }),
        "CONFLICT",
    )
    .await;
    app.fails(
        Some(&c.leader.token),
        REOPEN,
        json!({ "input": { "needId": id } }),
        "CONFLICT",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);

    app.ok(
        Some(&c.member.token),
        CLOSE,
        json!({ "input": { "needId": id, "outcome": "NO_LONGER_NEEDED" } }),
    )
    .await;
    let closed = outreach_rows(&app).await;
    for (token, query, variables) in [
        (
            &c.member.token,
            CLOSE,
            json!({ "input": { "needId": id, "outcome": "MET" } }),
        ),
        (&c.other_member.token, CLAIM, json!({ "id": id })),
        (
            &c.member.token,
            RELEASE,
            json!({ "input": { "needId": id } }),
        ),
    ] {
        app.fails(Some(token), query, variables, "CONFLICT").await;
    }
    assert_eq!(outreach_rows(&app).await, closed);

    // Not theirs to take: a member who did not claim it closes nothing, only leaders
    // reopen, and nobody releases someone else's claim but a leader.
    let other = need(&app, &c.member, c.community, "Moving boxes", "COMMUNITY").await;
    app.ok(Some(&c.member.token), CLAIM, json!({ "id": other }))
        .await;
    let before = outreach_rows(&app).await;
    app.fails(
        Some(&c.other_member.token),
        CLOSE,
        json!({ "input": { "needId": other, "outcome": "MET" } }),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        Some(&c.other_member.token),
        RELEASE,
        json!({ "input": { "needId": other, "personId": c.member.person_id } }),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        Some(&c.member.token),
        REOPEN,
        json!({ "input": { "needId": id } }),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        Some(&c.coach.token),
        CLAIM,
        json!({ "id": other }),
        "FORBIDDEN",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);
    let released = app
        .ok(
            Some(&c.leader.token),
            RELEASE,
            json!({ "input": { "needId": other, "personId": c.member.person_id } }),
        )
        .await;
    assert_eq!(
        released["releaseNeed"],
        json!({ "status": "OPEN", "claimCount": 0 })
    );
}

async fn bad_need_input_is_refused_with_the_field_and_writes_nothing(app: TestApp) {
    let c = cast(&app).await;
    let (theirs, _) = app
        .create_person_of_peace(&c.neighbour, c.neighbour_community, "Ben")
        .await;
    let before = outreach_rows(&app).await;
    let base =
        json!({ "communityId": c.community, "title": "Groceries", "visibility": "COMMUNITY" });
    let with = |patch: Value| {
        let mut input = base.clone();
        if let (Some(input), Some(patch)) = (input.as_object_mut(), patch.as_object()) {
            input.extend(patch.clone());
        }
        json!({ "input": input })
    };
    for (patch, field) in [
        (json!({ "title": "" }), "title"),
        (json!({ "title": "   " }), "title"),
        (json!({ "title": "x".repeat(121) }), "title"),
        (json!({ "description": "x".repeat(4001) }), "description"),
        (json!({ "forWhom": "x".repeat(121) }), "forWhom"),
        (json!({ "neighbourhood": "a\nb" }), "neighbourhood"),
        (
            json!({ "personOfPeaceId": Uuid::now_v7(), "forWhom": "a neighbour" }),
            "forWhom",
        ),
        (
            json!({ "personOfPeaceId": Uuid::now_v7() }),
            "personOfPeaceId",
        ),
        (json!({ "personOfPeaceId": theirs }), "personOfPeaceId"),
    ] {
        let error = app
            .fails(
                Some(&c.member.token),
                CREATE_NEED,
                with(patch),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{error:#}");
    }
    app.fails(
        Some(&c.member.token),
        CREATE_NEED,
        with(json!({ "communityId": Uuid::now_v7() })),
        "NOT_FOUND",
    )
    .await;
    app.fails(
        Some(&c.member.token),
        CLAIM,
        json!({ "id": Uuid::now_v7() }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);

    let id = need(&app, &c.member, c.community, "Garden clean-up", "COMMUNITY").await;
    let elsewhere_partner = partner(&app, &c.neighbour, c.neighbour_community, "Far Help").await;
    let yesterday = days_from_now(-1);
    let party = app
        .log_gathering(&c.member, c.community, &yesterday, &["PARTY"], &[])
        .await;
    let planned = uuid_at(
        &schedule(
            &app,
            &c.member,
            json!({ "communityId": c.community, "startsAt": days_from_now(3),
                    "practices": ["SERVICE"] }),
        )
        .await,
        "/id",
    );
    let not_ours = app
        .log_gathering(
            &c.neighbour,
            c.neighbour_community,
            &yesterday,
            &["SERVICE"],
            &[],
        )
        .await;
    let before = outreach_rows(&app).await;
    for (closing, field) in [
        (json!({ "outcome": "REFERRED" }), "partnerId"),
        (
            json!({ "outcome": "REFERRED", "partnerId": elsewhere_partner }),
            "partnerId",
        ),
        (
            json!({ "outcome": "MET", "partnerId": elsewhere_partner }),
            "partnerId",
        ),
        (
            json!({ "outcome": "MET", "metByGatheringId": party }),
            "metByGatheringId",
        ),
        (
            json!({ "outcome": "MET", "metByGatheringId": planned }),
            "metByGatheringId",
        ),
        (
            json!({ "outcome": "MET", "metByGatheringId": not_ours }),
            "metByGatheringId",
        ),
        (
            json!({ "outcome": "MET", "metByGatheringId": Uuid::now_v7() }),
            "metByGatheringId",
        ),
        (
            json!({ "outcome": "NO_LONGER_NEEDED", "metByGatheringId": planned }),
            "metByGatheringId",
        ),
        (json!({ "outcome": "MET", "note": "x".repeat(501) }), "note"),
    ] {
        let mut input = closing.clone();
        if let Some(obj) = input.as_object_mut() {
            obj.insert("needId".into(), json!(id));
        }
        let error = app
            .fails(
                Some(&c.leader.token),
                CLOSE,
                json!({ "input": input }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{closing}: {error:#}");
    }
    assert_eq!(outreach_rows(&app).await, before);
    let seen = app
        .ok(Some(&c.leader.token), NEED, json!({ "id": id }))
        .await;
    assert_eq!(seen["need"]["status"], "OPEN");
}

async fn a_retried_create_returns_the_same_need_and_a_reused_id_conflicts(app: TestApp) {
    let c = cast(&app).await;
    let id = Uuid::now_v7();
    let input = json!({ "input": { "id": id, "communityId": c.community, "title": "Tutoring",
                                   "category": "TUTORING", "visibility": "COMMUNITY" } });
    let first = app
        .ok(Some(&c.member.token), CREATE_NEED, input.clone())
        .await;
    let again = app.ok(Some(&c.member.token), CREATE_NEED, input).await;
    assert_eq!(first, again);
    let before = outreach_rows(&app).await;
    app.fails(
        Some(&c.member.token),
        CREATE_NEED,
        json!({ "input": { "id": id, "communityId": c.community, "title": "Something else",
                           "visibility": "COMMUNITY" } }),
        "CONFLICT",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);
}

async fn titles(app: &TestApp, token: &str, community: Uuid) -> Vec<String> {
    let mut got = nodes(
        &app.ok(Some(token), COMMUNITY_NEEDS, json!({ "id": community }))
            .await,
        "/community/needs/edges",
        "title",
    );
    got.sort();
    got
}

async fn network_titles(app: &TestApp, token: &str, org: Uuid) -> Vec<String> {
    let mut got = nodes(
        &app.ok(Some(token), NETWORK_NEEDS, json!({ "id": org }))
            .await,
        "/organization/networkNeeds/edges",
        "title",
    );
    got.sort();
    got
}

async fn needs_are_seen_only_as_their_visibility_allows_per_role(app: TestApp) {
    let c = cast(&app).await;
    let (amira, _) = app
        .create_person_of_peace(&c.member, c.community, "Amira")
        .await;
    let leaders = need(&app, &c.leader, c.community, "Leaders only", "LEADERS").await;
    let community = need(&app, &c.leader, c.community, "Community", "COMMUNITY").await;
    let network = app
        .ok(
            Some(&c.member.token),
            CREATE_NEED,
            json!({ "input": { "communityId": c.community, "title": "Network",
                               "personOfPeaceId": amira, "visibility": "NETWORK" } }),
        )
        .await;
    let network = uuid_at(&network, "/createNeed/id");
    app.ok(Some(&c.member.token), CLAIM, json!({ "id": network }))
        .await;
    let church_need = need(
        &app,
        &c.cousin,
        c.cousin_community,
        "Church network",
        "NETWORK",
    )
    .await;
    let all = ["Community", "Leaders only", "Network"]
        .map(str::to_owned)
        .to_vec();

    for overseer in [&c.leader, &c.coach, &c.admin] {
        assert_eq!(titles(&app, &overseer.token, c.community).await, all);
        app.ok(Some(&overseer.token), NEED, json!({ "id": leaders }))
            .await;
    }
    assert_eq!(
        titles(&app, &c.member.token, c.community).await,
        ["Community", "Network"]
    );
    app.fails(
        Some(&c.member.token),
        NEED,
        json!({ "id": leaders }),
        "NOT_FOUND",
    )
    .await;

    // A reporter sees how many, never what.
    app.fails(
        Some(&c.reporter.token),
        COMMUNITY_NEEDS,
        json!({ "id": c.community }),
        "FORBIDDEN",
    )
    .await;
    for id in [leaders, community, network] {
        app.fails(
            Some(&c.reporter.token),
            NEED,
            json!({ "id": id }),
            "NOT_FOUND",
        )
        .await;
    }
    assert!(
        network_titles(&app, &c.reporter.token, c.network)
            .await
            .is_empty()
    );
    let counts = app
        .ok(
            Some(&c.reporter.token),
            COUNTS,
            json!({ "id": c.community }),
        )
        .await;
    assert_eq!(
        counts["community"]["needCounts"],
        json!({ "open": 3, "claimed": 1, "met": 0 })
    );

    for outside in [&c.stranger, &c.outsider, &c.neighbour] {
        app.fails(
            Some(&outside.token),
            COMMUNITY_NEEDS,
            json!({ "id": c.community }),
            "NOT_FOUND",
        )
        .await;
        for id in [leaders, community] {
            app.fails(Some(&outside.token), NEED, json!({ "id": id }), "NOT_FOUND")
                .await;
        }
    }
    for outside in [&c.stranger, &c.outsider] {
        app.fails(
            Some(&outside.token),
            NEED,
            json!({ "id": network }),
            "NOT_FOUND",
        )
        .await;
    }

    // The network: a neighbour in the same organization and a cousin in a church below it
    // read the need, but not who it is for or who took it on, and cannot claim it.
    for network_member in [&c.neighbour, &c.cousin] {
        let seen = app
            .ok(Some(&network_member.token), NEED, json!({ "id": network }))
            .await;
        assert_eq!(seen["need"]["title"], "Network");
        assert_eq!(seen["need"]["personOfPeace"], Value::Null);
        assert_eq!(seen["need"]["claimedBy"], Value::Null);
        assert_eq!(seen["need"]["claimCount"], 1);
        assert!(
            seen["need"]["history"]
                .as_array()
                .is_some_and(|h| h.iter().all(|e| e["actor"].is_null()))
        );
        app.fails(
            Some(&network_member.token),
            CLAIM,
            json!({ "id": network }),
            "FORBIDDEN",
        )
        .await;
    }
    let member_view = app
        .ok(Some(&c.member.token), NEED, json!({ "id": network }))
        .await;
    assert_eq!(
        member_view["need"]["personOfPeace"]["person"]["displayName"],
        "Amira"
    );
    assert_eq!(
        member_view["need"]["claimedBy"],
        json!([{ "displayName": "Milo Member" }])
    );

    // Sharing reaches down the tree, not up: the church's need is not the neighbour's.
    assert_eq!(
        network_titles(&app, &c.neighbour.token, c.network).await,
        ["Network"]
    );
    app.fails(
        Some(&c.neighbour.token),
        NEED,
        json!({ "id": church_need }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(
        network_titles(&app, &c.cousin.token, c.network).await,
        ["Church network", "Network"]
    );
    assert_eq!(
        network_titles(&app, &c.cousin.token, c.church).await,
        ["Church network"]
    );
    assert_eq!(
        network_titles(&app, &c.coach.token, c.network).await,
        ["Church network", "Network"]
    );
    assert_eq!(
        network_titles(&app, &c.member.token, c.network).await,
        ["Network"]
    );
    app.fails(
        Some(&c.stranger.token),
        NETWORK_NEEDS,
        json!({ "id": c.network }),
        "NOT_FOUND",
    )
    .await;
}

async fn needs_met_are_counted_in_the_window_asked_for(app: TestApp) {
    let c = cast(&app).await;
    let other = plant_led(&app, &c.admin, c.network, "Quiet Court", c.leader.person_id).await;
    for title in ["One", "Two"] {
        let id = need(&app, &c.leader, c.community, title, "LEADERS").await;
        app.ok(
            Some(&c.leader.token),
            CLOSE,
            json!({ "input": { "needId": id, "outcome": "MET" } }),
        )
        .await;
    }
    let id = need(&app, &c.leader, c.community, "Three", "LEADERS").await;
    app.ok(
        Some(&c.leader.token),
        CLOSE,
        json!({ "input": { "needId": id, "outcome": "NOT_APPROPRIATE" } }),
    )
    .await;
    let both = app
        .ok(
            Some(&c.reporter.token),
            "query($a: UUID!, $b: UUID!) { \
               a: community(id: $a) { needCounts { open met } } \
               b: community(id: $b) { needCounts { open met } } \
               later: community(id: $a) { needCounts(metSince: \"2999-01-01T00:00:00Z\", metBefore: \"2999-02-01T00:00:00Z\") { met } } }",
            json!({ "a": c.community, "b": other }),
        )
        .await;
    assert_eq!(both["a"]["needCounts"], json!({ "open": 0, "met": 2 }));
    assert_eq!(both["b"]["needCounts"], json!({ "open": 0, "met": 0 }));
    assert_eq!(both["later"]["needCounts"]["met"], 0);
    app.fails(
        Some(&c.reporter.token),
        COUNTS,
        json!({ "id": c.community, "since": "2999-01-01T00:00:00Z" }),
        "BAD_USER_INPUT",
    )
    .await;
}

oikos_tests::on_both_databases!(
    needs_move_through_their_lifecycle_with_history,
    a_referral_names_a_partner_of_the_community,
    illegal_transitions_are_refused_and_write_nothing,
    bad_need_input_is_refused_with_the_field_and_writes_nothing,
    a_retried_create_returns_the_same_need_and_a_reused_id_conflicts,
    needs_are_seen_only_as_their_visibility_allows_per_role,
    needs_met_are_counted_in_the_window_asked_for,
);
