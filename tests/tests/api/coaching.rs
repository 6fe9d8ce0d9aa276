//! Coaching and leader development: admins assign coaches to leaders, coaches record
//! check-ins only the two of them read, and leaders and assigned coaches set the stages
//! apprentices and leaders stand at, with every change kept.

use oikos_tests::{Session, TestApp, uuid_at};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{bad_input, refused};

const ASSIGN: &str = "mutation($input: AssignCoachInput!) { assignCoach(input: $input) { id startedOn endedOn organizationId coach { id } leader { id } communities { id } } }";
const END: &str = "mutation($input: EndCoachingAssignmentInput!) { endCoachingAssignment(input: $input) { id endedOn } }";
const CHECK_IN: &str = "mutation($input: RecordCheckInInput!) { recordCheckIn(input: $input) { id assignmentId metOn notes nextSteps coach { id } leader { id } } }";
const MY_COACHING: &str = "query($ended: Boolean!) { myCoaching { \
    leaders(includeEnded: $ended) { id endedOn leader { id displayName } communities { id name } \
      checkIns { edges { node { id notes nextSteps metOn } } } } \
    coaches(includeEnded: $ended) { id coach { id } checkIns { edges { node { id notes } } } } \
    checkIns { edges { node { id notes metOn coach { id } leader { id } } } } } }";
const ASSIGNMENTS: &str = "query($org: UUID!) { coachingAssignments(organizationId: $org) { edges { node { id coach { id } leader { id } } } } }";
const ASSIGNMENT_CHECK_INS: &str = "query($org: UUID!) { coachingAssignments(organizationId: $org) { edges { node { id checkIns { edges { node { notes } } } } } } }";
const SET_STAGE: &str = "mutation($input: SetDevelopmentStageInput!) { setDevelopmentStage(input: $input) { role readyToLead skillsToGrowIn person { id } stages { skill stage updatedAt updatedBy { id } } history { skill fromStage toStage note changedBy { id } } } }";
const DEVELOPMENT: &str = "query($id: UUID!) { community(id: $id) { development { role readyToLead person { id } stages { skill stage } history { skill fromStage toStage note changedBy { id } } } } }";

/// A network with a church below it, and everyone the tests need.
struct World {
    admin: Session,
    network: Uuid,
    church: Uuid,
    /// Leads Elm Street, in the church.
    lena: Session,
    elm: Uuid,
    /// An apprentice in Elm Street.
    maria: Session,
    /// A plain member of Elm Street.
    mo: Session,
    /// Leads Oak Lane, also in the church.
    otto: Session,
    oak: Uuid,
    /// COACH on the network; the one assigned in most tests.
    carl: Session,
    /// Another COACH on the network, never assigned to Lena.
    cora: Session,
    /// REPORTER on the network.
    rita: Session,
    /// Holds no role and belongs nowhere.
    sam: Session,
}

async fn plant_led_by(app: &TestApp, admin: &Session, org: Uuid, name: &str, leader: Uuid) -> Uuid {
    let data = app
        .ok(
            Some(&admin.token),
            "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }",
            json!({ "input": { "organizationId": org, "name": name, "status": "ACTIVE",
                               "launchedOn": "2024-01-15", "leaderId": leader } }),
        )
        .await;
    uuid_at(&data, "/createCommunity/id")
}

async fn world(app: &TestApp) -> World {
    let admin = app.sign_up("Ada Admin").await;
    let network = app.create_org(&admin, "NETWORK", "North", None).await;
    let church = app
        .create_org(&admin, "CHURCH", "Harbour", Some(network))
        .await;
    let lena = app.sign_up("Lena").await;
    let otto = app.sign_up("Otto").await;
    let elm = plant_led_by(app, &admin, church, "Elm Street", lena.person_id).await;
    let oak = plant_led_by(app, &admin, church, "Oak Lane", otto.person_id).await;
    let maria = app.sign_up("Maria").await;
    let mo = app.sign_up("Mo").await;
    app.add_member(&lena, elm, maria.person_id, "APPRENTICE")
        .await;
    app.add_member(&lena, elm, mo.person_id, "MEMBER").await;
    let carl = app.sign_up("Carl").await;
    let cora = app.sign_up("Cora").await;
    let rita = app.sign_up("Rita").await;
    let sam = app.sign_up("Sam").await;
    app.grant(&admin, network, carl.person_id, "COACH").await;
    app.grant(&admin, network, cora.person_id, "COACH").await;
    app.grant(&admin, network, rita.person_id, "REPORTER").await;
    World {
        admin,
        network,
        church,
        lena,
        elm,
        maria,
        mo,
        otto,
        oak,
        carl,
        cora,
        rita,
        sam,
    }
}

fn assign_input(org: Uuid, coach: Uuid, leader: Uuid) -> Value {
    json!({ "input": { "organizationId": org, "coachId": coach, "leaderId": leader,
                       "startedOn": "2025-01-01" } })
}

/// Carl assigned to Lena by the network's admin; the assignment's id.
async fn carl_coaches_lena(app: &TestApp, w: &World) -> Uuid {
    let data = app
        .ok(
            Some(&w.admin.token),
            ASSIGN,
            assign_input(w.network, w.carl.person_id, w.lena.person_id),
        )
        .await;
    uuid_at(&data, "/assignCoach/id")
}

async fn my_coaching(app: &TestApp, who: &Session, include_ended: bool) -> Value {
    app.ok(
        Some(&who.token),
        MY_COACHING,
        json!({ "ended": include_ended }),
    )
    .await["myCoaching"]
        .clone()
}

fn notes_of(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection:#}"))
        .iter()
        .map(|e| oikos_tests::str_at(e, "/node/notes"))
        .collect()
}

async fn an_admin_assigns_a_coach_who_then_sees_the_leader_and_their_communities(app: TestApp) {
    let w = world(&app).await;
    let id = Uuid::now_v7();
    let mut input = assign_input(w.network, w.carl.person_id, w.lena.person_id);
    input["input"]["id"] = json!(id);
    let data = app.ok(Some(&w.admin.token), ASSIGN, input.clone()).await;
    assert_eq!(
        data["assignCoach"],
        json!({ "id": id, "startedOn": "2025-01-01", "endedOn": null,
                "organizationId": w.network, "coach": { "id": w.carl.person_id },
                "leader": { "id": w.lena.person_id }, "communities": [{ "id": w.elm }] })
    );
    // A retried request returns the same assignment; a second one for the pair conflicts.
    let again = app.ok(Some(&w.admin.token), ASSIGN, input.clone()).await;
    assert_eq!(again["assignCoach"]["id"], json!(id));
    refused(
        &app,
        Some(&w.admin.token),
        ASSIGN,
        assign_input(w.church, w.carl.person_id, w.lena.person_id),
        "CONFLICT",
    )
    .await;
    input["input"]["leaderId"] = json!(w.otto.person_id);
    refused(&app, Some(&w.admin.token), ASSIGN, input, "CONFLICT").await;
    assert_eq!(app.count_rows("coaching_assignments").await, 1);

    let carl = my_coaching(&app, &w.carl, false).await;
    assert_eq!(
        carl["leaders"][0]["leader"],
        json!({ "id": w.lena.person_id, "displayName": "Lena" })
    );
    assert_eq!(
        carl["leaders"][0]["communities"],
        json!([{ "id": w.elm, "name": "Elm Street" }])
    );
    assert_eq!(carl["coaches"], json!([]));
    let lena = my_coaching(&app, &w.lena, false).await;
    assert_eq!(lena["coaches"][0]["coach"]["id"], json!(w.carl.person_id));
    assert_eq!(lena["leaders"], json!([]));

    let listed = app
        .ok(
            Some(&w.admin.token),
            ASSIGNMENTS,
            json!({ "org": w.church }),
        )
        .await;
    assert_eq!(
        listed["coachingAssignments"]["edges"],
        json!([]),
        "made on the network, so not listed under the church"
    );
    let listed = app
        .ok(
            Some(&w.admin.token),
            ASSIGNMENTS,
            json!({ "org": w.network }),
        )
        .await;
    assert_eq!(
        listed["coachingAssignments"]["edges"][0]["node"]["leader"]["id"],
        json!(w.lena.person_id)
    );
}

async fn assignments_that_do_not_fit_are_refused_and_nothing_is_written(app: TestApp) {
    let w = world(&app).await;
    let token = Some(w.admin.token.as_str());
    // Otto leads a community but holds no COACH role.
    bad_input(
        &app,
        token,
        ASSIGN,
        assign_input(w.network, w.otto.person_id, w.lena.person_id),
        "coachId",
    )
    .await;
    // A coach of the church only cannot be assigned on the network above it …
    let cleo = app.sign_up("Cleo").await;
    app.grant(&w.admin, w.church, cleo.person_id, "COACH").await;
    bad_input(
        &app,
        token,
        ASSIGN,
        assign_input(w.network, cleo.person_id, w.lena.person_id),
        "coachId",
    )
    .await;
    // … and the admin role does not make anyone a coach.
    bad_input(
        &app,
        token,
        ASSIGN,
        assign_input(w.network, w.admin.person_id, w.lena.person_id),
        "coachId",
    )
    .await;
    // Maria is an apprentice, not a leader; Lena leads nothing under another network.
    bad_input(
        &app,
        token,
        ASSIGN,
        assign_input(w.network, w.carl.person_id, w.maria.person_id),
        "leaderId",
    )
    .await;
    let elsewhere = app.create_org(&w.admin, "NETWORK", "South", None).await;
    app.grant(&w.admin, elsewhere, w.carl.person_id, "COACH")
        .await;
    bad_input(
        &app,
        token,
        ASSIGN,
        assign_input(elsewhere, w.carl.person_id, w.lena.person_id),
        "leaderId",
    )
    .await;
    app.grant(&w.admin, w.network, w.lena.person_id, "COACH")
        .await;
    bad_input(
        &app,
        token,
        ASSIGN,
        assign_input(w.network, w.lena.person_id, w.lena.person_id),
        "leaderId",
    )
    .await;
    bad_input(
        &app,
        token,
        ASSIGN,
        assign_input(w.network, Uuid::new_v4(), w.lena.person_id),
        "coachId",
    )
    .await;
    bad_input(
        &app,
        token,
        ASSIGN,
        json!({ "input": { "organizationId": w.network, "coachId": w.carl.person_id,
                           "leaderId": w.lena.person_id, "startedOn": "2999-01-01" } }),
        "startedOn",
    )
    .await;
    // Only admins assign.
    let input = assign_input(w.network, w.carl.person_id, w.lena.person_id);
    for who in [&w.carl, &w.lena, &w.rita] {
        refused(&app, Some(&who.token), ASSIGN, input.clone(), "FORBIDDEN").await;
    }
    refused(&app, Some(&w.sam.token), ASSIGN, input, "NOT_FOUND").await;
    assert_eq!(app.count_rows("coaching_assignments").await, 0);

    // A coach of the network may be assigned on the church below it.
    let data = app
        .ok(
            token,
            ASSIGN,
            assign_input(w.church, cleo.person_id, w.otto.person_id),
        )
        .await;
    assert_eq!(data["assignCoach"]["communities"], json!([{ "id": w.oak }]));
}

async fn check_ins_are_read_by_the_coach_and_that_leader_only(app: TestApp) {
    let w = world(&app).await;
    carl_coaches_lena(&app, &w).await;
    let data = app
        .ok(
            Some(&w.carl.token),
            CHECK_IN,
            json!({ "input": { "leaderId": w.lena.person_id, "metOn": "2025-03-04",
                               "notes": "Lena is tired; Maria could host in April",
                               "nextSteps": "Ask Maria about April" } }),
        )
        .await;
    let check_in = &data["recordCheckIn"];
    assert_eq!(check_in["metOn"], "2025-03-04");
    assert_eq!(check_in["coach"]["id"], json!(w.carl.person_id));
    assert_eq!(check_in["leader"]["id"], json!(w.lena.person_id));
    let secret = "Lena is tired; Maria could host in April";

    // The coach reads it on the assignment and in their own list.
    let carl = my_coaching(&app, &w.carl, false).await;
    assert_eq!(notes_of(&carl["leaders"][0]["checkIns"]), [secret]);
    assert_eq!(
        carl["leaders"][0]["checkIns"]["edges"][0]["node"]["nextSteps"],
        "Ask Maria about April"
    );
    assert_eq!(notes_of(&carl["checkIns"]), [secret]);
    // So does the leader.
    let lena = my_coaching(&app, &w.lena, false).await;
    assert_eq!(notes_of(&lena["coaches"][0]["checkIns"]), [secret]);
    assert_eq!(notes_of(&lena["checkIns"]), [secret]);
    // Another leader, another coach, the apprentice it mentions: nothing.
    for who in [&w.otto, &w.cora, &w.maria, &w.admin] {
        let theirs = my_coaching(&app, who, true).await;
        assert_eq!(notes_of(&theirs["checkIns"]), Vec::<String>::new());
        assert_eq!(theirs["leaders"], json!([]));
        assert_eq!(theirs["coaches"], json!([]));
    }
    // The admin sees the assignment, never what was said.
    let body = app
        .gql(
            Some(&w.admin.token),
            ASSIGNMENT_CHECK_INS,
            json!({ "org": w.network }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    assert!(!body.to_string().contains("tired"), "{body:#}");
    // Nor do reporters and other coaches reach the assignments at all; strangers not even
    // the organization.
    for who in [&w.rita, &w.cora, &w.lena] {
        refused(
            &app,
            Some(&who.token),
            ASSIGNMENT_CHECK_INS,
            json!({ "org": w.network }),
            "FORBIDDEN",
        )
        .await;
    }
    refused(
        &app,
        Some(&w.sam.token),
        ASSIGNMENT_CHECK_INS,
        json!({ "org": w.network }),
        "NOT_FOUND",
    )
    .await;
}

async fn check_ins_by_anyone_but_the_assigned_coach_or_of_bad_content_are_refused(app: TestApp) {
    let w = world(&app).await;
    carl_coaches_lena(&app, &w).await;
    let input = |notes: &str, met_on: &str| json!({ "input": { "leaderId": w.lena.person_id, "metOn": met_on, "notes": notes } });
    for who in [&w.cora, &w.admin, &w.lena, &w.otto, &w.sam] {
        refused(
            &app,
            Some(&who.token),
            CHECK_IN,
            input("talked", "2025-03-04"),
            "FORBIDDEN",
        )
        .await;
    }
    bad_input(
        &app,
        Some(&w.carl.token),
        CHECK_IN,
        input("   ", "2025-03-04"),
        "notes",
    )
    .await;
    bad_input(
        &app,
        Some(&w.carl.token),
        CHECK_IN,
        input("talked", "2999-03-04"),
        "metOn",
    )
    .await;
    bad_input(
        &app,
        Some(&w.carl.token),
        CHECK_IN,
        input("before we began", "2024-12-31"),
        "metOn",
    )
    .await;
    assert_eq!(app.count_rows("coaching_check_ins").await, 0);

    // Retrying with the same id is safe; reusing it for other words is a conflict.
    let id = Uuid::now_v7();
    let mut once = input("talked", "2025-03-04");
    once["input"]["id"] = json!(id);
    let first = app.ok(Some(&w.carl.token), CHECK_IN, once.clone()).await;
    let second = app.ok(Some(&w.carl.token), CHECK_IN, once.clone()).await;
    assert_eq!(first, second);
    once["input"]["notes"] = json!("something else");
    refused(&app, Some(&w.carl.token), CHECK_IN, once, "CONFLICT").await;
    assert_eq!(app.count_rows("coaching_check_ins").await, 1);

    // A coach whose role was revoked records nothing more.
    app.ok(
        Some(&w.admin.token),
        "mutation($input: RevokeOrganizationRoleInput!) { revokeOrganizationRole(input: $input) }",
        json!({ "input": { "organizationId": w.network, "personId": w.carl.person_id,
                           "role": "COACH" } }),
    )
    .await;
    refused(
        &app,
        Some(&w.carl.token),
        CHECK_IN,
        input("still here", "2025-03-05"),
        "FORBIDDEN",
    )
    .await;
    assert_eq!(app.count_rows("coaching_check_ins").await, 1);
}

async fn an_ended_assignment_keeps_its_check_ins(app: TestApp) {
    let w = world(&app).await;
    let assignment = carl_coaches_lena(&app, &w).await;
    app.ok(
        Some(&w.carl.token),
        CHECK_IN,
        json!({ "input": { "leaderId": w.lena.person_id, "metOn": "2025-03-04", "notes": "first" } }),
    )
    .await;
    for who in [&w.carl, &w.lena] {
        refused(
            &app,
            Some(&who.token),
            END,
            json!({ "input": { "assignmentId": assignment, "endedOn": "2025-06-30" } }),
            "FORBIDDEN",
        )
        .await;
    }
    refused(
        &app,
        Some(&w.sam.token),
        END,
        json!({ "input": { "assignmentId": assignment } }),
        "NOT_FOUND",
    )
    .await;
    bad_input(
        &app,
        Some(&w.admin.token),
        END,
        json!({ "input": { "assignmentId": assignment, "endedOn": "2024-12-31" } }),
        "endedOn",
    )
    .await;
    let ended = app
        .ok(
            Some(&w.admin.token),
            END,
            json!({ "input": { "assignmentId": assignment, "endedOn": "2025-06-30" } }),
        )
        .await;
    assert_eq!(ended["endCoachingAssignment"]["endedOn"], "2025-06-30");
    refused(
        &app,
        Some(&w.admin.token),
        END,
        json!({ "input": { "assignmentId": assignment } }),
        "CONFLICT",
    )
    .await;

    assert_eq!(
        my_coaching(&app, &w.carl, false).await["leaders"],
        json!([])
    );
    let carl = my_coaching(&app, &w.carl, true).await;
    assert_eq!(carl["leaders"][0]["endedOn"], "2025-06-30");
    assert_eq!(notes_of(&carl["leaders"][0]["checkIns"]), ["first"]);
    // A conversation from while it ran may still be written up; a later one may not.
    app.ok(
        Some(&w.carl.token),
        CHECK_IN,
        json!({ "input": { "leaderId": w.lena.person_id, "metOn": "2025-06-01", "notes": "late write-up" } }),
    )
    .await;
    bad_input(
        &app,
        Some(&w.carl.token),
        CHECK_IN,
        json!({ "input": { "leaderId": w.lena.person_id, "metOn": "2025-07-01", "notes": "after" } }),
        "metOn",
    )
    .await;
    let lena = my_coaching(&app, &w.lena, true).await;
    assert_eq!(notes_of(&lena["checkIns"]), ["late write-up", "first"]);

    // A new assignment of the same pair may begin once the old one ended.
    app.ok(
        Some(&w.admin.token),
        ASSIGN,
        json!({ "input": { "organizationId": w.network, "coachId": w.carl.person_id,
                           "leaderId": w.lena.person_id } }),
    )
    .await;
    assert_eq!(app.count_rows("coaching_assignments").await, 2);
}

fn stage_input(w: &World, person: Uuid, skill: &str, stage: &str) -> Value {
    json!({ "input": { "communityId": w.elm, "personId": person, "skill": skill, "stage": stage } })
}

async fn stages_are_set_by_a_leader_or_an_assigned_coach_and_every_change_is_kept(app: TestApp) {
    let w = world(&app).await;
    let mut input = stage_input(&w, w.maria.person_id, "HOSTING_PARTY", "ASSIST");
    input["input"]["note"] = json!("helped with the summer party");
    let data = app.ok(Some(&w.lena.token), SET_STAGE, input).await;
    let progress = &data["setDevelopmentStage"];
    assert_eq!(progress["role"], "APPRENTICE");
    assert_eq!(progress["readyToLead"], false);
    assert_eq!(
        progress["stages"][2],
        json!({ "skill": "HOSTING_PARTY", "stage": "ASSIST",
                "updatedAt": progress["stages"][2]["updatedAt"],
                "updatedBy": { "id": w.lena.person_id } })
    );
    assert_eq!(
        progress["stages"][0],
        json!({ "skill": "FACILITATING_GATHERING", "stage": "MODEL", "updatedAt": null, "updatedBy": null })
    );
    app.ok(
        Some(&w.lena.token),
        SET_STAGE,
        stage_input(&w, w.maria.person_id, "HOSTING_PARTY", "WATCH"),
    )
    .await;
    // Setting the stage someone already stands at records nothing.
    app.ok(
        Some(&w.lena.token),
        SET_STAGE,
        stage_input(&w, w.maria.person_id, "HOSTING_PARTY", "WATCH"),
    )
    .await;
    assert_eq!(app.count_rows("development_stage_changes").await, 2);

    // A coach assigned to Lena may set stages in her community, Lena's own included.
    refused(
        &app,
        Some(&w.carl.token),
        SET_STAGE,
        stage_input(&w, w.maria.person_id, "LEADING_SERVICE", "WATCH"),
        "FORBIDDEN",
    )
    .await;
    carl_coaches_lena(&app, &w).await;
    for skill in [
        "FACILITATING_GATHERING",
        "LEADING_SERVICE",
        "COACHING_APPRENTICE",
    ] {
        app.ok(
            Some(&w.carl.token),
            SET_STAGE,
            stage_input(&w, w.maria.person_id, skill, "LEAVE"),
        )
        .await;
    }
    let lena_progress = app
        .ok(
            Some(&w.carl.token),
            SET_STAGE,
            stage_input(&w, w.lena.person_id, "COACHING_APPRENTICE", "WATCH"),
        )
        .await;
    assert_eq!(lena_progress["setDevelopmentStage"]["role"], "LEADER");

    // Nobody else sets stages, and nobody sets their own.
    let attempt = stage_input(&w, w.maria.person_id, "HOSTING_PARTY", "LEAVE");
    for who in [&w.cora, &w.admin, &w.maria, &w.mo, &w.rita] {
        refused(
            &app,
            Some(&who.token),
            SET_STAGE,
            attempt.clone(),
            "FORBIDDEN",
        )
        .await;
    }
    // Otto leads elsewhere and oversees nothing: to him the community does not exist.
    refused(
        &app,
        Some(&w.otto.token),
        SET_STAGE,
        attempt.clone(),
        "NOT_FOUND",
    )
    .await;
    refused(
        &app,
        Some(&w.lena.token),
        SET_STAGE,
        stage_input(&w, w.lena.person_id, "HOSTING_PARTY", "LEAVE"),
        "FORBIDDEN",
    )
    .await;
    refused(&app, Some(&w.sam.token), SET_STAGE, attempt, "NOT_FOUND").await;
    assert_eq!(app.count_rows("development_stage_changes").await, 6);

    let data = app
        .ok(Some(&w.lena.token), DEVELOPMENT, json!({ "id": w.elm }))
        .await;
    let people = data["community"]["development"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let maria = people
        .iter()
        .find(|p| p["person"]["id"] == json!(w.maria.person_id))
        .unwrap_or_else(|| panic!("no Maria in {data:#}"));
    assert_eq!(maria["readyToLead"], true);
    let hosting: Vec<&Value> = maria["history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["skill"] == "HOSTING_PARTY")
        .collect();
    assert_eq!(
        hosting,
        [
            &json!({ "skill": "HOSTING_PARTY", "fromStage": "ASSIST", "toStage": "WATCH",
                     "note": null, "changedBy": { "id": w.lena.person_id } }),
            &json!({ "skill": "HOSTING_PARTY", "fromStage": null, "toStage": "ASSIST",
                     "note": "helped with the summer party",
                     "changedBy": { "id": w.lena.person_id } }),
        ]
    );
    assert_eq!(
        maria["history"].as_array().map(Vec::len),
        Some(5),
        "two for hosting, one per skill the coach set"
    );
}

async fn stages_for_people_off_the_path_are_refused_and_nothing_is_written(app: TestApp) {
    let w = world(&app).await;
    let token = Some(w.lena.token.as_str());
    // A plain member, a leader of another community, someone unknown.
    for person in [w.mo.person_id, w.otto.person_id, Uuid::new_v4()] {
        bad_input(
            &app,
            token,
            SET_STAGE,
            stage_input(&w, person, "HOSTING_PARTY", "WATCH"),
            "personId",
        )
        .await;
    }
    let mut long_note = stage_input(&w, w.maria.person_id, "HOSTING_PARTY", "WATCH");
    long_note["input"]["note"] = json!("x".repeat(501));
    bad_input(&app, token, SET_STAGE, long_note, "note").await;
    refused(
        &app,
        token,
        SET_STAGE,
        stage_input(&w, w.maria.person_id, "JUGGLING", "WATCH"),
        "BAD_USER_INPUT",
    )
    .await;
    refused(
        &app,
        token,
        SET_STAGE,
        json!({ "input": { "communityId": Uuid::new_v4(), "personId": w.maria.person_id,
                           "skill": "HOSTING_PARTY", "stage": "WATCH" } }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(app.count_rows("development_stages").await, 0);
    assert_eq!(app.count_rows("development_stage_changes").await, 0);
}

async fn development_is_seen_by_leaders_and_overseers_and_members_see_their_own(app: TestApp) {
    let w = world(&app).await;
    app.ok(
        Some(&w.lena.token),
        SET_STAGE,
        stage_input(&w, w.maria.person_id, "HOSTING_PARTY", "WATCH"),
    )
    .await;
    let people_seen_by = |data: &Value| -> Vec<Value> {
        data["community"]["development"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| p["person"]["id"].clone())
            .collect()
    };
    let both = vec![json!(w.lena.person_id), json!(w.maria.person_id)];
    for who in [&w.lena, &w.carl, &w.admin] {
        let data = app
            .ok(Some(&who.token), DEVELOPMENT, json!({ "id": w.elm }))
            .await;
        assert_eq!(people_seen_by(&data), both);
    }
    let data = app
        .ok(Some(&w.maria.token), DEVELOPMENT, json!({ "id": w.elm }))
        .await;
    assert_eq!(people_seen_by(&data), [json!(w.maria.person_id)]);
    let data = app
        .ok(Some(&w.mo.token), DEVELOPMENT, json!({ "id": w.elm }))
        .await;
    assert_eq!(people_seen_by(&data), Vec::<Value>::new());
    refused(
        &app,
        Some(&w.rita.token),
        DEVELOPMENT,
        json!({ "id": w.elm }),
        "FORBIDDEN",
    )
    .await;
    refused(
        &app,
        Some(&w.sam.token),
        DEVELOPMENT,
        json!({ "id": w.elm }),
        "NOT_FOUND",
    )
    .await;
}

oikos_tests::on_both_databases!(
    an_admin_assigns_a_coach_who_then_sees_the_leader_and_their_communities,
    assignments_that_do_not_fit_are_refused_and_nothing_is_written,
    check_ins_are_read_by_the_coach_and_that_leader_only,
    check_ins_by_anyone_but_the_assigned_coach_or_of_bad_content_are_refused,
    an_ended_assignment_keeps_its_check_ins,
    stages_are_set_by_a_leader_or_an_assigned_coach_and_every_change_is_kept,
    stages_for_people_off_the_path_are_refused_and_nothing_is_written,
    development_is_seen_by_leaders_and_overseers_and_members_see_their_own,
);
