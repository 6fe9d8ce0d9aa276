//! Readiness to multiply: the report on a community with months of real life behind it,
//! apprentices judged by their development stages, thresholds set down the organization
//! tree, who sees names, bad thresholds, and the cost of readiness over a list.

use chrono::{Datelike, Duration, Months, NaiveDate, SecondsFormat, Utc};
use oikos_tests::{Session, TestApp, uuid_at};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::outreach::need;
use crate::{bad_input, refused};

const READINESS: &str = "query($id: UUID!) { community(id: $id) { readiness { ready assessedOn \
    criteria { kind passed reason } thresholds { minMonthsMeeting minMembers gridWindowMonths \
    minMonthsKept guestWindowMonths minGatheringsWithGuests minNeedsMet needsWindowMonths } } } }";
const SET_STAGE: &str = "mutation($input: SetDevelopmentStageInput!) { setDevelopmentStage(input: $input) { readyToLead } }";
const SET_ORG: &str = "mutation($input: SetOrganizationReadinessThresholdsInput!) { setOrganizationReadinessThresholds(input: $input) { minMembers minMonthsMeeting gridWindowMonths } }";
const SET_COMMUNITY: &str = "mutation($input: SetCommunityReadinessThresholdsInput!) { setCommunityReadinessThresholds(input: $input) { minMembers minMonthsMeeting gridWindowMonths } }";
const OWN_THRESHOLDS: &str = "query($org: UUID!, $id: UUID!) { organization(id: $org) { readinessThresholds { minMembers minMonthsMeeting } } community(id: $id) { readinessThresholds { minMembers minMonthsMeeting } } }";
const COMMUNITY_OWN_THRESHOLDS: &str =
    "query($id: UUID!) { community(id: $id) { readinessThresholds { minMembers } } }";

struct Group {
    admin: Session,
    network: Uuid,
    church: Uuid,
    lena: Session,
    elm: Uuid,
    maria: Uuid,
    /// A member with an account.
    mo: Session,
    carl: Session,
    rita: Session,
    sam: Session,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The first day of the month `k` months before this one.
fn month_back(k: u32) -> NaiveDate {
    let first = today()
        .with_day(1)
        .unwrap_or_else(|| panic!("no first day"));
    first
        .checked_sub_months(Months::new(k))
        .unwrap_or_else(|| panic!("no month {k} back"))
}

/// `day` of the month `k` months back, at 18:00 UTC.
fn evening(k: u32, day: u32) -> String {
    (month_back(k) + Duration::days(i64::from(day) - 1))
        .and_hms_opt(18, 0, 0)
        .unwrap_or_else(|| panic!("bad time"))
        .and_utc()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

async fn invite(app: &TestApp, leader: &Session, community: Uuid, name: &str, role: &str) -> Uuid {
    let data = app
        .ok(
            Some(&leader.token),
            "mutation($input: InviteMemberInput!) { inviteMember(input: $input) { person { id } } }",
            json!({ "input": { "communityId": community, "displayName": name, "role": role,
                               "joinedOn": "2024-03-01" } }),
        )
        .await;
    uuid_at(&data, "/inviteMember/person/id")
}

/// Elm Street, in the UTC time zone, launched 14 months ago, with 12 members: Lena
/// (leader), Maria (apprentice), Mo and nine more.
async fn group(app: &TestApp) -> Group {
    let admin = app.sign_up("Ada Admin").await;
    let network = app.create_org(&admin, "NETWORK", "North", None).await;
    let church = app
        .create_org(&admin, "CHURCH", "Harbour", Some(network))
        .await;
    let lena = app.sign_up("Lena").await;
    let launched = today()
        .checked_sub_months(Months::new(14))
        .unwrap_or_else(|| panic!("no launch date"));
    let data = app
        .ok(
            Some(&admin.token),
            "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }",
            json!({ "input": { "organizationId": church, "name": "Elm Street", "status": "ACTIVE",
                               "timeZone": "UTC", "launchedOn": launched, "leaderId": lena.person_id } }),
        )
        .await;
    let elm = uuid_at(&data, "/createCommunity/id");
    let maria = invite(app, &lena, elm, "Maria", "APPRENTICE").await;
    let mo = app.sign_up("Mo").await;
    app.add_member(&lena, elm, mo.person_id, "MEMBER").await;
    for n in 1..=9 {
        invite(app, &lena, elm, &format!("Neighbour {n}"), "MEMBER").await;
    }
    let carl = app.sign_up("Carl").await;
    let rita = app.sign_up("Rita").await;
    let sam = app.sign_up("Sam").await;
    app.grant(&admin, network, carl.person_id, "COACH").await;
    app.grant(&admin, network, rita.person_id, "REPORTER").await;
    Group {
        admin,
        network,
        church,
        lena,
        elm,
        maria,
        mo,
        carl,
        rita,
        sam,
    }
}

async fn set_stage(app: &TestApp, g: &Group, person: Uuid, skill: &str, stage: &str) {
    app.ok(
        Some(&g.lena.token),
        SET_STAGE,
        json!({ "input": { "communityId": g.elm, "personId": person, "skill": skill, "stage": stage } }),
    )
    .await;
}

async fn maria_is_ready(app: &TestApp, g: &Group) {
    for (skill, stage) in [
        ("FACILITATING_GATHERING", "LEAVE"),
        ("LEADING_SERVICE", "WATCH"),
        ("HOSTING_PARTY", "WATCH"),
        ("COACHING_APPRENTICE", "WATCH"),
    ] {
        set_stage(app, g, g.maria, skill, stage).await;
    }
}

/// Six complete months behind a community, logged by its member `by`: the grid kept in
/// four of them (1, 2, 4 and 6 months back), guests at three held gatherings in the last
/// three months, one need met; older and discounted facts around them.
async fn months_of_life(app: &TestApp, by: &Session, community: Uuid) {
    for (k, guests) in [
        (1, (2, 1)),
        (2, (1, 0)),
        (4, (0, 0)),
        (6, (0, 0)),
        (8, (0, 0)),
    ] {
        app.log_gathering_with_guests(
            by,
            community,
            &evening(k, 10),
            &["SCRIPTURE", "SERVICE"],
            &[],
            guests.0,
        )
        .await;
        app.log_gathering_with_guests(
            by,
            community,
            &evening(k, 20),
            &["MEAL", "PARTY"],
            &[],
            guests.1,
        )
        .await;
    }
    // Months 3 and 5 back: Scripture only, the grid not kept; guests five months ago
    // fall outside the three-month window.
    app.log_gathering(by, community, &evening(3, 12), &["SCRIPTURE"], &[])
        .await;
    app.log_gathering_with_guests(by, community, &evening(5, 12), &["SCRIPTURE"], &[], 4)
        .await;
    // Logged with guests, then found not to have met: its guests do not count.
    let missed = app
        .log_gathering_with_guests(by, community, &evening(1, 15), &["PARTY"], &[], 5)
        .await;
    app.ok(
        Some(&by.token),
        "mutation($input: MarkGatheringDidNotMeetInput!) { markGatheringDidNotMeet(input: $input) { id } }",
        json!({ "input": { "gatheringId": missed, "reason": "the host was ill" } }),
    )
    .await;
    // The API closes a need only now, so a need met before the six-month window cannot be
    // written here; the domain's unit tests cover that window.
    let meal = need(app, by, community, "A meal for a neighbour", "COMMUNITY").await;
    app.meet_need(by, meal).await;
}

async fn readiness(app: &TestApp, viewer: &Session, community: Uuid) -> Value {
    app.ok(Some(&viewer.token), READINESS, json!({ "id": community }))
        .await["community"]["readiness"]
        .clone()
}

fn reasons(report: &Value) -> Vec<String> {
    report["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| oikos_tests::str_at(c, "/reason"))
        .collect()
}

fn criterion(report: &Value, kind: &str) -> (bool, String) {
    let found = report["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {report:#}"));
    (
        found["passed"].as_bool().unwrap_or_default(),
        oikos_tests::str_at(found, "/reason"),
    )
}

async fn a_community_with_months_of_life_is_judged_criterion_by_criterion(app: TestApp) {
    let g = group(&app).await;
    maria_is_ready(&app, &g).await;
    months_of_life(&app, &g.lena, g.elm).await;
    let report = readiness(&app, &g.lena, g.elm).await;
    assert_eq!(
        reasons(&report),
        [
            "meeting for 14 months (needs 9)",
            "12 members (needs 10)",
            "apprentice ready: Maria",
            "kept the grid in 4 of the last 6 months (needs 4)",
            "guests at 3 gatherings in the last 3 months (needs 3)",
            "1 need met in the last 6 months (needs 1)",
        ],
        "{report:#}"
    );
    assert_eq!(report["ready"], true);
    assert_eq!(report["assessedOn"], json!(today()));
    let kinds: Vec<&Value> = report["criteria"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| &c["kind"])
        .collect();
    assert_eq!(
        kinds,
        [
            "MEETING_LONG_ENOUGH",
            "BIG_ENOUGH",
            "APPRENTICE_READY",
            "KEPT_RHYTHMS",
            "TURNED_OUTWARD",
            "NEEDS_MET"
        ]
    );
    assert_eq!(
        report["thresholds"],
        json!({ "minMonthsMeeting": 9, "minMembers": 10, "gridWindowMonths": 6,
                "minMonthsKept": 4, "guestWindowMonths": 3, "minGatheringsWithGuests": 3,
                "minNeedsMet": 1, "needsWindowMonths": 6 })
    );
}

async fn reporters_see_the_verdicts_but_never_a_name(app: TestApp) {
    let g = group(&app).await;
    maria_is_ready(&app, &g).await;
    months_of_life(&app, &g.lena, g.elm).await;
    let named = readiness(&app, &g.mo, g.elm).await;
    assert_eq!(
        criterion(&named, "APPRENTICE_READY"),
        (true, "apprentice ready: Maria".into())
    );
    assert_eq!(readiness(&app, &g.carl, g.elm).await, named);
    assert_eq!(readiness(&app, &g.admin, g.elm).await, named);

    let body = app
        .gql(Some(&g.rita.token), READINESS, json!({ "id": g.elm }))
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    assert!(!body.to_string().contains("Maria"), "{body:#}");
    let nameless = &body["data"]["community"]["readiness"];
    assert_eq!(
        criterion(nameless, "APPRENTICE_READY"),
        (true, "1 apprentice ready".into())
    );
    assert_eq!(nameless["ready"], named["ready"]);
    for kind in [
        "MEETING_LONG_ENOUGH",
        "BIG_ENOUGH",
        "KEPT_RHYTHMS",
        "TURNED_OUTWARD",
        "NEEDS_MET",
    ] {
        assert_eq!(criterion(nameless, kind), criterion(&named, kind));
    }
    refused(
        &app,
        Some(&g.sam.token),
        READINESS,
        json!({ "id": g.elm }),
        "NOT_FOUND",
    )
    .await;
}

async fn an_apprentice_is_ready_by_their_stages_not_by_a_checkbox(app: TestApp) {
    let g = group(&app).await;
    assert_eq!(
        criterion(&readiness(&app, &g.lena, g.elm).await, "APPRENTICE_READY"),
        (
            false,
            "no apprentice is ready yet: Maria still needs to grow in facilitating a gathering, \
             leading service, hosting a party, coaching an apprentice"
                .into()
        )
    );
    for skill in [
        "FACILITATING_GATHERING",
        "LEADING_SERVICE",
        "COACHING_APPRENTICE",
    ] {
        set_stage(&app, &g, g.maria, skill, "WATCH").await;
    }
    set_stage(&app, &g, g.maria, "HOSTING_PARTY", "ASSIST").await;
    let jo = invite(&app, &g.lena, g.elm, "Jo", "APPRENTICE").await;
    set_stage(&app, &g, jo, "HOSTING_PARTY", "LEAVE").await;
    let report = readiness(&app, &g.lena, g.elm).await;
    let (passed, reason) = criterion(&report, "APPRENTICE_READY");
    assert!(!passed);
    assert_eq!(
        reason,
        "no apprentice is ready yet: Maria still needs to grow in hosting a party; \
         Jo still needs to grow in facilitating a gathering, leading service, coaching an apprentice"
    );
    assert_eq!(
        criterion(&readiness(&app, &g.rita, g.elm).await, "APPRENTICE_READY"),
        (
            false,
            "no apprentice is ready yet (2 apprentices growing)".into()
        )
    );
    set_stage(&app, &g, g.maria, "HOSTING_PARTY", "WATCH").await;
    assert_eq!(
        criterion(&readiness(&app, &g.lena, g.elm).await, "APPRENTICE_READY"),
        (true, "apprentice ready: Maria".into())
    );
    // A community without apprentices says so, to everyone.
    let lonely = app.plant(&g.admin, g.church, "Lonely Lane").await;
    assert_eq!(
        criterion(&readiness(&app, &g.rita, lonely).await, "APPRENTICE_READY"),
        (false, "no apprentice yet".into())
    );
}

fn thresholds(key: &str, id: Uuid, values: Value) -> Value {
    let mut input = values;
    input[key] = json!(id);
    json!({ "input": input })
}

async fn thresholds_are_inherited_down_the_tree_and_the_nearest_setting_wins(app: TestApp) {
    let g = group(&app).await;
    let admin = Some(g.admin.token.as_str());
    let set = app
        .ok(
            admin,
            SET_ORG,
            thresholds(
                "organizationId",
                g.network,
                json!({ "minMembers": 15, "minMonthsMeeting": 12 }),
            ),
        )
        .await;
    assert_eq!(
        set["setOrganizationReadinessThresholds"],
        json!({ "minMembers": 15, "minMonthsMeeting": 12, "gridWindowMonths": null })
    );
    let report = readiness(&app, &g.lena, g.elm).await;
    assert_eq!(
        criterion(&report, "BIG_ENOUGH"),
        (false, "12 members (needs 15)".into())
    );
    assert_eq!(
        criterion(&report, "MEETING_LONG_ENOUGH"),
        (true, "meeting for 14 months (needs 12)".into())
    );

    // The church sets its own bar for size; the network's bar for months still holds.
    app.ok(
        admin,
        SET_ORG,
        thresholds("organizationId", g.church, json!({ "minMembers": 14 })),
    )
    .await;
    let report = readiness(&app, &g.lena, g.elm).await;
    assert_eq!(criterion(&report, "BIG_ENOUGH").1, "12 members (needs 14)");
    assert_eq!(report["thresholds"]["minMonthsMeeting"], 12);

    // And the community its own, nearest of all.
    app.ok(
        admin,
        SET_COMMUNITY,
        thresholds("communityId", g.elm, json!({ "minMembers": 12 })),
    )
    .await;
    let report = readiness(&app, &g.lena, g.elm).await;
    assert_eq!(
        criterion(&report, "BIG_ENOUGH"),
        (true, "12 members (needs 12)".into())
    );
    let own = app
        .ok(
            Some(&g.lena.token),
            COMMUNITY_OWN_THRESHOLDS,
            json!({ "id": g.elm }),
        )
        .await;
    assert_eq!(own["community"]["readinessThresholds"]["minMembers"], 12);
    let own = app
        .ok(
            admin,
            OWN_THRESHOLDS,
            json!({ "org": g.church, "id": g.elm }),
        )
        .await;
    assert_eq!(
        own["organization"]["readinessThresholds"],
        json!({ "minMembers": 14, "minMonthsMeeting": null })
    );
    assert_eq!(
        own["community"]["readinessThresholds"],
        json!({ "minMembers": 12, "minMonthsMeeting": null })
    );
    // A leader below sees the organization's name, not its settings.
    refused(
        &app,
        Some(&g.lena.token),
        OWN_THRESHOLDS,
        json!({ "org": g.church, "id": g.elm }),
        "FORBIDDEN",
    )
    .await;

    // Setting replaces: the community clears its own and inherits the church's again.
    app.ok(
        admin,
        SET_COMMUNITY,
        thresholds("communityId", g.elm, json!({})),
    )
    .await;
    assert_eq!(
        criterion(&readiness(&app, &g.lena, g.elm).await, "BIG_ENOUGH").1,
        "12 members (needs 14)"
    );

    // Other knobs of a policy (a rhythm target here) survive a change of thresholds.
    app.ok(
        admin,
        "mutation($input: SetOrganizationPolicyInput!) { setOrganizationPolicy(input: $input) { communionTarget } }",
        json!({ "input": { "organizationId": g.network, "policy": { "communionTarget": 3 } } }),
    )
    .await;
    app.ok(
        admin,
        SET_ORG,
        thresholds("organizationId", g.network, json!({ "minMembers": 16 })),
    )
    .await;
    assert_eq!(
        app.count_where(
            "policies",
            "communion_target = 3 AND ready_min_members = 16"
        )
        .await,
        1
    );
}

async fn bad_or_unauthorized_thresholds_are_refused_and_nothing_is_written(app: TestApp) {
    let g = group(&app).await;
    let admin = Some(g.admin.token.as_str());
    for (values, field) in [
        (json!({ "minMonthsMeeting": -1 }), "minMonthsMeeting"),
        (json!({ "minMembers": 1_000_000_000_000_i64 }), "minMembers"),
        (json!({ "gridWindowMonths": 0 }), "gridWindowMonths"),
        (
            json!({ "gridWindowMonths": 3, "minMonthsKept": 5 }),
            "minMonthsKept",
        ),
        (json!({ "needsWindowMonths": 37 }), "needsWindowMonths"),
    ] {
        bad_input(
            &app,
            admin,
            SET_ORG,
            thresholds("organizationId", g.network, values.clone()),
            field,
        )
        .await;
        bad_input(
            &app,
            admin,
            SET_COMMUNITY,
            thresholds("communityId", g.elm, values),
            field,
        )
        .await;
    }
    let on_church = thresholds("organizationId", g.church, json!({ "minMembers": 1 }));
    let on_elm = thresholds("communityId", g.elm, json!({ "minMembers": 1 }));
    // Leaders, coaches and reporters do not set the bar.
    for who in [&g.lena, &g.carl, &g.rita, &g.mo] {
        refused(
            &app,
            Some(&who.token),
            SET_ORG,
            on_church.clone(),
            "FORBIDDEN",
        )
        .await;
        refused(
            &app,
            Some(&who.token),
            SET_COMMUNITY,
            on_elm.clone(),
            "FORBIDDEN",
        )
        .await;
    }
    refused(&app, Some(&g.sam.token), SET_ORG, on_church, "NOT_FOUND").await;
    refused(&app, Some(&g.sam.token), SET_COMMUNITY, on_elm, "NOT_FOUND").await;
    assert_eq!(app.count_rows("policies").await, 0);
}

async fn readiness_over_a_list_costs_the_same_statements_as_for_one(app: TestApp) {
    let g = group(&app).await;
    months_of_life(&app, &g.lena, g.elm).await;
    const LIST: &str = "{ communities(first: 50) { edges { node { name readiness { ready criteria { reason } } } } } }";
    let statements = || async {
        let before = app.statement_count();
        let data = app.ok(Some(&g.admin.token), LIST, json!({})).await;
        let n = data["communities"]["edges"].as_array().map_or(0, Vec::len);
        (n, app.statement_count() - before)
    };
    let (one, cost_of_one) = statements().await;
    assert_eq!(one, 1);
    for n in 0..4 {
        let community = app.plant(&g.admin, g.church, &format!("Plant {n}")).await;
        app.add_member(&g.admin, community, g.lena.person_id, "LEADER")
            .await;
        months_of_life(&app, &g.lena, community).await;
    }
    let (five, cost_of_five) = statements().await;
    assert_eq!(five, 5);
    assert_eq!(cost_of_five, cost_of_one);
}

oikos_tests::on_both_databases!(
    a_community_with_months_of_life_is_judged_criterion_by_criterion,
    reporters_see_the_verdicts_but_never_a_name,
    an_apprentice_is_ready_by_their_stages_not_by_a_checkbox,
    thresholds_are_inherited_down_the_tree_and_the_nearest_setting_wins,
    bad_or_unauthorized_thresholds_are_refused_and_nothing_is_written,
    readiness_over_a_list_costs_the_same_statements_as_for_one,
);
