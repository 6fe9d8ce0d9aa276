//! People of peace and partners: recording, the relationship's stages, JOINED welcoming a
//! member, removal that erases the person but keeps the counts, and who sees what.

use oikos_tests::serde_json::{Value, json};
use oikos_tests::{TestApp, str_at, uuid_at};
use uuid::Uuid;

use crate::gatherings::days_from_now;
use crate::outreach::{
    CREATE_NEED, CREATE_PARTNER, CREATE_PERSON_OF_PEACE, cast, nodes, outreach_rows, partner,
};

const STAGE: &str = "mutation($input: ChangePersonOfPeaceStageInput!) { \
    changePersonOfPeaceStage(input: $input) { stage membershipId } }";
const UPDATE: &str = "mutation($input: UpdatePersonOfPeaceInput!) { \
    updatePersonOfPeace(input: $input) { notes neighbourhood howMet knownBy { displayName } \
    person { displayName email phone } } }";
const DELETE: &str = "mutation($id: UUID!) { deletePersonOfPeace(id: $id) }";
const LIST: &str = "query($id: UUID!) { community(id: $id) { peopleOfPeace { edges { node { \
    id stage howMet knownBy { displayName } person { displayName email phone } } } } } }";
const MEMBERS: &str =
    "query($id: UUID!) { community(id: $id) { members { role person { id displayName } } } }";

async fn a_person_of_peace_is_recorded_and_the_relationship_moves_both_ways(app: TestApp) {
    let c = cast(&app).await;
    let created = app
        .ok(
            Some(&c.member.token),
            CREATE_PERSON_OF_PEACE,
            json!({ "input": { "communityId": c.community, "displayName": " Amira Haddad ",
                               "email": "amira@example.org", "phone": "+49 30 555 0101",
                               "howMet": "our children are in the same class",
                               "neighbourhood": "Elm Street", "stage": "ENGAGED" } }),
        )
        .await;
    let id = uuid_at(&created, "/createPersonOfPeace/id");
    assert_eq!(created["createPersonOfPeace"]["stage"], "ENGAGED");
    assert_eq!(
        created["createPersonOfPeace"]["person"]["displayName"],
        "Amira Haddad"
    );
    for stage in ["ATTENDED", "MET", "ENGAGED"] {
        let moved = app
            .ok(
                Some(&c.member.token),
                STAGE,
                json!({ "input": { "id": id, "stage": stage } }),
            )
            .await;
        assert_eq!(moved["changePersonOfPeaceStage"]["stage"], stage);
        assert_eq!(
            moved["changePersonOfPeaceStage"]["membershipId"],
            Value::Null
        );
    }
    let updated = app
        .ok(
            Some(&c.member.token),
            UPDATE,
            json!({ "input": { "id": id, "notes": "loves gardening", "neighbourhood": null,
                               "knownByPersonId": c.other_member.person_id,
                               "phone": "+49 30 555 0102" } }),
        )
        .await;
    assert_eq!(
        updated["updatePersonOfPeace"],
        json!({ "notes": "loves gardening", "neighbourhood": null,
                "howMet": "our children are in the same class",
                "knownBy": { "displayName": "Olga Member" },
                "person": { "displayName": "Amira Haddad", "email": null, "phone": null } })
    );
    let listed = app
        .ok(Some(&c.leader.token), LIST, json!({ "id": c.community }))
        .await;
    let node = &listed["community"]["peopleOfPeace"]["edges"][0]["node"];
    assert_eq!(node["stage"], "ENGAGED");
    assert_eq!(node["person"]["email"], "amira@example.org");
    assert_eq!(node["person"]["phone"], "+49 30 555 0102");
}

async fn joined_welcomes_them_as_a_member_without_retyping(app: TestApp) {
    let c = cast(&app).await;
    let (id, person) = app
        .create_person_of_peace(&c.member, c.community, "Jonas Weber")
        .await;
    let before = outreach_rows(&app).await;
    app.fails(
        Some(&c.member.token),
        STAGE,
        json!({ "input": { "id": id, "stage": "JOINED" } }),
        "FORBIDDEN",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);
    let joined = app
        .ok(
            Some(&c.leader.token),
            STAGE,
            json!({ "input": { "id": id, "stage": "JOINED", "role": "HOST" } }),
        )
        .await;
    assert_eq!(joined["changePersonOfPeaceStage"]["stage"], "JOINED");
    let membership = uuid_at(&joined, "/changePersonOfPeaceStage/membershipId");
    let members = app
        .ok(Some(&c.leader.token), MEMBERS, json!({ "id": c.community }))
        .await;
    let welcomed = members["community"]["members"]
        .as_array()
        .and_then(|ms| ms.iter().find(|m| m["person"]["id"] == json!(person)))
        .unwrap_or_else(|| panic!("not a member: {members:#}"));
    assert_eq!(welcomed["person"]["displayName"], "Jonas Weber");
    assert_eq!(welcomed["role"], "HOST");
    assert_eq!(
        app.count_matching(
            "memberships WHERE id = $1 AND person_id = $2",
            vec![membership.into(), person.into()]
        )
        .await,
        1
    );

    // Joining is final, and says so without writing anything.
    let after = outreach_rows(&app).await;
    app.fails(
        Some(&c.leader.token),
        STAGE,
        json!({ "input": { "id": id, "stage": "ATTENDED" } }),
        "CONFLICT",
    )
    .await;
    let again = app
        .ok(
            Some(&c.leader.token),
            STAGE,
            json!({ "input": { "id": id, "stage": "JOINED" } }),
        )
        .await;
    assert_eq!(
        again["changePersonOfPeaceStage"]["membershipId"],
        json!(membership)
    );
    app.fails(
        Some(&c.leader.token),
        DELETE,
        json!({ "id": id }),
        "CONFLICT",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, after);
}

async fn removing_a_person_of_peace_erases_them_but_keeps_the_counts(app: TestApp) {
    let c = cast(&app).await;
    let created = app
        .ok(
            Some(&c.member.token),
            CREATE_PERSON_OF_PEACE,
            json!({ "input": { "communityId": c.community, "displayName": "Amira Haddad",
                               "email": "amira.h@example.org", "phone": "+49 30 555 0101",
                               "howMet": "met at the school gate", "notes": "recently widowed",
                               "neighbourhood": "Elm Street" } }),
        )
        .await;
    let id = uuid_at(&created, "/createPersonOfPeace/id");
    let person = uuid_at(&created, "/createPersonOfPeace/person/id");
    let party = app
        .log_gathering(
            &c.member,
            c.community,
            &days_from_now(-1),
            &["PARTY"],
            &[person],
        )
        .await;
    let linked = app
        .ok(
            Some(&c.member.token),
            CREATE_NEED,
            json!({ "input": { "communityId": c.community, "title": "Help with the garden",
                               "personOfPeaceId": id, "visibility": "COMMUNITY" } }),
        )
        .await;
    let linked = uuid_at(&linked, "/createNeed/id");
    app.ok(
        Some(&c.member.token),
        CREATE_NEED,
        json!({ "input": { "communityId": c.community, "title": "School shoes",
                           "forWhom": "amira haddad's children", "visibility": "COMMUNITY" } }),
    )
    .await;
    app.ok(
        Some(&c.member.token),
        CREATE_NEED,
        json!({ "input": { "communityId": c.community, "title": "Bike repair",
                           "forWhom": "the Novak family", "visibility": "COMMUNITY" } }),
    )
    .await;
    let guests = || {
        app.count_matching(
            "gathering_attendance WHERE gathering_id = $1 AND kind = 'GUEST'",
            vec![party.into()],
        )
    };
    assert_eq!(guests().await, 1);
    let needs_before = app.count_rows("needs").await;
    let counts = "query($id: UUID!) { community(id: $id) { needCounts { open } } }";
    let open_before = app
        .ok(
            Some(&c.reporter.token),
            counts,
            json!({ "id": c.community }),
        )
        .await;

    app.fails(
        Some(&c.member.token),
        DELETE,
        json!({ "id": id }),
        "FORBIDDEN",
    )
    .await;
    app.fails(
        Some(&c.stranger.token),
        DELETE,
        json!({ "id": id }),
        "NOT_FOUND",
    )
    .await;
    let removed = app
        .ok(Some(&c.leader.token), DELETE, json!({ "id": id }))
        .await;
    assert_eq!(removed["deletePersonOfPeace"], true);

    // The name and everything personal are gone, from every table.
    for (table, column) in [
        ("persons", "display_name"),
        ("needs", "for_whom"),
        ("needs", "title"),
    ] {
        let naming = app
            .count_rows(&format!("{table} WHERE lower({column}) LIKE '%amira%'"))
            .await;
        assert_eq!(naming, 0, "{table}.{column} still names her");
    }
    assert_eq!(
        app.count_matching(
            "persons WHERE id = $1 AND email IS NULL AND email_normalized IS NULL \
             AND phone IS NULL AND erased_at IS NOT NULL AND display_name = 'Removed person'",
            vec![person.into()]
        )
        .await,
        1
    );
    assert_eq!(
        app.count_matching(
            "people_of_peace WHERE id = $1 AND how_met IS NULL AND notes IS NULL \
             AND neighbourhood IS NULL AND erased_at IS NOT NULL",
            vec![id.into()]
        )
        .await,
        1
    );
    assert_eq!(
        app.count_rows("needs WHERE for_whom = 'the Novak family'")
            .await,
        1
    );

    // …and every count that referred to her is unchanged.
    assert_eq!(guests().await, 1);
    assert_eq!(app.count_rows("needs").await, needs_before);
    let open_after = app
        .ok(
            Some(&c.reporter.token),
            counts,
            json!({ "id": c.community }),
        )
        .await;
    assert_eq!(open_after, open_before);
    let need = app
        .ok(
            Some(&c.member.token),
            "query($id: UUID!) { need(id: $id) { personOfPeace { erasedAt person { displayName email } } } }",
            json!({ "id": linked }),
        )
        .await;
    assert_eq!(
        need["need"]["personOfPeace"]["person"],
        json!({ "displayName": "Removed person", "email": null })
    );
    assert!(need["need"]["personOfPeace"]["erasedAt"].is_string());
    let listed = app
        .ok(Some(&c.leader.token), LIST, json!({ "id": c.community }))
        .await;
    assert!(nodes(&listed, "/community/peopleOfPeace/edges", "id").is_empty());

    // Removing twice changes nothing; a removed person is not edited back to life.
    let rows = outreach_rows(&app).await;
    app.ok(Some(&c.leader.token), DELETE, json!({ "id": id }))
        .await;
    app.fails(
        Some(&c.member.token),
        UPDATE,
        json!({ "input": { "id": id, "displayName": "Amira Haddad" } }),
        "CONFLICT",
    )
    .await;
    app.fails(
        Some(&c.leader.token),
        STAGE,
        json!({ "input": { "id": id, "stage": "ATTENDED" } }),
        "CONFLICT",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, rows);
}

async fn bad_person_of_peace_input_is_refused_with_the_field_and_writes_nothing(app: TestApp) {
    let c = cast(&app).await;
    let (existing, _) = app
        .create_person_of_peace(&c.member, c.community, "Yusuf")
        .await;
    let before = outreach_rows(&app).await;
    let with = |patch: Value| {
        let mut input = json!({ "communityId": c.community, "displayName": "Ben" });
        if let (Some(input), Some(patch)) = (input.as_object_mut(), patch.as_object()) {
            input.extend(patch.clone());
        }
        json!({ "input": input })
    };
    for (patch, field) in [
        (json!({ "displayName": "" }), "displayName"),
        (json!({ "displayName": "x".repeat(121) }), "displayName"),
        (json!({ "email": "not-an-email" }), "email"),
        (json!({ "phone": "call me" }), "phone"),
        (json!({ "howMet": "x".repeat(501) }), "howMet"),
        (json!({ "neighbourhood": "x".repeat(121) }), "neighbourhood"),
        (json!({ "notes": "x".repeat(4001) }), "notes"),
        (json!({ "stage": "JOINED" }), "stage"),
        (
            json!({ "knownByPersonId": c.stranger.person_id }),
            "knownByPersonId",
        ),
        (
            json!({ "knownByPersonId": c.neighbour.person_id }),
            "knownByPersonId",
        ),
    ] {
        let error = app
            .fails(
                Some(&c.member.token),
                CREATE_PERSON_OF_PEACE,
                with(patch),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{error:#}");
    }
    app.fails(
        Some(&c.member.token),
        CREATE_PERSON_OF_PEACE,
        with(json!({ "email": c.stranger.email })),
        "CONFLICT",
    )
    .await;
    app.fails(
        Some(&c.member.token),
        CREATE_PERSON_OF_PEACE,
        with(json!({ "communityId": Uuid::now_v7() })),
        "NOT_FOUND",
    )
    .await;
    for outsider in [&c.coach, &c.reporter] {
        app.fails(
            Some(&outsider.token),
            CREATE_PERSON_OF_PEACE,
            with(json!({})),
            "FORBIDDEN",
        )
        .await;
    }
    app.fails(
        Some(&c.neighbour.token),
        CREATE_PERSON_OF_PEACE,
        with(json!({})),
        "NOT_FOUND",
    )
    .await;
    for (patch, field) in [
        (json!({ "displayName": " " }), "displayName"),
        (json!({ "email": "@" }), "email"),
        (
            json!({ "knownByPersonId": c.stranger.person_id }),
            "knownByPersonId",
        ),
    ] {
        let mut input = patch.clone();
        if let Some(obj) = input.as_object_mut() {
            obj.insert("id".into(), json!(existing));
        }
        let error = app
            .fails(
                Some(&c.member.token),
                UPDATE,
                json!({ "input": input }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{error:#}");
    }
    app.fails(
        Some(&c.member.token),
        UPDATE,
        json!({ "input": { "id": Uuid::now_v7(), "notes": "x" } }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);
}

async fn people_of_peace_are_seen_by_role(app: TestApp) {
    let c = cast(&app).await;
    app.ok(
        Some(&c.member.token),
        CREATE_PERSON_OF_PEACE,
        json!({ "input": { "communityId": c.community, "displayName": "Amira Haddad",
                           "email": "amira.r@example.org" } }),
    )
    .await;
    let email_seen_by = |data: &Value| {
        data["community"]["peopleOfPeace"]["edges"][0]["node"]["person"]["email"]
            .as_str()
            .map(str::to_owned)
    };
    for sees_contact in [&c.member, &c.leader, &c.coach, &c.admin] {
        let data = app
            .ok(
                Some(&sees_contact.token),
                LIST,
                json!({ "id": c.community }),
            )
            .await;
        assert_eq!(
            str_at(
                &data,
                "/community/peopleOfPeace/edges/0/node/person/displayName"
            ),
            "Amira Haddad"
        );
        assert_eq!(email_seen_by(&data).as_deref(), Some("amira.r@example.org"));
    }
    let other = app
        .ok(
            Some(&c.other_member.token),
            LIST,
            json!({ "id": c.community }),
        )
        .await;
    assert_eq!(
        str_at(
            &other,
            "/community/peopleOfPeace/edges/0/node/person/displayName"
        ),
        "Amira Haddad"
    );
    assert_eq!(email_seen_by(&other), None);
    app.fails(
        Some(&c.reporter.token),
        LIST,
        json!({ "id": c.community }),
        "FORBIDDEN",
    )
    .await;
    for outside in [&c.stranger, &c.neighbour, &c.outsider] {
        app.fails(
            Some(&outside.token),
            LIST,
            json!({ "id": c.community }),
            "NOT_FOUND",
        )
        .await;
    }
}

async fn partners_are_recorded_updated_and_kept_from_reporters(app: TestApp) {
    let c = cast(&app).await;
    let created = app
        .ok(
            Some(&c.member.token),
            CREATE_PARTNER,
            json!({ "input": { "communityId": c.community, "name": "Food Bank North",
                               "contactName": "Petra", "contactEmail": "petra@foodbank.org" } }),
        )
        .await;
    let id = uuid_at(&created, "/createPartner/id");
    assert_eq!(created["createPartner"]["status"], "IDENTIFIED");
    let updated = app
        .ok(
            Some(&c.leader.token),
            "mutation($input: UpdatePartnerInput!) { updatePartner(input: $input) { \
               name status contactEmail contactName description } }",
            json!({ "input": { "id": id, "status": "PARTNERING", "contactEmail": null,
                               "description": "Tuesdays and Thursdays" } }),
        )
        .await;
    assert_eq!(
        updated["updatePartner"],
        json!({ "name": "Food Bank North", "status": "PARTNERING", "contactEmail": null,
                "contactName": "Petra", "description": "Tuesdays and Thursdays" })
    );
    partner(&app, &c.member, c.community, "Youth Club").await;
    let list = "query($id: UUID!) { community(id: $id) { partners { edges { node { name } } } } }";
    let listed = app
        .ok(Some(&c.coach.token), list, json!({ "id": c.community }))
        .await;
    assert_eq!(
        nodes(&listed, "/community/partners/edges", "name"),
        ["Food Bank North", "Youth Club"]
    );
    app.fails(
        Some(&c.reporter.token),
        list,
        json!({ "id": c.community }),
        "FORBIDDEN",
    )
    .await;

    let before = outreach_rows(&app).await;
    for (input, field) in [
        (json!({ "communityId": c.community, "name": "" }), "name"),
        (
            json!({ "communityId": c.community, "name": "X", "contactEmail": "nope" }),
            "contactEmail",
        ),
        (
            json!({ "communityId": c.community, "name": "X", "contactPhone": "call" }),
            "contactPhone",
        ),
    ] {
        let error = app
            .fails(
                Some(&c.member.token),
                CREATE_PARTNER,
                json!({ "input": input }),
                "BAD_USER_INPUT",
            )
            .await;
        assert_eq!(error["extensions"]["field"], field, "{error:#}");
    }
    app.fails(
        Some(&c.neighbour.token),
        "mutation($input: UpdatePartnerInput!) { updatePartner(input: $input) { name } }",
        json!({ "input": { "id": id, "name": "Taken over" } }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(outreach_rows(&app).await, before);
}

oikos_tests::on_both_databases!(
    a_person_of_peace_is_recorded_and_the_relationship_moves_both_ways,
    joined_welcomes_them_as_a_member_without_retyping,
    removing_a_person_of_peace_erases_them_but_keeps_the_counts,
    bad_person_of_peace_input_is_refused_with_the_field_and_writes_nothing,
    people_of_peace_are_seen_by_role,
    partners_are_recorded_updated_and_kept_from_reporters,
);
