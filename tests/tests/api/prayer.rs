//! Prayer requests (visibility per role, answered marks, unanswered first), prayer walks
//! with their links, and discernment notes.

use oikos_tests::serde_json::{Value, json};
use oikos_tests::{Session, TestApp, uuid_at};
use uuid::Uuid;

use crate::outreach::{cast, need, nodes, outreach_rows};

const CREATE: &str = "mutation($input: CreatePrayerRequestInput!) { \
    createPrayerRequest(input: $input) { id body visibility answered author { displayName } } }";
const ANSWER: &str = "mutation($input: MarkPrayerAnsweredInput!) { \
    markPrayerAnswered(input: $input) { answered answeredAt answeredNote } }";
const LIST: &str = "query($id: UUID!, $first: Int, $after: String, $answered: Boolean) { \
    community(id: $id) { prayerRequests(first: $first, after: $after, answered: $answered) { \
    pageInfo { hasNextPage endCursor } edges { node { body answered } } } } }";

async fn pray(app: &TestApp, by: &Session, community: Uuid, body: &str, visibility: &str) -> Uuid {
    let data = app
        .ok(
            Some(&by.token),
            CREATE,
            json!({ "input": { "communityId": community, "body": body, "visibility": visibility } }),
        )
        .await;
    uuid_at(&data, "/createPrayerRequest/id")
}

async fn bodies(app: &TestApp, by: &Session, community: Uuid) -> Vec<String> {
    let mut got = nodes(
        &app.ok(Some(&by.token), LIST, json!({ "id": community }))
            .await,
        "/community/prayerRequests/edges",
        "body",
    );
    got.sort();
    got
}

async fn prayer_requests_are_read_only_as_their_visibility_allows(app: TestApp) {
    let c = cast(&app).await;
    pray(&app, &c.member, c.community, "my job interview", "LEADERS").await;
    pray(
        &app,
        &c.member,
        c.community,
        "my mother in hospital",
        "COMMUNITY",
    )
    .await;
    pray(
        &app,
        &c.leader,
        c.community,
        "the street party",
        "COMMUNITY",
    )
    .await;
    let everything = [
        "my job interview",
        "my mother in hospital",
        "the street party",
    ]
    .map(str::to_owned)
    .to_vec();
    for reads_all in [&c.leader, &c.coach, &c.admin, &c.member] {
        assert_eq!(bodies(&app, reads_all, c.community).await, everything);
    }
    assert_eq!(
        bodies(&app, &c.other_member, c.community).await,
        ["my mother in hospital", "the street party"]
    );
    app.fails(
        Some(&c.reporter.token),
        LIST,
        json!({ "id": c.community }),
        "FORBIDDEN",
    )
    .await;
    for outside in [&c.stranger, &c.neighbour, &c.cousin, &c.outsider] {
        app.fails(
            Some(&outside.token),
            LIST,
            json!({ "id": c.community }),
            "NOT_FOUND",
        )
        .await;
    }
}

async fn unanswered_requests_come_first_and_answers_carry_a_note(app: TestApp) {
    let c = cast(&app).await;
    let first = pray(&app, &c.member, c.community, "first", "COMMUNITY").await;
    pray(&app, &c.member, c.community, "second", "COMMUNITY").await;
    let private = pray(&app, &c.member, c.community, "third", "LEADERS").await;
    pray(&app, &c.leader, c.community, "fourth", "COMMUNITY").await;

    let before = outreach_rows(&app).await;
    app.fails(
        Some(&c.other_member.token),
        ANSWER,
        json!({ "input": { "id": first } }),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        Some(&c.other_member.token),
        ANSWER,
        json!({ "input": { "id": private } }),
        "NOT_FOUND",
    )
    .await;
    for outside in [&c.reporter, &c.stranger] {
        app.fails(
            Some(&outside.token),
            ANSWER,
            json!({ "input": { "id": first } }),
            "NOT_FOUND",
        )
        .await;
    }
    let error = app
        .fails(
            Some(&c.member.token),
            ANSWER,
            json!({ "input": { "id": first, "note": "x".repeat(1001) } }),
            "BAD_USER_INPUT",
        )
        .await;
    assert_eq!(error["extensions"]["field"], "note");
    assert_eq!(outreach_rows(&app).await, before);

    let answered = app
        .ok(
            Some(&c.member.token),
            ANSWER,
            json!({ "input": { "id": first, "note": "she got the job" } }),
        )
        .await;
    assert_eq!(answered["markPrayerAnswered"]["answered"], true);
    assert_eq!(
        answered["markPrayerAnswered"]["answeredNote"],
        "she got the job"
    );
    app.ok(
        Some(&c.leader.token),
        ANSWER,
        json!({ "input": { "id": private } }),
    )
    .await;

    // Unanswered first (newest first), then answered, page by page.
    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .ok(
                Some(&c.leader.token),
                LIST,
                json!({ "id": c.community, "first": 1, "after": after }),
            )
            .await;
        let connection = &page["community"]["prayerRequests"];
        seen.extend(nodes(&page, "/community/prayerRequests/edges", "body"));
        if connection["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = connection["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen, ["fourth", "second", "third", "first"]);
    let unanswered = app
        .ok(
            Some(&c.other_member.token),
            LIST,
            json!({ "id": c.community, "answered": false }),
        )
        .await;
    assert_eq!(
        nodes(&unanswered, "/community/prayerRequests/edges", "body"),
        ["fourth", "second"]
    );
}

async fn bad_prayer_input_is_refused_and_writes_nothing(app: TestApp) {
    let c = cast(&app).await;
    let before = outreach_rows(&app).await;
    for body in [String::new(), " \n ".to_owned(), "x".repeat(4001)] {
        let error = app
            .fails(
                Some(&c.member.token),
                CREATE,
                json!({ "input": { "communityId": c.community, "body": body, "visibility": "COMMUNITY" } }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], "body");
    }
    let input = json!({ "input": { "communityId": c.community, "body": "peace", "visibility": "LEADERS" } });
    for not_a_member in [&c.coach, &c.admin, &c.reporter] {
        app.fails(
            Some(&not_a_member.token),
            CREATE,
            input.clone(),
            "FORBIDDEN",
        )
        .await;
    }
    app.fails(Some(&c.stranger.token), CREATE, input, "NOT_FOUND")
        .await;
    app.fails(
        Some(&c.member.token),
        CREATE,
        json!({ "input": { "communityId": Uuid::now_v7(), "body": "peace", "visibility": "LEADERS" } }),
        "NOT_FOUND",
    )
    .await;
    app.fails(
        Some(&c.member.token),
        ANSWER,
        json!({ "input": { "id": Uuid::now_v7() } }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);
}

const CREATE_WALK: &str = "mutation($input: CreatePrayerWalkInput!) { createPrayerWalk(input: $input) { \
    id area walkedOn observations walkers { displayName } needs { title } \
    peopleOfPeace { person { displayName } } } }";
const WALKS: &str = "query($id: UUID!) { community(id: $id) { prayerWalks { edges { node { \
    area walkers { displayName } needs { title } peopleOfPeace { person { displayName } } } } } } }";

async fn prayer_walks_record_who_walked_and_what_was_found(app: TestApp) {
    let c = cast(&app).await;
    let (amira, _) = app
        .create_person_of_peace(&c.member, c.community, "Amira")
        .await;
    let groceries = need(&app, &c.member, c.community, "Groceries", "COMMUNITY").await;
    let private = need(&app, &c.leader, c.community, "Debts", "LEADERS").await;
    let created = app
        .ok(
            Some(&c.member.token),
            CREATE_WALK,
            json!({ "input": { "communityId": c.community, "walkedOn": "2025-04-05",
                               "area": "Elm Street to the park",
                               "observations": "many elderly neighbours living alone",
                               "walkerIds": [c.member.person_id, c.leader.person_id, c.member.person_id],
                               "needIds": [groceries, private], "personOfPeaceIds": [amira] } }),
        )
        .await;
    let walk = &created["createPrayerWalk"];
    let mut walkers: Vec<String> = walk["walkers"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter_map(|p| p["displayName"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    walkers.sort();
    assert_eq!(walkers, ["Lena Leader", "Milo Member"]);
    // The member who walked sees the needs they may see, and not the leaders' one.
    assert_eq!(walk["needs"], json!([{ "title": "Groceries" }]));
    assert_eq!(
        walk["peopleOfPeace"],
        json!([{ "person": { "displayName": "Amira" } }])
    );
    let walk_id = uuid_at(&created, "/createPrayerWalk/id");
    let as_leader = app
        .ok(Some(&c.leader.token), WALKS, json!({ "id": c.community }))
        .await;
    let mut titles: Vec<String> =
        as_leader["community"]["prayerWalks"]["edges"][0]["node"]["needs"]
            .as_array()
            .map(|n| {
                n.iter()
                    .filter_map(|t| t["title"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
    titles.sort();
    assert_eq!(titles, ["Debts", "Groceries"]);
    app.fails(
        Some(&c.reporter.token),
        WALKS,
        json!({ "id": c.community }),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        Some(&c.neighbour.token),
        WALKS,
        json!({ "id": c.community }),
        "NOT_FOUND",
    )
    .await;

    let later = need(
        &app,
        &c.member,
        c.community,
        "Company for Mr Novak",
        "COMMUNITY",
    )
    .await;
    let updated = app
        .ok(
            Some(&c.member.token),
            "mutation($input: UpdatePrayerWalkInput!) { updatePrayerWalk(input: $input) { \
               area observations needs { title } } }",
            json!({ "input": { "id": walk_id, "needIds": [later], "observations": null } }),
        )
        .await;
    assert_eq!(
        updated["updatePrayerWalk"],
        json!({ "area": "Elm Street to the park", "observations": null,
                "needs": [{ "title": "Company for Mr Novak" }] })
    );

    let (theirs, _) = app
        .create_person_of_peace(&c.neighbour, c.neighbour_community, "Ben")
        .await;
    let their_need = need(
        &app,
        &c.neighbour,
        c.neighbour_community,
        "Far away",
        "COMMUNITY",
    )
    .await;
    let before = outreach_rows(&app).await;
    let base = json!({ "communityId": c.community, "area": "Elm Street" });
    for (patch, field) in [
        (json!({ "area": "" }), "area"),
        (json!({ "area": "x".repeat(201) }), "area"),
        (json!({ "walkedOn": "2999-01-01" }), "walkedOn"),
        (json!({ "walkerIds": [] }), "walkerIds"),
        (json!({ "walkerIds": [c.stranger.person_id] }), "walkerIds"),
        (
            json!({ "walkerIds": [c.member.person_id, c.neighbour.person_id] }),
            "walkerIds",
        ),
        (json!({ "needIds": [their_need] }), "needIds"),
        (json!({ "needIds": [Uuid::now_v7()] }), "needIds"),
        (json!({ "personOfPeaceIds": [theirs] }), "personOfPeaceIds"),
        (json!({ "observations": "x".repeat(4001) }), "observations"),
    ] {
        let mut input = base.clone();
        if let (Some(input), Some(patch)) = (input.as_object_mut(), patch.as_object()) {
            input.extend(patch.clone());
        }
        let error = app
            .fails(
                Some(&c.member.token),
                CREATE_WALK,
                json!({ "input": input }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{error:#}");
    }
    app.fails(
        Some(&c.coach.token),
        CREATE_WALK,
        json!({ "input": base }),
        "FORBIDDEN",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);
}

const NOTE: &str = "mutation($input: CreateDiscernmentNoteInput!) { \
    createDiscernmentNote(input: $input) { notedOn body author { displayName } } }";
const NOTES: &str = "query($id: UUID!, $first: Int, $after: String) { community(id: $id) { \
    discernmentNotes(first: $first, after: $after) { pageInfo { hasNextPage endCursor } \
    edges { node { notedOn body } } } } }";

async fn discernment_notes_are_read_by_members_and_written_by_leaders(app: TestApp) {
    let c = cast(&app).await;
    for (day, body) in [
        (
            "2025-03-01",
            "God seems at work among the young families at the park",
        ),
        (
            "2024-11-10",
            "We keep hearing about loneliness on our street",
        ),
        ("2025-01-20", "The food bank asked for help on Saturdays"),
    ] {
        let noted = app
            .ok(
                Some(&c.leader.token),
                NOTE,
                json!({ "input": { "communityId": c.community, "notedOn": day, "body": body } }),
            )
            .await;
        assert_eq!(
            noted["createDiscernmentNote"]["author"]["displayName"],
            "Lena Leader"
        );
    }
    let mut days = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .ok(
                Some(&c.member.token),
                NOTES,
                json!({ "id": c.community, "first": 2, "after": after }),
            )
            .await;
        days.extend(nodes(&page, "/community/discernmentNotes/edges", "notedOn"));
        let info = &page["community"]["discernmentNotes"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(days, ["2024-11-10", "2025-01-20", "2025-03-01"]);
    app.ok(Some(&c.coach.token), NOTES, json!({ "id": c.community }))
        .await;
    app.fails(
        Some(&c.reporter.token),
        NOTES,
        json!({ "id": c.community }),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        Some(&c.stranger.token),
        NOTES,
        json!({ "id": c.community }),
        "NOT_FOUND",
    )
    .await;

    let before = outreach_rows(&app).await;
    let input = |body: &str, day: &str| json!({ "input": { "communityId": c.community, "notedOn": day, "body": body } });
    app.fails(
        Some(&c.member.token),
        NOTE,
        input("a vision", "2025-01-01"),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        Some(&c.reporter.token),
        NOTE,
        input("a vision", "2025-01-01"),
        "FORBIDDEN",
    )
    .await;
    for (body, day, field) in [
        ("", "2025-01-01", "body"),
        ("a vision", "2999-01-01", "notedOn"),
        (&"x".repeat(4001) as &str, "2025-01-01", "body"),
    ] {
        let error = app
            .fails(
                Some(&c.leader.token),
                NOTE,
                input(body, day),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{error:#}");
    }
    assert_eq!(outreach_rows(&app).await, before);
}

oikos_tests::on_both_databases!(
    prayer_requests_are_read_only_as_their_visibility_allows,
    unanswered_requests_come_first_and_answers_carry_a_note,
    bad_prayer_input_is_refused_and_writes_nothing,
    prayer_walks_record_who_walked_and_what_was_found,
    discernment_notes_are_read_by_members_and_written_by_leaders,
);
