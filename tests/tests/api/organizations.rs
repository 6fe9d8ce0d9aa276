//! The organization tree: founding, nesting, listing, renaming and moving, what strangers
//! may learn, retry-safe creation and input limits.

use oikos_tests::{TestApp, str_at, uuid_at};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{bad_input, node_ids, refused};

const CREATE: &str = "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id kind name parentId createdAt } }";
const UPDATE: &str = "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id name parentId } }";
const ORGANIZATION: &str = "query($id: UUID!) { organization(id: $id) { id kind name parentId parent { id } children { id } } }";
const LIST: &str = "query($first: Int, $after: String, $filter: OrganizationFilterInput) { organizations(first: $first, after: $after, filter: $filter) { edges { cursor node { id kind } } pageInfo { hasNextPage endCursor } } }";
const GRANT: &str =
    "mutation($input: GrantOrganizationRoleInput!) { grantOrganizationRole(input: $input) { id } }";

async fn a_founder_administers_the_tree_they_build(app: TestApp) {
    let a = app.sign_up("Admin").await;
    let denomination = app
        .create_org(&a, "DENOMINATION", "Free Churches", None)
        .await;
    let me = app
        .ok(
            Some(&a.token),
            "{ me { organizationRoles { role organization { id kind name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["me"]["organizationRoles"],
        json!([{ "role": "ADMIN",
                 "organization": { "id": denomination, "kind": "DENOMINATION", "name": "Free Churches" } }])
    );

    let network = app
        .create_org(&a, "NETWORK", "North", Some(denomination))
        .await;
    let church = app
        .create_org(&a, "CHURCH", "Harbour Church", Some(network))
        .await;
    let data = app
        .ok(
            Some(&a.token),
            "query($id: UUID!) { organization(id: $id) { id kind name parentId parent { id parent { id parent { id } } } } }",
            json!({ "id": church }),
        )
        .await;
    assert_eq!(
        data["organization"],
        json!({ "id": church, "kind": "CHURCH", "name": "Harbour Church", "parentId": network,
                "parent": { "id": network, "parent": { "id": denomination, "parent": null } } })
    );
    let data = app
        .ok(Some(&a.token), ORGANIZATION, json!({ "id": denomination }))
        .await;
    assert_eq!(data["organization"]["children"], json!([{ "id": network }]));
    // The role on the top covers the subtree: nothing more is granted below it.
    assert_eq!(app.count_rows("org_roles").await, 1);
}

async fn organizations_are_listed_by_kind_one_page_at_a_time(app: TestApp) {
    let a = app.sign_up("Admin").await;
    let denomination = app.create_org(&a, "DENOMINATION", "Free", None).await;
    let north = app
        .create_org(&a, "NETWORK", "North", Some(denomination))
        .await;
    let south = app
        .create_org(&a, "NETWORK", "South", Some(denomination))
        .await;
    let church = app.create_org(&a, "CHURCH", "Harbour", Some(north)).await;
    let stranger = app.sign_up("Stranger").await;
    let elsewhere = app
        .create_org(&stranger, "NETWORK", "Elsewhere", None)
        .await;

    let first = app
        .ok(
            Some(&a.token),
            LIST,
            json!({ "first": 1, "filter": { "kind": "NETWORK" } }),
        )
        .await;
    let page = &first["organizations"];
    assert_eq!(node_ids(page).len(), 1);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["edges"][0]["node"]["kind"], "NETWORK");
    let cursor = str_at(page, "/pageInfo/endCursor");

    let second = app
        .ok(
            Some(&a.token),
            LIST,
            json!({ "first": 1, "after": cursor, "filter": { "kind": "NETWORK" } }),
        )
        .await;
    let next = &second["organizations"];
    assert_eq!(node_ids(next).len(), 1);
    assert_eq!(next["pageInfo"]["hasNextPage"], false);
    let mut networks = [node_ids(page), node_ids(next)].concat();
    networks.sort();
    let mut expected = vec![north.to_string(), south.to_string()];
    expected.sort();
    assert_eq!(networks, expected);

    let all = app.ok(Some(&a.token), LIST, json!({})).await;
    let mut ids = node_ids(&all["organizations"]);
    ids.sort();
    let mut expected: Vec<String> = [denomination, north, south, church]
        .iter()
        .map(Uuid::to_string)
        .collect();
    expected.sort();
    assert_eq!(ids, expected, "only the subtree where a role is held");
    assert_eq!(all["organizations"]["pageInfo"]["hasNextPage"], false);

    let theirs = app.ok(Some(&stranger.token), LIST, json!({})).await;
    assert_eq!(node_ids(&theirs["organizations"]), [elsewhere.to_string()]);

    bad_input(
        &app,
        Some(&a.token),
        LIST,
        json!({ "first": 1, "after": "not-a-cursor" }),
        "after",
    )
    .await;
    bad_input(&app, Some(&a.token), LIST, json!({ "first": 0 }), "first").await;
}

async fn parent_and_name(app: &TestApp, token: &str, id: Uuid) -> (Value, Value) {
    let data = app.ok(Some(token), ORGANIZATION, json!({ "id": id })).await;
    (
        data["organization"]["parentId"].clone(),
        data["organization"]["name"].clone(),
    )
}

async fn renaming_works_and_an_organization_cannot_become_its_own_ancestor(app: TestApp) {
    let a = app.sign_up("Admin").await;
    let denomination = app.create_org(&a, "DENOMINATION", "Free", None).await;
    let network = app
        .create_org(&a, "NETWORK", "North", Some(denomination))
        .await;
    let church = app.create_org(&a, "CHURCH", "Harbour", Some(network)).await;

    let data = app
        .ok(
            Some(&a.token),
            UPDATE,
            json!({ "input": { "id": denomination, "name": "  Free Churches of the North " } }),
        )
        .await;
    assert_eq!(
        data["updateOrganization"]["name"],
        "Free Churches of the North"
    );

    for (moving, under) in [
        (denomination, church),
        (denomination, denomination),
        (network, church),
    ] {
        bad_input(
            &app,
            Some(&a.token),
            UPDATE,
            json!({ "input": { "id": moving, "parentId": under, "name": "Renamed meanwhile" } }),
            "parentId",
        )
        .await;
    }
    bad_input(
        &app,
        Some(&a.token),
        UPDATE,
        json!({ "input": { "id": network, "name": "" } }),
        "name",
    )
    .await;

    // The tree (and the names) are as they were.
    assert_eq!(
        parent_and_name(&app, &a.token, denomination).await,
        (json!(null), json!("Free Churches of the North"))
    );
    assert_eq!(
        parent_and_name(&app, &a.token, network).await,
        (json!(denomination), json!("North"))
    );
    assert_eq!(
        parent_and_name(&app, &a.token, church).await,
        (json!(network), json!("Harbour"))
    );

    // A real move carries the subtree along.
    let south = app
        .create_org(&a, "NETWORK", "South", Some(denomination))
        .await;
    let data = app
        .ok(
            Some(&a.token),
            UPDATE,
            json!({ "input": { "id": church, "parentId": south } }),
        )
        .await;
    assert_eq!(data["updateOrganization"]["parentId"], json!(south));
    let data = app
        .ok(Some(&a.token), ORGANIZATION, json!({ "id": south }))
        .await;
    assert_eq!(data["organization"]["children"], json!([{ "id": church }]));
    let data = app
        .ok(Some(&a.token), ORGANIZATION, json!({ "id": network }))
        .await;
    assert_eq!(data["organization"]["children"], json!([]));
    let data = app
        .ok(
            Some(&a.token),
            LIST,
            json!({ "filter": { "kind": "CHURCH" } }),
        )
        .await;
    assert_eq!(node_ids(&data["organizations"]), [church.to_string()]);
    // …and the moved subtree cannot take its old ancestor under it either.
    bad_input(
        &app,
        Some(&a.token),
        UPDATE,
        json!({ "input": { "id": south, "parentId": church } }),
        "parentId",
    )
    .await;
}

async fn strangers_learn_nothing_about_other_organizations(app: TestApp) {
    let a = app.sign_up("Admin").await;
    let denomination = app.create_org(&a, "DENOMINATION", "Free", None).await;
    let stranger = app.sign_up("Stranger").await;
    let token = Some(stranger.token.as_str());

    let existing = refused(
        &app,
        token,
        ORGANIZATION,
        json!({ "id": denomination }),
        "NOT_FOUND",
    )
    .await;
    let missing = refused(
        &app,
        token,
        ORGANIZATION,
        json!({ "id": Uuid::new_v4() }),
        "NOT_FOUND",
    )
    .await;
    assert_eq!(existing["message"], missing["message"]);
    refused(
        &app,
        None,
        ORGANIZATION,
        json!({ "id": denomination }),
        "UNAUTHENTICATED",
    )
    .await;

    let under_theirs = bad_input(
        &app,
        token,
        CREATE,
        json!({ "input": { "kind": "NETWORK", "name": "Hijack", "parentId": denomination } }),
        "parentId",
    )
    .await;
    let under_nothing = bad_input(
        &app,
        token,
        CREATE,
        json!({ "input": { "kind": "NETWORK", "name": "Hijack", "parentId": Uuid::new_v4() } }),
        "parentId",
    )
    .await;
    assert_eq!(under_theirs["message"], under_nothing["message"]);
    refused(
        &app,
        token,
        UPDATE,
        json!({ "input": { "id": denomination, "name": "Mine now" } }),
        "NOT_FOUND",
    )
    .await;
    refused(
        &app,
        token,
        GRANT,
        json!({ "input": { "organizationId": denomination, "personId": stranger.person_id,
                           "role": "ADMIN" } }),
        "NOT_FOUND",
    )
    .await;

    // A reporter sees the organization but may not build under it.
    let reporter = app.sign_up("Reporter").await;
    app.grant(&a, denomination, reporter.person_id, "REPORTER")
        .await;
    refused(
        &app,
        Some(&reporter.token),
        CREATE,
        json!({ "input": { "kind": "NETWORK", "name": "Mine", "parentId": denomination } }),
        "FORBIDDEN",
    )
    .await;

    assert_eq!(app.count_rows("organizations").await, 1);
    assert_eq!(app.count_rows("org_roles").await, 2);
    let data = app
        .ok(Some(&a.token), ORGANIZATION, json!({ "id": denomination }))
        .await;
    assert_eq!(data["organization"]["name"], "Free");
}

async fn a_client_id_makes_creating_an_organization_safe_to_retry(app: TestApp) {
    let a = app.sign_up("Admin").await;
    let id = Uuid::new_v4();
    let input = json!({ "input": { "id": id, "kind": "DENOMINATION", "name": "Harvest" } });
    let first = app.ok(Some(&a.token), CREATE, input.clone()).await;
    let again = app.ok(Some(&a.token), CREATE, input).await;
    assert_eq!(uuid_at(&first, "/createOrganization/id"), id);
    assert_eq!(first, again);
    assert_eq!(app.count_rows("organizations").await, 1);
    assert_eq!(app.count_rows("org_roles").await, 1);

    for different in [
        json!({ "id": id, "kind": "DENOMINATION", "name": "Harvest Fellowship" }),
        json!({ "id": id, "kind": "NETWORK", "name": "Harvest" }),
    ] {
        refused(
            &app,
            Some(&a.token),
            CREATE,
            json!({ "input": different }),
            "CONFLICT",
        )
        .await;
    }
    assert_eq!(app.count_rows("organizations").await, 1);
    assert_eq!(app.count_rows("org_roles").await, 1);
    let data = app
        .ok(Some(&a.token), ORGANIZATION, json!({ "id": id }))
        .await;
    assert_eq!(data["organization"]["name"], "Harvest");

    // Children too.
    let child = Uuid::new_v4();
    let input =
        json!({ "input": { "id": child, "kind": "CHURCH", "name": "Harbour", "parentId": id } });
    let first = app.ok(Some(&a.token), CREATE, input.clone()).await;
    let again = app.ok(Some(&a.token), CREATE, input).await;
    assert_eq!(first, again);
    assert_eq!(app.count_rows("organizations").await, 2);
}

async fn organization_names_are_bounded(app: TestApp) {
    let a = app.sign_up("Admin").await;
    for name in [String::new(), "   ".to_owned(), "a".repeat(121)] {
        bad_input(
            &app,
            Some(&a.token),
            CREATE,
            json!({ "input": { "kind": "DENOMINATION", "name": name } }),
            "name",
        )
        .await;
    }
    assert_eq!(app.count_rows("organizations").await, 0);
    assert_eq!(app.count_rows("org_roles").await, 0);

    // 120 characters fit, counted as characters rather than bytes.
    let name = "é".repeat(120);
    let data = app
        .ok(
            Some(&a.token),
            CREATE,
            json!({ "input": { "kind": "DENOMINATION", "name": name } }),
        )
        .await;
    assert_eq!(data["createOrganization"]["name"], json!(name));
    let id = uuid_at(&data, "/createOrganization/id");
    bad_input(
        &app,
        Some(&a.token),
        UPDATE,
        json!({ "input": { "id": id, "name": "b".repeat(121) } }),
        "name",
    )
    .await;
    let data = app
        .ok(Some(&a.token), ORGANIZATION, json!({ "id": id }))
        .await;
    assert_eq!(data["organization"]["name"], json!(name));
}

async fn wrongly_typed_ids_are_refused(app: TestApp) {
    let a = app.sign_up("Admin").await;
    let body = app
        .gql(Some(&a.token), ORGANIZATION, json!({ "id": "not-a-uuid" }))
        .await;
    assert!(
        body["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "expected errors: {body:#}"
    );
    let body = app
        .gql(
            Some(&a.token),
            CREATE,
            json!({ "input": { "kind": "NETWORK", "name": "North", "parentId": "not-a-uuid" } }),
        )
        .await;
    assert!(
        body["errors"].as_array().is_some_and(|e| !e.is_empty()),
        "expected errors: {body:#}"
    );
    assert_eq!(app.count_rows("organizations").await, 0);
}

oikos_tests::on_both_databases!(
    a_founder_administers_the_tree_they_build,
    organizations_are_listed_by_kind_one_page_at_a_time,
    renaming_works_and_an_organization_cannot_become_its_own_ancestor,
    strangers_learn_nothing_about_other_organizations,
    a_client_id_makes_creating_an_organization_safe_to_retry,
    organization_names_are_bounded,
    wrongly_typed_ids_are_refused,
);

mod detaching {
    use oikos_tests::{TestApp, on_both_databases};
    use serde_json::json;

    const MOVE: &str = "mutation($input: UpdateOrganizationInput!) { updateOrganization(input: $input) { id parentId } }";

    /// An admin granted only on a church cannot take it out from under its network.
    async fn only_the_parents_admins_may_let_an_organization_go(app: TestApp) {
        let network_admin = app.sign_up("Network Admin").await;
        let network = app
            .create_org(&network_admin, "NETWORK", "North", None)
            .await;
        let church = app
            .create_org(&network_admin, "CHURCH", "Grace", Some(network))
            .await;
        let church_admin = app.sign_up("Church Admin").await;
        app.grant(&network_admin, church, church_admin.person_id, "ADMIN")
            .await;

        let detach = json!({ "input": { "id": church, "parentId": null } });
        crate::refused(
            &app,
            Some(&church_admin.token),
            MOVE,
            detach.clone(),
            "FORBIDDEN",
        )
        .await;
        let data = app
            .ok(
                Some(&church_admin.token),
                "query($id: UUID!) { organization(id: $id) { parentId } }",
                json!({ "id": church }),
            )
            .await;
        assert_eq!(data["organization"]["parentId"], json!(network));

        let data = app.ok(Some(&network_admin.token), MOVE, detach).await;
        assert_eq!(data["updateOrganization"]["parentId"], json!(null));
    }

    on_both_databases!(only_the_parents_admins_may_let_an_organization_go);
}

mod someone_elses_id {
    use oikos_tests::{TestApp, on_both_databases};
    use serde_json::json;
    use uuid::Uuid;

    const CREATE: &str = "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id name } }";

    /// A client id retried by its owner returns the organization; the same id and content
    /// sent by someone else reveals nothing of it.
    async fn a_retry_with_someone_elses_id_learns_nothing(app: TestApp) {
        let owner = app.sign_up("Owner").await;
        let id = Uuid::now_v7();
        let input = json!({ "input": { "id": id, "kind": "CHURCH", "name": "Grace" } });
        app.ok(Some(&owner.token), CREATE, input.clone()).await;
        let again = app.ok(Some(&owner.token), CREATE, input.clone()).await;
        assert_eq!(again["createOrganization"]["id"], json!(id));

        let stranger = app.sign_up("Stranger").await;
        let error = crate::refused(&app, Some(&stranger.token), CREATE, input, "CONFLICT").await;
        assert!(!error.to_string().contains("Grace"));
        assert_eq!(app.count_rows("org_roles").await, 1);
    }

    on_both_databases!(a_retry_with_someone_elses_id_learns_nothing);
}
