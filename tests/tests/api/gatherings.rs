//! Gatherings: scheduling, RSVPs, logging who came (members, named and anonymous guests),
//! did-not-meet and cancellation, corrections and deletion, sign-ups, bad input and who
//! may do what.

use chrono::{Duration, SecondsFormat, Utc};
use oikos_tests::{Session, TestApp, str_at};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{bad_input, node_ids, refused};

const FIELDS: &str = "fragment G on Gathering { id communityId title startsAt endsAt localMonth \
    placeKind placeDescription plan notes practices circles outcome didNotMeetReason \
    attendance { memberCount namedGuestCount anonymousGuests guestCount } \
    myRsvp rsvpCounts { yes no maybe } }";

fn op(body: &str) -> String {
    format!("{body} {FIELDS}")
}

pub fn schedule_query() -> String {
    op("mutation($input: NewGatheringInput!) { scheduleGathering(input: $input) { ...G } }")
}

pub fn log_query() -> String {
    op("mutation($input: LogGatheringInput!) { logGathering(input: $input) { ...G } }")
}

fn did_not_meet_query() -> String {
    op(
        "mutation($input: MarkGatheringDidNotMeetInput!) { markGatheringDidNotMeet(input: $input) { ...G } }",
    )
}

pub fn cancel_query() -> String {
    op("mutation($input: GatheringIdInput!) { cancelGathering(input: $input) { ...G } }")
}

pub fn update_query() -> String {
    op("mutation($input: UpdateGatheringInput!) { updateGathering(input: $input) { ...G } }")
}

pub const DELETE: &str = "mutation($input: GatheringIdInput!) { deleteGathering(input: $input) }";

fn rsvp_query() -> String {
    op("mutation($input: RsvpToGatheringInput!) { rsvpToGathering(input: $input) { ...G } }")
}

fn read_query() -> String {
    op("query($id: UUID!) { gathering(id: $id) { ...G } }")
}

const PEOPLE: &str = "query($id: UUID!) { gathering(id: $id) { \
    attendance { members { id } guests { id displayName } } rsvps { response person { id } } } }";

const SIGNUP_FIELDS: &str = "id gatheringId label claimed claimedByMe claimedAt claimedBy { id }";

fn add_signup_query() -> String {
    format!(
        "mutation($input: AddGatheringSignupInput!) {{ addGatheringSignup(input: $input) {{ {SIGNUP_FIELDS} }} }}"
    )
}

fn claim_query() -> String {
    format!(
        "mutation($input: GatheringSignupIdInput!) {{ claimGatheringSignup(input: $input) {{ {SIGNUP_FIELDS} }} }}"
    )
}

fn unclaim_query() -> String {
    format!(
        "mutation($input: GatheringSignupIdInput!) {{ unclaimGatheringSignup(input: $input) {{ {SIGNUP_FIELDS} }} }}"
    )
}

const REMOVE_SIGNUP: &str =
    "mutation($input: GatheringSignupIdInput!) { removeGatheringSignup(input: $input) }";

fn signups_query() -> String {
    format!("query($id: UUID!) {{ gathering(id: $id) {{ signups {{ {SIGNUP_FIELDS} }} }} }}")
}

/// A leader (also the church's admin), a member, and their ACTIVE community in Berlin.
pub struct Group {
    pub leader: Session,
    pub member: Session,
    pub org: Uuid,
    pub community: Uuid,
}

pub async fn group(app: &TestApp) -> Group {
    let leader = app.sign_up("Leader").await;
    let org = app.create_org(&leader, "CHURCH", "Harbour", None).await;
    let community = app.plant(&leader, org, "Elm Street").await;
    let member = app.sign_up("Member").await;
    app.add_member(&leader, community, member.person_id, "MEMBER")
        .await;
    Group {
        leader,
        member,
        org,
        community,
    }
}

/// An instant `days` from now, as the API takes it.
pub fn days_from_now(days: i64) -> String {
    (Utc::now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub async fn schedule(app: &TestApp, who: &Session, input: Value) -> Value {
    app.ok(
        Some(&who.token),
        &schedule_query(),
        json!({ "input": input }),
    )
    .await["scheduleGathering"]
        .clone()
}

pub async fn log(app: &TestApp, who: &Session, input: Value) -> Value {
    app.ok(Some(&who.token), &log_query(), json!({ "input": input }))
        .await["logGathering"]
        .clone()
}

async fn read(app: &TestApp, who: &Session, id: &str) -> Value {
    app.ok(Some(&who.token), &read_query(), json!({ "id": id }))
        .await["gathering"]
        .clone()
}

/// Rows of the tables a gathering writes, to prove that refused input wrote nothing.
async fn written(app: &TestApp) -> [i64; 5] {
    [
        app.count_rows("gatherings").await,
        app.count_rows("gathering_practices").await,
        app.count_rows("gathering_attendance").await,
        app.count_rows("gathering_rsvps").await,
        app.count_rows("gathering_signups").await,
    ]
}

async fn a_gathering_is_scheduled_answered_and_logged_with_who_came(app: TestApp) {
    let g = group(&app).await;
    let (_, maria) = app
        .create_person_of_peace(&g.leader, g.community, "Maria")
        .await;
    let id = Uuid::new_v4();
    let input = json!({ "id": id, "communityId": g.community, "title": "  Soup night ",
        "startsAt": "2026-03-10T18:00:00Z", "endsAt": "2026-03-10T21:00:00Z",
        "placeDescription": "At Ana's, 12 Elm Street", "plan": "Soup, and Psalm 23",
        "practices": ["MEAL", "SCRIPTURE", "MEAL"] });
    let scheduled = schedule(&app, &g.leader, input.clone()).await;
    assert_eq!(scheduled["id"], json!(id));
    assert_eq!(scheduled["title"], "Soup night");
    assert_eq!(scheduled["localMonth"], "2026-03");
    // The community's usual place, as none was named.
    assert_eq!(scheduled["placeKind"], "HOME");
    assert_eq!(scheduled["practices"], json!(["SCRIPTURE", "MEAL"]));
    assert_eq!(scheduled["circles"], json!(["COMMUNION"]));
    assert_eq!(scheduled["outcome"], "SCHEDULED");
    assert_eq!(scheduled["myRsvp"], Value::Null);

    // A retry with the same id and content is the same gathering; other content is not.
    assert_eq!(schedule(&app, &g.leader, input.clone()).await, scheduled);
    let mut different = input;
    different["title"] = json!("Bread night");
    refused(
        &app,
        Some(&g.leader.token),
        &schedule_query(),
        json!({ "input": different }),
        "CONFLICT",
    )
    .await;
    assert_eq!(app.count_rows("gatherings").await, 1);

    let answer = |who: &Session, response: &str| {
        let token = who.token.clone();
        let vars = json!({ "input": { "gatheringId": id, "response": response } });
        let app = &app;
        async move { app.ok(Some(&token), &rsvp_query(), vars).await["rsvpToGathering"].clone() }
    };
    assert_eq!(answer(&g.member, "YES").await["myRsvp"], "YES");
    answer(&g.leader, "MAYBE").await;
    let changed = answer(&g.leader, "NO").await;
    assert_eq!(changed["myRsvp"], "NO");
    assert_eq!(
        changed["rsvpCounts"],
        json!({ "yes": 1, "no": 1, "maybe": 0 })
    );
    assert_eq!(
        read(&app, &g.member, &id.to_string()).await["myRsvp"],
        "YES"
    );

    let logged = log(
        &app,
        &g.member,
        json!({ "gatheringId": id, "notes": "Maria brought bread.",
                "presentMemberIds": [g.leader.person_id, g.member.person_id],
                "guestIds": [maria], "anonymousGuests": 3 }),
    )
    .await;
    assert_eq!(logged["outcome"], "HELD");
    assert_eq!(logged["notes"], "Maria brought bread.");
    assert_eq!(
        logged["attendance"],
        json!({ "memberCount": 2, "namedGuestCount": 1, "anonymousGuests": 3, "guestCount": 4 })
    );
    assert_eq!(read(&app, &g.member, &id.to_string()).await, logged);

    let people = app
        .ok(Some(&g.leader.token), PEOPLE, json!({ "id": id }))
        .await;
    let present: Vec<String> = people["gathering"]["attendance"]["members"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| str_at(p, "/id"))
        .collect();
    assert_eq!(
        present,
        [
            g.leader.person_id.to_string(),
            g.member.person_id.to_string()
        ]
    );
    assert_eq!(
        people["gathering"]["attendance"]["guests"],
        json!([{ "id": maria, "displayName": "Maria" }])
    );
    assert_eq!(
        people["gathering"]["rsvps"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(app.count_rows("gathering_attendance").await, 3);
}

async fn gatherings_are_logged_unscheduled_missed_cancelled_and_listed(app: TestApp) {
    let g = group(&app).await;
    let held = log(
        &app,
        &g.member,
        json!({ "gathering": { "communityId": g.community, "startsAt": "2026-03-17T17:00:00Z",
                               "practices": ["SERVICE"], "placeKind": "PARK" },
                "presentMemberIds": [g.member.person_id] }),
    )
    .await;
    assert_eq!(held["outcome"], "HELD");
    assert_eq!(held["circles"], json!(["MISSION"]));
    assert_eq!(held["attendance"]["memberCount"], 1);

    let missed = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "startsAt": "2026-03-24T18:00:00Z",
                "practices": ["SCRIPTURE"] }),
    )
    .await;
    let missed = app
        .ok(
            Some(&g.member.token),
            &did_not_meet_query(),
            json!({ "input": { "gatheringId": missed["id"], "reason": " Half of us had the flu " } }),
        )
        .await["markGatheringDidNotMeet"]
        .clone();
    assert_eq!(missed["outcome"], "DID_NOT_MEET");
    assert_eq!(missed["didNotMeetReason"], "Half of us had the flu");

    // What is next: the earliest scheduled gathering still ahead; cancelled ones are not.
    let soon = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "startsAt": days_from_now(3), "practices": ["PARTY"] }),
    )
    .await;
    let later = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "startsAt": days_from_now(10), "practices": ["MEAL"] }),
    )
    .await;
    let next = "query($id: UUID!) { community(id: $id) { nextGathering { id } } }";
    let vars = json!({ "id": g.community });
    let data = app.ok(Some(&g.member.token), next, vars.clone()).await;
    assert_eq!(data["community"]["nextGathering"]["id"], soon["id"]);
    let cancelled = app
        .ok(
            Some(&g.leader.token),
            &cancel_query(),
            json!({ "input": { "gatheringId": soon["id"] } }),
        )
        .await["cancelGathering"]
        .clone();
    assert_eq!(cancelled["outcome"], "CANCELLED");
    let data = app.ok(Some(&g.member.token), next, vars).await;
    assert_eq!(data["community"]["nextGathering"]["id"], later["id"]);

    // What was logged cannot be cancelled: that would quietly erase a month's rhythm.
    refused(
        &app,
        Some(&g.leader.token),
        &cancel_query(),
        json!({ "input": { "gatheringId": held["id"] } }),
        "CONFLICT",
    )
    .await;

    let list = "query($id: UUID!, $from: DateTime, $to: DateTime, $newest: Boolean!, $first: Int, $after: String) { \
        community(id: $id) { gatherings(from: $from, to: $to, newestFirst: $newest, first: $first, after: $after) { \
        edges { node { id } } pageInfo { hasNextPage endCursor } } } }";
    let march = json!({ "id": g.community, "from": "2026-03-01T00:00:00Z",
                        "to": "2026-04-01T00:00:00Z", "newest": false });
    let data = app.ok(Some(&g.member.token), list, march.clone()).await;
    let ids = node_ids(&data["community"]["gatherings"]);
    assert_eq!(ids, [str_at(&held, "/id"), str_at(&missed, "/id")]);
    let mut newest = march.clone();
    newest["newest"] = json!(true);
    let data = app.ok(Some(&g.member.token), list, newest).await;
    let ids = node_ids(&data["community"]["gatherings"]);
    assert_eq!(ids, [str_at(&missed, "/id"), str_at(&held, "/id")]);

    let mut all = json!({ "id": g.community, "newest": false, "first": 2 });
    let data = app.ok(Some(&g.member.token), list, all.clone()).await;
    let page = &data["community"]["gatherings"];
    assert_eq!(
        node_ids(page),
        [str_at(&held, "/id"), str_at(&missed, "/id")]
    );
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    all["after"] = page["pageInfo"]["endCursor"].clone();
    let data = app.ok(Some(&g.member.token), list, all).await;
    let page = &data["community"]["gatherings"];
    assert_eq!(
        node_ids(page),
        [str_at(&soon, "/id"), str_at(&later, "/id")]
    );
    assert_eq!(page["pageInfo"]["hasNextPage"], false);
}

async fn impossible_gatherings_are_refused_and_nothing_is_written(app: TestApp) {
    let g = group(&app).await;
    let stranger = app.sign_up("Stranger").await;
    let (_, maria) = app
        .create_person_of_peace(&g.leader, g.community, "Maria")
        .await;
    let scheduled = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "startsAt": "2026-03-10T18:00:00Z", "practices": ["MEAL"] }),
    )
    .await;
    let ahead = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "startsAt": days_from_now(5), "practices": ["MEAL"] }),
    )
    .await;
    let before = written(&app).await;
    let token = Some(g.leader.token.as_str());
    let new = |changes: Value| {
        let mut input = json!({ "communityId": g.community, "startsAt": "2026-03-12T18:00:00Z",
                                "practices": ["SCRIPTURE"] });
        if let (Some(input), Some(changes)) = (input.as_object_mut(), changes.as_object()) {
            input.extend(changes.clone());
        }
        input
    };

    for (changes, field) in [
        (json!({ "endsAt": "2026-03-12T17:00:00Z" }), "endsAt"),
        (json!({ "endsAt": "2026-03-12T18:00:00Z" }), "endsAt"),
        (json!({ "endsAt": "2026-03-13T18:01:00Z" }), "endsAt"),
        (json!({ "practices": [] }), "practices"),
        (json!({ "title": "x".repeat(121) }), "title"),
    ] {
        let input = json!({ "input": new(changes) });
        bad_input(&app, token, &schedule_query(), input, field).await;
    }
    // An unknown practice is not a value of the enum.
    refused(
        &app,
        token,
        &schedule_query(),
        json!({ "input": new(json!({ "practices": ["DANCING"] })) }),
        "BAD_USER_INPUT",
    )
    .await;

    let logs = [
        // Logged as held more than a day ahead, new or scheduled.
        (
            json!({ "gathering": new(json!({ "startsAt": days_from_now(2) })) }),
            "startsAt",
        ),
        (json!({ "gatheringId": ahead["id"] }), "startsAt"),
        (
            json!({ "gatheringId": scheduled["id"], "presentMemberIds": [stranger.person_id] }),
            "presentMemberIds",
        ),
        // A person of peace is a guest, not a member.
        (
            json!({ "gatheringId": scheduled["id"], "presentMemberIds": [maria] }),
            "presentMemberIds",
        ),
        (
            json!({ "gatheringId": scheduled["id"],
                    "presentMemberIds": [g.member.person_id, g.member.person_id] }),
            "presentMemberIds",
        ),
        (
            json!({ "gatheringId": scheduled["id"], "anonymousGuests": -1 }),
            "anonymousGuests",
        ),
        (
            json!({ "gatheringId": scheduled["id"], "anonymousGuests": 10_001 }),
            "anonymousGuests",
        ),
        (
            json!({ "gatheringId": scheduled["id"], "guestIds": [stranger.person_id] }),
            "guestIds",
        ),
        (
            json!({ "gatheringId": scheduled["id"], "guestIds": [maria, maria] }),
            "guestIds",
        ),
        (
            json!({ "gatheringId": scheduled["id"], "presentMemberIds": [g.member.person_id],
                    "guestIds": [g.member.person_id] }),
            "guestIds",
        ),
        (
            json!({ "gathering": new(json!({ "endsAt": "2026-03-12T17:00:00Z" })) }),
            "endsAt",
        ),
        (
            json!({ "gathering": new(json!({})), "presentMemberIds": [stranger.person_id] }),
            "presentMemberIds",
        ),
        (json!({}), "gatheringId"),
        (
            json!({ "gatheringId": scheduled["id"], "gathering": new(json!({})) }),
            "gatheringId",
        ),
    ];
    for (input, field) in logs {
        bad_input(&app, token, &log_query(), json!({ "input": input }), field).await;
    }
    bad_input(
        &app,
        token,
        &did_not_meet_query(),
        json!({ "input": { "gatheringId": scheduled["id"], "reason": "  " } }),
        "reason",
    )
    .await;
    bad_input(
        &app,
        token,
        &update_query(),
        json!({ "input": { "id": scheduled["id"], "endsAt": "2026-03-10T17:59:00Z" } }),
        "endsAt",
    )
    .await;
    assert_eq!(written(&app).await, before);
    assert_eq!(
        read(&app, &g.leader, &str_at(&scheduled, "/id")).await["outcome"],
        "SCHEDULED"
    );
}

async fn signups_are_claimed_by_one_member_and_given_back(app: TestApp) {
    let g = group(&app).await;
    let other = app.sign_up("Other").await;
    app.add_member(&g.leader, g.community, other.person_id, "MEMBER")
        .await;
    let gathering = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "startsAt": days_from_now(7), "practices": ["PARTY"] }),
    )
    .await;
    let add = |who: &Session, id: Uuid, label: &str| {
        let token = who.token.clone();
        let vars = json!({ "input": { "id": id, "gatheringId": gathering["id"], "label": label } });
        let app = &app;
        async move {
            app.ok(Some(&token), &add_signup_query(), vars).await["addGatheringSignup"].clone()
        }
    };
    let salad_id = Uuid::new_v4();
    let salad = add(&g.member, salad_id, " salad ").await;
    assert_eq!(salad["label"], "salad");
    assert_eq!(salad["claimed"], false);
    // A retried add is the same item.
    assert_eq!(add(&g.member, salad_id, "salad").await, salad);
    let drinks = add(&g.leader, Uuid::new_v4(), "drinks").await;
    refused(
        &app,
        Some(&other.token),
        &add_signup_query(),
        json!({ "input": { "gatheringId": gathering["id"], "label": "salad" } }),
        "CONFLICT",
    )
    .await;
    assert_eq!(app.count_rows("gathering_signups").await, 2);

    let item = |signup: &Value| json!({ "input": { "signupId": signup["id"] } });
    let claimed = app
        .ok(Some(&g.member.token), &claim_query(), item(&salad))
        .await["claimGatheringSignup"]
        .clone();
    assert_eq!(claimed["claimed"], true);
    assert_eq!(claimed["claimedByMe"], true);
    assert_eq!(claimed["claimedBy"]["id"], json!(g.member.person_id));
    // Claimed twice, by someone else or by the same member: one salad is enough.
    for who in [&other, &g.member] {
        let error = refused(
            &app,
            Some(&who.token),
            &claim_query(),
            item(&salad),
            "CONFLICT",
        )
        .await;
        assert!(
            str_at(&error, "/message").contains("already claimed"),
            "{error:#}"
        );
    }
    // Someone else's claim is theirs to give back, or a leader's to correct.
    refused(
        &app,
        Some(&other.token),
        &unclaim_query(),
        item(&salad),
        "FORBIDDEN",
    )
    .await;
    let released = app
        .ok(Some(&g.member.token), &unclaim_query(), item(&salad))
        .await["unclaimGatheringSignup"]
        .clone();
    assert_eq!(released["claimed"], false);
    assert_eq!(released["claimedBy"], Value::Null);
    refused(
        &app,
        Some(&g.member.token),
        &unclaim_query(),
        item(&salad),
        "CONFLICT",
    )
    .await;
    app.ok(Some(&other.token), &claim_query(), item(&drinks))
        .await;
    let corrected = app
        .ok(Some(&g.leader.token), &unclaim_query(), item(&drinks))
        .await["unclaimGatheringSignup"]
        .clone();
    assert_eq!(corrected["claimed"], false);

    refused(
        &app,
        Some(&g.member.token),
        REMOVE_SIGNUP,
        item(&drinks),
        "FORBIDDEN",
    )
    .await;
    let removed = app
        .ok(Some(&g.leader.token), REMOVE_SIGNUP, item(&drinks))
        .await;
    assert_eq!(removed["removeGatheringSignup"], true);
    let list = app
        .ok(
            Some(&g.member.token),
            &signups_query(),
            json!({ "id": gathering["id"] }),
        )
        .await;
    let labels: Vec<String> = list["gathering"]["signups"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| str_at(s, "/label"))
        .collect();
    assert_eq!(labels, ["salad"]);

    // Once a gathering has been logged, its RSVPs and sign-ups are closed.
    let past = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "startsAt": "2026-03-10T18:00:00Z", "practices": ["MEAL"] }),
    )
    .await;
    log(&app, &g.leader, json!({ "gatheringId": past["id"] })).await;
    let before = written(&app).await;
    refused(
        &app,
        Some(&g.member.token),
        &add_signup_query(),
        json!({ "input": { "gatheringId": past["id"], "label": "chairs" } }),
        "CONFLICT",
    )
    .await;
    refused(
        &app,
        Some(&g.member.token),
        &rsvp_query(),
        json!({ "input": { "gatheringId": past["id"], "response": "YES" } }),
        "CONFLICT",
    )
    .await;
    assert_eq!(written(&app).await, before);
}

async fn who_may_do_what_with_a_gathering(app: TestApp) {
    let g = group(&app).await;
    let stranger = app.sign_up("Stranger").await;
    let reporter = app.sign_up("Reporter").await;
    let coach = app.sign_up("Coach").await;
    app.grant(&g.leader, g.org, reporter.person_id, "REPORTER")
        .await;
    app.grant(&g.leader, g.org, coach.person_id, "COACH").await;
    let leaders = schedule(
        &app,
        &g.leader,
        json!({ "communityId": g.community, "startsAt": "2026-03-10T18:00:00Z",
                "placeDescription": "At Ana's", "plan": "Pray for Ana's mother", "practices": ["PRAYER"] }),
    )
    .await;
    let id = leaders["id"].clone();
    let by_id = json!({ "input": { "gatheringId": id } });

    // A stranger learns nothing, not even that the gathering exists.
    for (query, vars) in [
        (read_query(), json!({ "id": id })),
        (
            schedule_query(),
            json!({ "input": { "communityId": g.community, "startsAt": days_from_now(3), "practices": ["MEAL"] } }),
        ),
        (log_query(), json!({ "input": { "gatheringId": id } })),
        (
            rsvp_query(),
            json!({ "input": { "gatheringId": id, "response": "YES" } }),
        ),
        (cancel_query(), by_id.clone()),
        (
            update_query(),
            json!({ "input": { "id": id, "title": "Mine now" } }),
        ),
        (DELETE.to_owned(), by_id.clone()),
        (
            add_signup_query(),
            json!({ "input": { "gatheringId": id, "label": "cake" } }),
        ),
    ] {
        refused(&app, Some(&stranger.token), &query, vars, "NOT_FOUND").await;
    }

    // A reporter sees that it happened and how many came, never who or where.
    let seen = read(&app, &reporter, &str_at(&leaders, "/id")).await;
    assert_eq!(seen["outcome"], "SCHEDULED");
    assert_eq!(seen["placeDescription"], Value::Null);
    assert_eq!(seen["plan"], Value::Null);
    refused(
        &app,
        Some(&reporter.token),
        PEOPLE,
        json!({ "id": id }),
        "FORBIDDEN",
    )
    .await;
    let reporter_may_not = [
        (
            schedule_query(),
            json!({ "input": { "communityId": g.community, "startsAt": days_from_now(3), "practices": ["MEAL"] } }),
        ),
        (
            rsvp_query(),
            json!({ "input": { "gatheringId": id, "response": "YES" } }),
        ),
        (log_query(), json!({ "input": { "gatheringId": id } })),
    ];
    for (query, vars) in reporter_may_not {
        refused(&app, Some(&reporter.token), &query, vars, "FORBIDDEN").await;
    }
    // A coach sees the people, but takes part only through the leaders.
    let coached = read(&app, &coach, &str_at(&leaders, "/id")).await;
    assert_eq!(coached["placeDescription"], "At Ana's");
    app.ok(Some(&coach.token), PEOPLE, json!({ "id": id }))
        .await;
    refused(
        &app,
        Some(&coach.token),
        &rsvp_query(),
        json!({ "input": { "gatheringId": id, "response": "YES" } }),
        "FORBIDDEN",
    )
    .await;

    // A member moves, cancels or withdraws only what they planned themselves.
    for (query, vars) in [
        (
            update_query(),
            json!({ "input": { "id": id, "title": "Mine now" } }),
        ),
        (cancel_query(), by_id.clone()),
        (DELETE.to_owned(), by_id.clone()),
    ] {
        refused(&app, Some(&g.member.token), &query, vars, "FORBIDDEN").await;
    }
    let own = schedule(
        &app,
        &g.member,
        json!({ "communityId": g.community, "startsAt": days_from_now(4), "practices": ["PARTY"] }),
    )
    .await;
    let moved = app
        .ok(
            Some(&g.member.token),
            &update_query(),
            json!({ "input": { "id": own["id"], "title": "Cook-out", "startsAt": days_from_now(5) } }),
        )
        .await;
    assert_eq!(moved["updateGathering"]["title"], "Cook-out");
    let withdrawn = app
        .ok(
            Some(&g.member.token),
            DELETE,
            json!({ "input": { "gatheringId": own["id"] } }),
        )
        .await;
    assert_eq!(withdrawn["deleteGathering"], true);

    // Any member logs what happened; changing what was logged is a leader's correction.
    log(
        &app,
        &g.member,
        json!({ "gatheringId": id, "presentMemberIds": [g.member.person_id] }),
    )
    .await;
    for (query, vars) in [
        (
            log_query(),
            json!({ "input": { "gatheringId": id, "anonymousGuests": 2 } }),
        ),
        (
            did_not_meet_query(),
            json!({ "input": { "gatheringId": id, "reason": "snow" } }),
        ),
        (
            update_query(),
            json!({ "input": { "id": id, "notes": "mine" } }),
        ),
    ] {
        refused(&app, Some(&g.member.token), &query, vars, "FORBIDDEN").await;
    }
    let relogged = log(
        &app,
        &g.leader,
        json!({ "gatheringId": id, "anonymousGuests": 2,
                "presentMemberIds": [g.member.person_id, g.leader.person_id] }),
    )
    .await;
    assert_eq!(relogged["attendance"]["memberCount"], 2);
    assert_eq!(relogged["attendance"]["guestCount"], 2);
    let corrected = app
        .ok(
            Some(&g.leader.token),
            &update_query(),
            json!({ "input": { "id": id, "notes": "Ana's mother is better", "plan": null } }),
        )
        .await;
    assert_eq!(
        corrected["updateGathering"]["notes"],
        "Ana's mother is better"
    );
    assert_eq!(corrected["updateGathering"]["plan"], Value::Null);
    assert_eq!(corrected["updateGathering"]["outcome"], "HELD");

    // Deleted: gone from reads, kept as a tombstone for sync.
    let deleted = app.ok(Some(&g.leader.token), DELETE, by_id.clone()).await;
    assert_eq!(deleted["deleteGathering"], true);
    refused(
        &app,
        Some(&g.leader.token),
        &read_query(),
        json!({ "id": id }),
        "NOT_FOUND",
    )
    .await;
    refused(&app, Some(&g.leader.token), DELETE, by_id, "NOT_FOUND").await;
    assert_eq!(app.count_rows("gatherings").await, 2);
    let data = app
        .ok(
            Some(&g.leader.token),
            "query($id: UUID!) { community(id: $id) { gatherings { edges { node { id } } } } }",
            json!({ "id": g.community }),
        )
        .await;
    assert!(node_ids(&data["community"]["gatherings"]).is_empty());
}

oikos_tests::on_both_databases!(
    a_gathering_is_scheduled_answered_and_logged_with_who_came,
    gatherings_are_logged_unscheduled_missed_cancelled_and_listed,
    impossible_gatherings_are_refused_and_nothing_is_written,
    signups_are_claimed_by_one_member_and_given_back,
    who_may_do_what_with_a_gathering,
);
