//! The family tree: queries that follow a lineage, closing, corrections, the tree as of
//! a date, peer links, organization views and exports (GraphQL and HTTP), each as the
//! viewer may see it.

use oikos_tests::serde_json::{Value, json};
use oikos_tests::{Session, TestApp, str_at, uuid_at};
use uuid::Uuid;

use crate::multiply::{MULTIPLY, invite, members, multiply};

/// Root(1) ─┬─ A(2) ─┬─ A1(3) ── A1a(4)
///          │        └─ A2(3)
///          └─ B(2)
struct Family {
    admin: Session,
    org: Uuid,
    root: Uuid,
    a: Uuid,
    b: Uuid,
    a1: Uuid,
    a2: Uuid,
    a1a: Uuid,
}

async fn family(app: &TestApp) -> Family {
    let admin = app.sign_up("Ada").await;
    let org = app.create_org(&admin, "CHURCH", "St Anne", None).await;
    let root = app.plant(&admin, org, "Root").await;
    let anna = invite(app, &admin, root, "Anna", "APPRENTICE", "2024-02-01").await;
    let a = multiply(app, &admin, root, "A", anna, "2024-06-01").await;
    let ben = invite(app, &admin, root, "Ben", "APPRENTICE", "2024-02-01").await;
    let b = multiply(app, &admin, root, "B", ben, "2024-09-01").await;
    let al = invite(app, &admin, a, "Al", "MEMBER", "2024-07-01").await;
    let a1 = multiply(app, &admin, a, "A1", al, "2025-03-01").await;
    let ali = invite(app, &admin, a, "Ali", "MEMBER", "2024-07-01").await;
    let a2 = multiply(app, &admin, a, "A2", ali, "2025-04-01").await;
    let ava = invite(app, &admin, a1, "Ava", "MEMBER", "2025-03-02").await;
    let a1a = multiply(app, &admin, a1, "A1a", ava, "2025-05-01").await;
    Family {
        admin,
        org,
        root,
        a,
        b,
        a1,
        a2,
        a1a,
    }
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list:#}"))
        .iter()
        .map(|n| n["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn generations(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list:#}"))
        .iter()
        .map(|n| n["generation"].as_i64().unwrap_or_default())
        .collect()
}

/// `lineage { <selection> }` of one community.
async fn lineage(app: &TestApp, s: &Session, community: Uuid, selection: &str) -> Value {
    let data = app
        .ok(
            Some(&s.token),
            &format!("query($id: ID!) {{ community(id: $id) {{ lineage {{ {selection} }} }} }}"),
            json!({ "id": community }),
        )
        .await;
    data["community"]["lineage"].clone()
}

async fn descendant_names(app: &TestApp, s: &Session, community: Uuid) -> (Vec<String>, Vec<i64>) {
    let got = lineage(
        app,
        s,
        community,
        "descendants(first: 500) { edges { node { name generation } } }",
    )
    .await;
    let nodes: Vec<Value> = got["descendants"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no edges: {got:#}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    (names(&json!(nodes)), generations(&json!(nodes)))
}

async fn lineage_queries_follow_the_family_tree(app: TestApp) {
    let f = family(&app).await;
    let s = &f.admin;

    let got = lineage(&app, s, f.a1a, "ancestors { name generation }").await;
    assert_eq!(names(&got["ancestors"]), ["Root", "A", "A1"]);
    assert_eq!(generations(&got["ancestors"]), [1, 2, 3]);
    let got = lineage(&app, s, f.a, "children { name } siblings { name }").await;
    assert_eq!(names(&got["children"]), ["A1", "A2"]);
    assert_eq!(names(&got["siblings"]), ["B"]);
    let got = lineage(&app, s, f.root, "ancestors { name } siblings { name }").await;
    assert_eq!(got, json!({ "ancestors": [], "siblings": [] }));

    let (order, gens) = descendant_names(&app, s, f.root).await;
    assert_eq!(order, ["A", "A1", "A1a", "A2", "B"], "depth-first");
    assert_eq!(gens, [2, 3, 4, 3, 2]);
    for (depth, expected) in [
        (0, vec![]),
        (1, vec!["A", "B"]),
        (2, vec!["A", "A1", "A2", "B"]),
    ] {
        let got = lineage(
            &app,
            s,
            f.root,
            &format!("descendants(depth: {depth}) {{ edges {{ node {{ name }} }} }}"),
        )
        .await;
        let nodes: Vec<Value> = got["descendants"]["edges"]
            .as_array()
            .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
            .unwrap_or_default();
        assert_eq!(names(&json!(nodes)), expected, "depth {depth}");
    }

    let page = "query($id: ID!, $after: String) { community(id: $id) { lineage {
        descendants(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { name } } } } } }";
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .ok(
                Some(&s.token),
                page,
                json!({ "id": f.root, "after": after }),
            )
            .await;
        let connection = &data["community"]["lineage"]["descendants"];
        let nodes: Vec<Value> = connection["edges"]
            .as_array()
            .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
            .unwrap_or_default();
        seen.push(names(&json!(nodes)));
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(
        seen,
        [vec!["A", "A1"], vec!["A1a", "A2"], vec!["B"]],
        "pages follow the depth-first order"
    );

    let stats = "stats { total active closed forming deepestGeneration
        streamsReachingThirdGeneration streamsReachingFourthGeneration
        generations { generation total active } multiplicationsByMonth { month multiplications } }";
    let got = lineage(&app, s, f.root, stats).await;
    assert_eq!(
        got["stats"],
        json!({
            "total": 6, "active": 6, "closed": 0, "forming": 0, "deepestGeneration": 4,
            "streamsReachingThirdGeneration": 1, "streamsReachingFourthGeneration": 1,
            "generations": [
                { "generation": 1, "total": 1, "active": 1 },
                { "generation": 2, "total": 2, "active": 2 },
                { "generation": 3, "total": 2, "active": 2 },
                { "generation": 4, "total": 1, "active": 1 }],
            "multiplicationsByMonth": [
                { "month": "2024-06", "multiplications": 1 },
                { "month": "2024-09", "multiplications": 1 },
                { "month": "2025-03", "multiplications": 1 },
                { "month": "2025-04", "multiplications": 1 },
                { "month": "2025-05", "multiplications": 1 }]
        })
    );
    let got = lineage(
        &app,
        s,
        f.b,
        "stats { total deepestGeneration streamsReachingThirdGeneration }",
    )
    .await;
    assert_eq!(
        got["stats"],
        json!({ "total": 1, "deepestGeneration": 2, "streamsReachingThirdGeneration": 0 })
    );
}

async fn depth_and_page_limits_out_of_range_are_refused(app: TestApp) {
    let f = family(&app).await;
    let query = |field: &str| {
        format!("query($id: ID!) {{ community(id: $id) {{ lineage {{ {field} }} }} }}")
    };
    let cases = [
        ("descendants(depth: -1) { edges { cursor } }", "depth"),
        ("descendants(depth: 101) { edges { cursor } }", "depth"),
        (
            "descendants(depth: 1000000000000) { edges { cursor } }",
            "depth",
        ),
        ("descendants(first: 0) { edges { cursor } }", "first"),
        ("descendants(first: 501) { edges { cursor } }", "first"),
        (
            "descendants(after: \"nonsense\") { edges { cursor } }",
            "after",
        ),
        (
            "asOf(date: \"2025-01-01\", depth: -3) { generation }",
            "depth",
        ),
        ("asOf(date: \"2999-01-01\") { generation }", "asOf"),
        ("export(format: CSV, depth: 101)", "depth"),
    ];
    for (field, at) in cases {
        let error = app
            .fails(
                Some(&f.admin.token),
                &query(field),
                json!({ "id": f.root }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], at, "{field}");
    }
}

async fn a_closed_community_keeps_its_place_and_its_descendants_are_untouched(app: TestApp) {
    let f = family(&app).await;
    let s = &f.admin;
    let (order_before, gens_before) = descendant_names(&app, s, f.root).await;
    let a1_members = members(&app, s, f.a1).await;
    app.ok(
        Some(&s.token),
        "mutation($input: CloseCommunityInput!) { closeCommunity(input: $input) { status } }",
        json!({ "input": { "id": f.a, "reason": "the leaders moved away", "closedOn": "2025-06-01" } }),
    )
    .await;

    let (order, gens) = descendant_names(&app, s, f.root).await;
    assert_eq!((order, gens), (order_before, gens_before));
    let got = lineage(
        &app,
        s,
        f.root,
        "descendants { edges { node { name status } } } stats { active closed }",
    )
    .await;
    let statuses: Vec<(String, String)> = got["descendants"]["edges"]
        .as_array()
        .map(|edges| {
            edges
                .iter()
                .map(|e| (str_at(&e["node"], "/name"), str_at(&e["node"], "/status")))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        statuses,
        [
            ("A", "CLOSED"),
            ("A1", "ACTIVE"),
            ("A1a", "ACTIVE"),
            ("A2", "ACTIVE"),
            ("B", "ACTIVE")
        ]
        .map(|(n, s)| (n.to_owned(), s.to_owned()))
    );
    assert_eq!(got["stats"], json!({ "active": 5, "closed": 1 }));
    let got = lineage(&app, s, f.a1a, "ancestors { name status }").await;
    assert_eq!(
        got["ancestors"],
        json!([{ "name": "Root", "status": "ACTIVE" }, { "name": "A", "status": "CLOSED" },
               { "name": "A1", "status": "ACTIVE" }])
    );
    assert_eq!(members(&app, s, f.a1).await, a1_members);
}

const CORRECT: &str = "mutation($input: CorrectLineageInput!) { correctLineage(input: $input) {
    beforeGeneration afterGeneration movedCount effectiveOn reason
    community { name } beforeParent { name } afterParent { name } } }";

/// Stored generations match path depths and every community's stream root heads its path.
async fn assert_tree_is_consistent(app: &TestApp) {
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM communities WHERE generation * 4 <> length(lineage_path)"
        )
        .await,
        0
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM communities c JOIN communities r ON r.id = c.stream_root_id \
             WHERE substr(c.lineage_path, 1, 4) <> r.lineage_path"
        )
        .await,
        0
    );
    assert_eq!(
        app.scalar(
            "SELECT COUNT(*) AS n FROM communities c JOIN communities p ON p.id = c.parent_id \
             WHERE substr(c.lineage_path, 1, length(p.lineage_path)) <> p.lineage_path"
        )
        .await,
        0
    );
}

async fn an_admin_corrects_a_wrong_parent_and_the_whole_subtree_follows(app: TestApp) {
    let f = family(&app).await;
    let s = &f.admin;
    let data = app
        .ok(
            Some(&s.token),
            CORRECT,
            json!({ "input": { "communityId": f.a, "parentId": f.b,
                               "reason": "entered under the wrong group" } }),
        )
        .await;
    assert_eq!(
        data["correctLineage"],
        json!({ "beforeGeneration": 2, "afterGeneration": 3, "movedCount": 4, "effectiveOn": null,
                "reason": "entered under the wrong group", "community": { "name": "A" },
                "beforeParent": { "name": "Root" }, "afterParent": { "name": "B" } })
    );
    let (order, gens) = descendant_names(&app, s, f.root).await;
    assert_eq!(order, ["B", "A", "A1", "A1a", "A2"]);
    assert_eq!(gens, [2, 3, 4, 5, 4]);
    let got = lineage(&app, s, f.a1a, "ancestors { name }").await;
    assert_eq!(names(&got["ancestors"]), ["Root", "B", "A", "A1"]);
    let got = lineage(&app, s, f.a, "corrections { reason afterParent { name } }").await;
    assert_eq!(
        got["corrections"],
        json!([{ "reason": "entered under the wrong group", "afterParent": { "name": "B" } }])
    );
    assert_eq!(app.count_rows("lineage_corrections").await, 1);
    assert_tree_is_consistent(&app).await;

    // A1 was planted separately after all: it becomes the root of a stream of its own.
    let data = app
        .ok(
            Some(&s.token),
            CORRECT,
            json!({ "input": { "communityId": f.a1, "parentId": null,
                               "reason": "planted by a neighbouring church" } }),
        )
        .await;
    assert_eq!(data["correctLineage"]["afterGeneration"], 1);
    assert_eq!(data["correctLineage"]["movedCount"], 2);
    assert_eq!(data["correctLineage"]["afterParent"], Value::Null);
    let data = app
        .ok(
            Some(&s.token),
            "query($id: ID!) { community(id: $id) { generation streamRootId parentId
               lineage { ancestors { name } } } }",
            json!({ "id": f.a1a }),
        )
        .await;
    assert_eq!(data["community"]["generation"], 2);
    assert_eq!(data["community"]["streamRootId"], json!(f.a1));
    assert_eq!(data["community"]["parentId"], json!(f.a1));
    assert_eq!(names(&data["community"]["lineage"]["ancestors"]), ["A1"]);
    let got = lineage(&app, s, f.root, "stats { total deepestGeneration }").await;
    assert_eq!(got["stats"], json!({ "total": 4, "deepestGeneration": 4 }));
    assert_tree_is_consistent(&app).await;
}

async fn lineage_corrections_refuse_cycles_and_the_wrong_people_and_change_nothing(app: TestApp) {
    let f = family(&app).await;
    let s = &f.admin;
    let leader = app.sign_up("Lou").await;
    app.add_member(s, f.a, leader.person_id, "LEADER").await;
    let coach = app.sign_up("Cal").await;
    app.grant(s, f.org, coach.person_id, "COACH").await;
    let stranger = app.sign_up("Stan").await;
    let before = (
        app.count_rows("lineage_corrections").await,
        app.count_rows("lineage_links").await,
        descendant_names(&app, s, f.root).await,
    );

    let input = |extra: Value| {
        let mut input = json!({ "communityId": f.a, "parentId": f.b, "reason": "typo" });
        if let (Some(base), Some(more)) = (input.as_object_mut(), extra.as_object()) {
            for (k, v) in more {
                base.insert(k.clone(), v.clone());
            }
        }
        if extra.get("omitParent").is_some()
            && let Some(base) = input.as_object_mut()
        {
            base.remove("parentId");
            base.remove("omitParent");
        }
        json!({ "input": input })
    };
    let bad = [
        (json!({ "parentId": f.a1a }), "parentId"),
        (json!({ "parentId": f.a }), "parentId"),
        (json!({ "parentId": f.root }), "parentId"),
        (json!({ "parentId": Uuid::now_v7() }), "parentId"),
        (json!({ "omitParent": true }), "parentId"),
        (json!({ "reason": "   " }), "reason"),
        (json!({ "effectiveOn": "2024-05-01" }), "effectiveOn"),
        (json!({ "effectiveOn": "2999-01-01" }), "effectiveOn"),
    ];
    for (extra, field) in bad {
        let error = app
            .fails(
                Some(&s.token),
                CORRECT,
                input(extra.clone()),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{extra}: {error:#}");
    }
    app.fails(Some(&leader.token), CORRECT, input(json!({})), "FORBIDDEN")
        .await;
    app.fails(Some(&coach.token), CORRECT, input(json!({})), "FORBIDDEN")
        .await;
    app.fails(
        Some(&stranger.token),
        CORRECT,
        input(json!({})),
        "NOT_FOUND",
    )
    .await;
    let after = (
        app.count_rows("lineage_corrections").await,
        app.count_rows("lineage_links").await,
        descendant_names(&app, s, f.root).await,
    );
    assert_eq!(after, before);
    assert_tree_is_consistent(&app).await;
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

async fn as_of(app: &TestApp, s: &Session, community: Uuid, date: &str) -> Value {
    lineage(
        app,
        s,
        community,
        &format!(
            "asOf(date: \"{date}\") {{ generation ancestors {{ name generation }}
               nodes {{ name generation status }} generations {{ generation total }} }}"
        ),
    )
    .await["asOf"]
        .clone()
}

async fn the_tree_as_of_a_date_stands_as_it_stood(app: TestApp) {
    let f = family(&app).await;
    let s = &f.admin;
    let end_of_2024 = as_of(&app, s, f.root, "2024-12-31").await;
    assert_eq!(names(&end_of_2024["nodes"]), ["Root", "A", "B"]);
    assert_eq!(generations(&end_of_2024["nodes"]), [1, 2, 2]);
    assert_eq!(
        end_of_2024["generations"],
        json!([{ "generation": 1, "total": 1 }, { "generation": 2, "total": 2 }])
    );
    assert_eq!(as_of(&app, s, f.root, "2023-12-31").await, Value::Null);

    app.ok(
        Some(&s.token),
        "mutation($input: CloseCommunityInput!) { closeCommunity(input: $input) { status } }",
        json!({ "input": { "id": f.b, "reason": "merged", "closedOn": "2025-02-01" } }),
    )
    .await;
    app.ok(
        Some(&s.token),
        CORRECT,
        json!({ "input": { "communityId": f.a1, "parentId": f.b, "reason": "moved over",
                           "effectiveOn": "2025-07-01" } }),
    )
    .await;
    app.ok(
        Some(&s.token),
        CORRECT,
        json!({ "input": { "communityId": f.a2, "parentId": f.b, "reason": "was always B's" } }),
    )
    .await;

    // Closing later does not change the past; the dated move holds from its day; the
    // retroactive fix rewrites history, as it says the old link was never true.
    let end_of_2024 = as_of(&app, s, f.root, "2024-12-31").await;
    let statuses: Vec<&str> = end_of_2024["nodes"]
        .as_array()
        .map(|nodes| nodes.iter().filter_map(|n| n["status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(statuses, ["ACTIVE", "ACTIVE", "ACTIVE"]);
    let mid_2025 = as_of(&app, s, f.root, "2025-06-30").await;
    assert_eq!(
        names(&mid_2025["nodes"]),
        ["Root", "A", "A1", "A1a", "B", "A2"]
    );
    assert_eq!(generations(&mid_2025["nodes"]), [1, 2, 3, 4, 2, 3]);
    assert_eq!(mid_2025["nodes"][4]["status"], "CLOSED");
    let now = as_of(&app, s, f.root, &today()).await;
    assert_eq!(names(&now["nodes"]), ["Root", "A", "B", "A1", "A1a", "A2"]);
    assert_eq!(generations(&now["nodes"]), [1, 2, 2, 3, 4, 3]);

    let a1_then = as_of(&app, s, f.a1, "2025-06-30").await;
    assert_eq!(a1_then["generation"], 3);
    assert_eq!(names(&a1_then["ancestors"]), ["Root", "A"]);
    assert_eq!(names(&a1_then["nodes"]), ["A1", "A1a"]);
    let a1_now = as_of(&app, s, f.a1, &today()).await;
    assert_eq!(names(&a1_now["ancestors"]), ["Root", "B"]);
    assert_eq!(generations(&a1_now["ancestors"]), [1, 2]);
    assert_eq!(app.count_rows("lineage_corrections").await, 2);
}

const LINK: &str =
    "mutation($input: LinkPeersInput!) { linkPeers(input: $input) { note peer { name } } }";
const UNLINK: &str = "mutation($input: UnlinkPeersInput!) { unlinkPeers(input: $input) }";

async fn peers_are_linked_apart_from_parentage(app: TestApp) {
    let f = family(&app).await;
    let s = &f.admin;
    let stranger = app.sign_up("Stan").await;
    let link = |community: Uuid, peer: Value, note: &str| json!({ "input": { "communityId": community, "peerId": peer, "note": note } });
    let data = app
        .ok(
            Some(&s.token),
            LINK,
            link(f.a, json!(f.b), "share a food bank"),
        )
        .await;
    assert_eq!(
        data["linkPeers"],
        json!({ "note": "share a food bank", "peer": { "name": "B" } })
    );
    app.ok(
        Some(&s.token),
        LINK,
        link(f.b, json!(f.a), "share a food bank"),
    )
    .await;
    assert_eq!(
        app.count_rows("peer_links").await,
        1,
        "a pair is linked once"
    );
    let data = app
        .ok(
            Some(&s.token),
            LINK,
            link(f.a, json!(f.b), "and a Friday meal"),
        )
        .await;
    assert_eq!(data["linkPeers"]["note"], "and a Friday meal");

    let got = lineage(
        &app,
        s,
        f.b,
        "peers { note peer { name community { id } } } ancestors { name }",
    )
    .await;
    assert_eq!(
        got,
        json!({ "peers": [{ "note": "and a Friday meal", "peer": { "name": "A", "community": { "id": f.a } } }],
                "ancestors": [{ "name": "Root" }] })
    );
    let got = lineage(&app, s, f.a, "peers { peer { name } } children { name }").await;
    assert_eq!(
        names(&got["children"]),
        ["A1", "A2"],
        "parentage is untouched"
    );

    for (peer, field) in [(json!(f.a), "peerId"), (json!(Uuid::now_v7()), "peerId")] {
        let error = app
            .fails(Some(&s.token), LINK, link(f.a, peer, "x"), "BAD_USER_INPUT")
            .await;
        assert_eq!(error["extensions"]["field"], field);
    }
    app.fails(
        Some(&stranger.token),
        LINK,
        link(f.a, json!(f.b), "x"),
        "NOT_FOUND",
    )
    .await;
    let unlink = json!({ "input": { "communityId": f.b, "peerId": f.a } });
    assert_eq!(
        app.ok(Some(&s.token), UNLINK, unlink.clone()).await["unlinkPeers"],
        true
    );
    assert_eq!(
        app.ok(Some(&s.token), UNLINK, unlink).await["unlinkPeers"],
        false
    );
    assert_eq!(app.count_rows("peer_links").await, 0);
}

/// Family plus a reporter of the church and a child in another church that the reporter
/// may not see.
async fn family_across_churches(app: &TestApp) -> (Family, Session, Session, Uuid, Uuid) {
    let f = family(app).await;
    let reporter = app.sign_up("Rita").await;
    app.grant(&f.admin, f.org, reporter.person_id, "REPORTER")
        .await;
    let other_admin = app.sign_up("Yusuf").await;
    let harbour_church = app
        .create_org(&other_admin, "CHURCH", "Harbour Church", None)
        .await;
    app.grant(&other_admin, harbour_church, f.admin.person_id, "COACH")
        .await;
    let hana = invite(app, &f.admin, f.a1, "Hana", "MEMBER", "2025-03-02").await;
    let data = app
        .ok(
            Some(&f.admin.token),
            MULTIPLY,
            json!({ "input": { "parentId": f.a1, "organizationId": harbour_church,
                               "name": "Tom & <Jerry>, \"quoted\"", "leaderIds": [hana],
                               "multipliedOn": "2025-08-01", "status": "ACTIVE",
                               "notes": "a pastoral note" } }),
        )
        .await;
    let harbour = uuid_at(&data, "/multiplyCommunity/child/id");
    (f, reporter, other_admin, harbour_church, harbour)
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> (u16, String, String) {
    let mut request = app.client().get(format!("{}{path}", app.base_url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .text()
        .await
        .unwrap_or_else(|e| panic!("body of {path}: {e}"));
    (status, content_type, body)
}

async fn exports_list_and_draw_the_tree_as_the_viewer_may_see_it(app: TestApp) {
    let (f, reporter, _, harbour_church, harbour) = family_across_churches(&app).await;
    let s = &f.admin;
    app.ok(
        Some(&s.token),
        "mutation($input: CloseCommunityInput!) { closeCommunity(input: $input) { status } }",
        json!({ "input": { "id": f.a1a, "reason": "ended well", "closedOn": "2025-09-01" } }),
    )
    .await;

    let csv = str_at(
        &lineage(&app, s, f.root, "export(format: CSV)").await,
        "/export",
    );
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "id,parentId,name,generation,status,organizationId,launchedOn,closedOn"
    );
    assert_eq!(
        lines[1],
        format!("{},,Root,1,ACTIVE,{},2024-01-15,", f.root, f.org)
    );
    assert_eq!(lines.len(), 8, "header and seven communities: {csv}");
    assert!(lines.contains(&format!("{},{},A2,3,ACTIVE,{},,", f.a2, f.a, f.org).as_str()));
    assert!(
        lines.contains(&format!("{},{},A1a,4,CLOSED,{},,2025-09-01", f.a1a, f.a1, f.org).as_str())
    );
    assert!(
        lines.contains(
            &format!(
                "{harbour},{},\"Tom & <Jerry>, \"\"quoted\"\"\",4,ACTIVE,{harbour_church},,",
                f.a1
            )
            .as_str()
        )
    );

    let json_text = str_at(
        &lineage(&app, s, f.root, "export(format: JSON, depth: 1)").await,
        "/export",
    );
    let nested: Value = oikos_tests::serde_json::from_str(&json_text)
        .unwrap_or_else(|e| panic!("export is not JSON: {e}"));
    assert_eq!(nested["tree"]["name"], "Root");
    assert_eq!(nested["tree"]["id"], json!(f.root));
    assert_eq!(names(&nested["tree"]["children"]), ["A", "B"]);
    assert_eq!(nested["tree"]["children"][0]["children"], json!([]));

    // A reporter of the first church sees the other church's community as a name only.
    let csv = str_at(
        &lineage(&app, &reporter, f.root, "export(format: CSV)").await,
        "/export",
    );
    assert!(!csv.contains(&harbour.to_string()), "{csv}");
    assert!(!csv.contains(&harbour_church.to_string()), "{csv}");
    assert!(csv.contains(&format!(
        "hidden-1,{},\"Tom & <Jerry>, \"\"quoted\"\"\",4,ACTIVE,,,",
        f.a1
    )));
    let json_text = str_at(
        &lineage(&app, &reporter, f.a1, "export(format: JSON)").await,
        "/export",
    );
    let nested: Value = oikos_tests::serde_json::from_str(&json_text)
        .unwrap_or_else(|e| panic!("export is not JSON: {e}"));
    let hidden = nested["tree"]["children"]
        .as_array()
        .and_then(|c| c.iter().find(|n| n["hidden"] == true).cloned())
        .unwrap_or_else(|| panic!("no hidden node in {nested:#}"));
    assert_eq!(
        hidden,
        json!({ "hidden": true, "name": "Tom & <Jerry>, \"quoted\"", "generation": 4,
                "status": "ACTIVE", "children": [] })
    );

    let (status, content_type, svg) =
        get(&app, Some(&s.token), &format!("/lineage/{}.svg", f.root)).await;
    assert_eq!(status, 200, "{svg}");
    assert!(content_type.starts_with("image/svg+xml"), "{content_type}");
    assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("✕"), "closed communities are marked");
    assert!(svg.contains("stroke-dasharray=\"6 4\""));
    assert!(svg.contains("Tom &amp; &lt;Jerry&gt;"));
    assert!(!svg.contains("<Jerry>"));
    assert_eq!(svg.matches("<rect x=").count(), 7);

    let (status, content_type, csv) = get(
        &app,
        Some(&s.token),
        &format!("/lineage/{}.csv?depth=1", f.root),
    )
    .await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/csv"));
    assert_eq!(
        csv.matches("\r\n").count(),
        4,
        "header, Root, A and B: {csv}"
    );
    let (status, _, csv) = get(
        &app,
        Some(&s.token),
        &format!("/lineage/{}.csv?asOf=2024-12-31", f.root),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        csv.matches("\r\n").count(),
        4,
        "Root, A and B stood then: {csv}"
    );
    let (status, content_type, json_text) =
        get(&app, Some(&s.token), &format!("/lineage/{}.json", f.a)).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/json"));
    assert!(json_text.contains("\"name\": \"A1a\""));

    let stranger = app.sign_up("Stan").await;
    let refused = [
        (None, format!("/lineage/{}.svg", f.root), 401),
        (
            Some(stranger.token.as_str()),
            format!("/lineage/{}.svg", f.root),
            404,
        ),
        (
            Some(s.token.as_str()),
            format!("/lineage/{}.png", f.root),
            404,
        ),
        (
            Some(s.token.as_str()),
            "/lineage/not-an-id.svg".to_owned(),
            404,
        ),
        (
            Some(s.token.as_str()),
            format!("/lineage/{}.svg?asOf=last-year", f.root),
            400,
        ),
        (
            Some(s.token.as_str()),
            format!("/lineage/{}.svg?depth=101", f.root),
            400,
        ),
        (
            Some(s.token.as_str()),
            format!("/lineage/{}.svg?asOf=2999-01-01", f.root),
            400,
        ),
    ];
    for (token, path, expected) in refused {
        let (status, content_type, body) = get(&app, token, &path).await;
        assert_eq!(status, expected, "{path}: {body}");
        assert!(content_type.starts_with("application/json"), "{path}");
        assert!(!body.contains("<svg"), "{path}");
    }
}

async fn organization_views_show_every_stream_that_touches_it(app: TestApp) {
    let (f, reporter, other_admin, harbour_church, harbour) = family_across_churches(&app).await;
    let streams = "query($org: ID!, $first: Int) { lineageStreams(organizationId: $org, first: $first) {
        pageInfo { hasNextPage } edges { node { root { name generation community { id } }
        communities deepestGeneration communitiesInOrganization deepestGenerationInOrganization } } } }";
    let data = app
        .ok(
            Some(&other_admin.token),
            streams,
            json!({ "org": harbour_church }),
        )
        .await;
    assert_eq!(
        data["lineageStreams"]["edges"],
        json!([{ "node": { "root": { "name": "Root", "generation": 1, "community": null },
                           "communities": 7, "deepestGeneration": 4,
                           "communitiesInOrganization": 1, "deepestGenerationInOrganization": 4 } }])
    );
    let data = app
        .ok(Some(&f.admin.token), streams, json!({ "org": f.org }))
        .await;
    assert_eq!(
        data["lineageStreams"]["edges"][0]["node"],
        json!({ "root": { "name": "Root", "generation": 1, "community": { "id": f.root } },
                "communities": 7, "deepestGeneration": 4,
                "communitiesInOrganization": 6, "deepestGenerationInOrganization": 4 })
    );

    app.plant(&other_admin, harbour_church, "Harbour Start")
        .await;
    let data = app
        .ok(
            Some(&other_admin.token),
            streams,
            json!({ "org": harbour_church, "first": 1 }),
        )
        .await;
    assert_eq!(data["lineageStreams"]["pageInfo"]["hasNextPage"], true);

    let stats = "query($org: ID!) { lineageStats(organizationId: $org) { total deepestGeneration
        streamsReachingThirdGeneration streamsReachingFourthGeneration generations { generation total }
        multiplicationsByMonth { month multiplications } } }";
    let data = app
        .ok(
            Some(&other_admin.token),
            stats,
            json!({ "org": harbour_church }),
        )
        .await;
    assert_eq!(
        data["lineageStats"],
        json!({ "total": 2, "deepestGeneration": 4, "streamsReachingThirdGeneration": 1,
                "streamsReachingFourthGeneration": 1,
                "generations": [{ "generation": 1, "total": 1 }, { "generation": 4, "total": 1 }],
                "multiplicationsByMonth": [{ "month": "2025-08", "multiplications": 1 }] })
    );
    let data = app
        .ok(Some(&reporter.token), stats, json!({ "org": f.org }))
        .await;
    assert_eq!(data["lineageStats"]["total"], 6);

    // Reporters see numbers and places in the tree, never people or pastoral notes.
    let got = lineage(
        &app,
        &reporter,
        f.a1,
        "children { name community { id } } multiplications { notes recordedBy { displayName } child { name } }",
    )
    .await;
    assert_eq!(
        got["children"],
        json!([{ "name": "A1a", "community": { "id": f.a1a } },
               { "name": "Tom & <Jerry>, \"quoted\"", "community": null }])
    );
    assert_eq!(
        got["multiplications"][1],
        json!({ "notes": null, "recordedBy": null, "child": { "name": "Tom & <Jerry>, \"quoted\"" } })
    );
    let data = app
        .ok(
            Some(&f.admin.token),
            "query($id: ID!) { community(id: $id) { lineage { startedFrom { notes } } } }",
            json!({ "id": harbour }),
        )
        .await;
    assert_eq!(
        data["community"]["lineage"]["startedFrom"]["notes"],
        "a pastoral note"
    );

    let member = app.sign_up("Mo").await;
    app.add_member(&f.admin, f.root, member.person_id, "MEMBER")
        .await;
    app.fails(
        Some(&member.token),
        stats,
        json!({ "org": f.org }),
        "FORBIDDEN",
    )
    .await;
    let stranger = app.sign_up("Stan").await;
    app.fails(
        Some(&stranger.token),
        stats,
        json!({ "org": f.org }),
        "NOT_FOUND",
    )
    .await;
    app.fails(
        Some(&stranger.token),
        streams,
        json!({ "org": f.org }),
        "NOT_FOUND",
    )
    .await;
}

oikos_tests::on_both_databases!(
    lineage_queries_follow_the_family_tree,
    depth_and_page_limits_out_of_range_are_refused,
    a_closed_community_keeps_its_place_and_its_descendants_are_untouched,
    an_admin_corrects_a_wrong_parent_and_the_whole_subtree_follows,
    lineage_corrections_refuse_cycles_and_the_wrong_people_and_change_nothing,
    the_tree_as_of_a_date_stands_as_it_stood,
    peers_are_linked_apart_from_parentage,
    exports_list_and_draw_the_tree_as_the_viewer_may_see_it,
    organization_views_show_every_stream_that_touches_it,
);
