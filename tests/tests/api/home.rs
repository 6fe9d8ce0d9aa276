//! The mobile home query: one request answers a member's home screen, in a number of SQL
//! statements that does not grow with the number of communities.

use oikos_tests::{Session, TestApp, on_both_databases};
use serde_json::json;
use uuid::Uuid;

use crate::refused;

const HOME: &str = "query { home { communities {
    myRole
    community { id name nextGathering { id title startsAt practices } scorecard { month status } }
    openNeeds { id title }
    unansweredPrayerRequests { id body }
} } }";

/// A community led by `leader` with `member` in it, a gathering planned next week, a
/// need for the community, one only leaders see, and a prayer request.
async fn lively_community(
    app: &TestApp,
    leader: &Session,
    member: &Session,
    org: Uuid,
    name: &str,
) -> Uuid {
    let community = app.plant(leader, org, name).await;
    app.add_member(leader, community, member.person_id, "MEMBER")
        .await;
    let next_week = chrono::Utc::now() + chrono::Duration::days(7);
    app.ok(
        Some(&leader.token),
        "mutation($input: NewGatheringInput!) { scheduleGathering(input: $input) { id } }",
        json!({ "input": { "communityId": community, "title": format!("{name} supper"),
                           "startsAt": next_week, "practices": ["MEAL", "SCRIPTURE"] } }),
    )
    .await;
    for (title, visibility) in [
        ("Groceries for Mrs. Alvarez", "COMMUNITY"),
        ("Rent support", "LEADERS"),
    ] {
        app.ok(
            Some(&leader.token),
            "mutation($input: CreateNeedInput!) { createNeed(input: $input) { id } }",
            json!({ "input": { "communityId": community, "title": title, "category": "FOOD",
                               "visibility": visibility } }),
        )
        .await;
    }
    app.ok(
        Some(&member.token),
        "mutation($input: CreatePrayerRequestInput!) { createPrayerRequest(input: $input) { id } }",
        json!({ "input": { "communityId": community, "body": "For my sister's surgery",
                           "visibility": "COMMUNITY" } }),
    )
    .await;
    community
}

/// Statements the home query costs for `who`.
async fn statements_for_home(app: &TestApp, who: &Session) -> (usize, serde_json::Value) {
    let before = app.statement_count();
    let data = app.ok(Some(&who.token), HOME, json!({})).await;
    (app.statement_count() - before, data)
}

async fn the_home_query_costs_the_same_statements_for_one_community_or_four(app: TestApp) {
    let leader = app.sign_up("Leader").await;
    let member = app.sign_up("Member").await;
    let org = app.create_org(&leader, "CHURCH", "Grace", None).await;
    lively_community(&app, &leader, &member, org, "Alder").await;

    let (one, data) = statements_for_home(&app, &member).await;
    let communities = data["home"]["communities"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(communities.len(), 1);
    let home = &communities[0];
    assert_eq!(home["myRole"], "MEMBER");
    assert_eq!(home["community"]["nextGathering"]["title"], "Alder supper");
    assert!(home["community"]["scorecard"]["status"].is_string());
    // A member sees the community's need but not the one for leaders only.
    assert_eq!(
        home["openNeeds"],
        json!([{ "id": home["openNeeds"][0]["id"], "title": "Groceries for Mrs. Alvarez" }])
    );
    assert_eq!(
        home["unansweredPrayerRequests"][0]["body"],
        "For my sister's surgery"
    );

    for name in ["Birch", "Cedar", "Dogwood"] {
        lively_community(&app, &leader, &member, org, name).await;
    }
    let (four, data) = statements_for_home(&app, &member).await;
    let names: Vec<&str> = data["home"]["communities"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|c| c["community"]["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(names, ["Alder", "Birch", "Cedar", "Dogwood"]);
    assert_eq!(
        one, four,
        "the home query must not cost more statements per community"
    );

    // The leader also sees the leaders-only need.
    let data = app.ok(Some(&leader.token), HOME, json!({})).await;
    assert_eq!(
        data["home"]["communities"][0]["openNeeds"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

async fn the_home_query_shows_nothing_of_communities_one_does_not_belong_to(app: TestApp) {
    let leader = app.sign_up("Leader").await;
    let member = app.sign_up("Member").await;
    let org = app.create_org(&leader, "CHURCH", "Grace", None).await;
    lively_community(&app, &leader, &member, org, "Alder").await;
    let reporter = app.sign_up("Reporter").await;
    app.grant(&leader, org, reporter.person_id, "REPORTER")
        .await;
    let stranger = app.sign_up("Stranger").await;
    for who in [&reporter, &stranger] {
        let data = app.ok(Some(&who.token), HOME, json!({})).await;
        assert_eq!(data["home"]["communities"], json!([]));
    }
    refused(&app, None, HOME, json!({}), "UNAUTHENTICATED").await;
    let data = app
        .gql(
            Some(&member.token),
            "query { home(itemsPerCommunity: 0) { communities { myRole } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

on_both_databases!(
    the_home_query_costs_the_same_statements_for_one_community_or_four,
    the_home_query_shows_nothing_of_communities_one_does_not_belong_to,
);
