//! Accounts and sessions: sign-up, sign-in, refresh-token rotation and reuse detection,
//! sign-out, and what happens to requests without a valid access token.

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use oikos_tests::{TEST_SECRET, TestApp, str_at, uuid_at};
use serde_json::{Value, json};

use crate::{PASSWORD, bad_input, refused};

const SIGN_UP: &str = "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken person { id displayName email phone } } }";
const SIGN_IN: &str = "mutation($input: SignInInput!) { signIn(input: $input) { accessToken refreshToken person { id } } }";
const REFRESH: &str = "mutation($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken person { id } } }";
const SIGN_OUT: &str = "mutation($token: String!) { signOut(refreshToken: $token) }";
const ME: &str =
    "{ me { person { id displayName email phone } memberships { id } organizationRoles { id } } }";

async fn me_id(app: &TestApp, token: &str) -> uuid::Uuid {
    let data = app.ok(Some(token), ME, json!({})).await;
    uuid_at(&data, "/me/person/id")
}

async fn sign_up_then_me_returns_the_person(app: TestApp) {
    let data = app
        .ok(
            None,
            SIGN_UP,
            json!({ "input": { "displayName": "  Maria Lopez ", "email": " Maria.Lopez@Example.org ",
                               "password": PASSWORD, "phone": "+49 30 1234567" } }),
        )
        .await;
    let token = str_at(&data, "/signUp/accessToken");
    let id = uuid_at(&data, "/signUp/person/id");
    assert!(!str_at(&data, "/signUp/refreshToken").is_empty());

    let me = app.ok(Some(&token), ME, json!({})).await;
    assert_eq!(
        me["me"],
        json!({
            "person": { "id": id, "displayName": "Maria Lopez", "email": "Maria.Lopez@Example.org",
                        "phone": "+49 30 1234567" },
            "memberships": [],
            "organizationRoles": [],
        })
    );
    assert_eq!(app.count_rows("persons").await, 1);
    assert_eq!(app.count_rows("accounts").await, 1);
}

async fn sign_in_does_not_tell_which_part_was_wrong(app: TestApp) {
    let s = app.sign_up("Jonas").await;
    let sign_in =
        |email: &str, password: &str| json!({ "input": { "email": email, "password": password } });
    let wrong_password = refused(
        &app,
        None,
        SIGN_IN,
        sign_in(&s.email, "cucumbers in the garden 8"),
        "UNAUTHENTICATED",
    )
    .await;
    let unknown_email = refused(
        &app,
        None,
        SIGN_IN,
        sign_in("nobody-at-all@example.org", PASSWORD),
        "UNAUTHENTICATED",
    )
    .await;
    let malformed_email = refused(
        &app,
        None,
        SIGN_IN,
        sign_in("not an email", PASSWORD),
        "UNAUTHENTICATED",
    )
    .await;
    assert_eq!(wrong_password["message"], unknown_email["message"]);
    assert_eq!(wrong_password["message"], malformed_email["message"]);
    assert_eq!(app.count_rows("refresh_tokens").await, 1);

    // Emails compare without regard to case.
    let data = app
        .ok(None, SIGN_IN, sign_in(&s.email.to_uppercase(), PASSWORD))
        .await;
    assert_eq!(uuid_at(&data, "/signIn/person/id"), s.person_id);
    let token = str_at(&data, "/signIn/accessToken");
    assert_eq!(me_id(&app, &token).await, s.person_id);
}

async fn refresh_rotates_and_a_reused_token_ends_the_family(app: TestApp) {
    let s = app.sign_up("Ana").await;
    // A second, independent session (another device).
    let other = app
        .ok(
            None,
            SIGN_IN,
            json!({ "input": { "email": s.email, "password": PASSWORD } }),
        )
        .await;
    let other_refresh = str_at(&other, "/signIn/refreshToken");

    let rotated = app
        .ok(None, REFRESH, json!({ "token": s.refresh_token }))
        .await;
    let newest = str_at(&rotated, "/refreshSession/refreshToken");
    assert_ne!(newest, s.refresh_token);
    assert_eq!(uuid_at(&rotated, "/refreshSession/person/id"), s.person_id);
    let access = str_at(&rotated, "/refreshSession/accessToken");
    assert_eq!(me_id(&app, &access).await, s.person_id);

    // The old token was used: presenting it again is a theft signal.
    refused(
        &app,
        None,
        REFRESH,
        json!({ "token": s.refresh_token }),
        "UNAUTHENTICATED",
    )
    .await;
    // …which ends the whole family, the newest token included.
    refused(
        &app,
        None,
        REFRESH,
        json!({ "token": newest }),
        "UNAUTHENTICATED",
    )
    .await;
    // The other device's session is another family and lives on.
    let data = app
        .ok(None, REFRESH, json!({ "token": other_refresh }))
        .await;
    assert_eq!(uuid_at(&data, "/refreshSession/person/id"), s.person_id);

    refused(
        &app,
        None,
        REFRESH,
        json!({ "token": "never-issued" }),
        "UNAUTHENTICATED",
    )
    .await;
}

async fn sign_out_ends_the_session(app: TestApp) {
    let s = app.sign_up("Lea").await;
    let data = app
        .ok(None, SIGN_OUT, json!({ "token": s.refresh_token }))
        .await;
    assert_eq!(data["signOut"], true);
    refused(
        &app,
        None,
        REFRESH,
        json!({ "token": s.refresh_token }),
        "UNAUTHENTICATED",
    )
    .await;
    let data = app
        .ok(None, SIGN_OUT, json!({ "token": "never-issued" }))
        .await;
    assert_eq!(data["signOut"], false);
}

fn token_signed_with(secret: &str, claims: &Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_else(|e| panic!("signing a test token: {e}"))
}

async fn requests_without_a_valid_access_token_are_unauthenticated(app: TestApp) {
    let s = app.sign_up("Tobias").await;
    refused(&app, None, ME, json!({}), "UNAUTHENTICATED").await;
    refused(&app, Some("garbage"), ME, json!({}), "UNAUTHENTICATED").await;
    refused(&app, Some("a.b.c"), ME, json!({}), "UNAUTHENTICATED").await;

    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64| {
        json!({ "sub": s.person_id.to_string(), "iss": "oikos", "aud": "oikos-api",
                "iat": now, "nbf": now - 5, "exp": exp })
    };
    // Built like the server's own, so the refusals below are down to the secret or time.
    let genuine = token_signed_with(TEST_SECRET, &claims(now + 600));
    assert_eq!(me_id(&app, &genuine).await, s.person_id);

    let forged = token_signed_with(
        "another-secret-of-sufficient-length-000",
        &claims(now + 600),
    );
    refused(&app, Some(&forged), ME, json!({}), "UNAUTHENTICATED").await;
    let expired = token_signed_with(TEST_SECRET, &claims(now - 3_600));
    refused(&app, Some(&expired), ME, json!({}), "UNAUTHENTICATED").await;
}

async fn sign_up_refuses_bad_input_and_writes_nothing(app: TestApp) {
    let long_name = "a".repeat(121);
    let cases = [
        ("email", "Ruth", "ruth@example", PASSWORD),
        ("email", "Ruth", "ruth example.org", PASSWORD),
        ("email", "Ruth", "", PASSWORD),
        ("password", "Ruth", "ruth@example.org", "short"),
        ("password", "Ruth", "ruth@example.org", "1234567890"),
        (
            "password",
            "Ruth",
            "ruth@example.org",
            "my password is long",
        ),
        ("password", "Ruth", "ruth@example.org", "aaaaaaaaaaaaaaaa"),
        ("displayName", "", "ruth@example.org", PASSWORD),
        ("displayName", "   ", "ruth@example.org", PASSWORD),
        (
            "displayName",
            long_name.as_str(),
            "ruth@example.org",
            PASSWORD,
        ),
    ];
    for (field, name, email, password) in cases {
        bad_input(
            &app,
            None,
            SIGN_UP,
            json!({ "input": { "displayName": name, "email": email, "password": password } }),
            field,
        )
        .await;
        assert_eq!(app.count_rows("persons").await, 0, "after {field} {name:?}");
        assert_eq!(app.count_rows("accounts").await, 0);
        assert_eq!(app.count_rows("refresh_tokens").await, 0);
    }
    // The limit itself is allowed.
    app.ok(
        None,
        SIGN_UP,
        json!({ "input": { "displayName": "a".repeat(120), "email": "ruth@example.org",
                           "password": PASSWORD } }),
    )
    .await;
    assert_eq!(app.count_rows("persons").await, 1);
}

async fn an_email_is_taken_whatever_its_case(app: TestApp) {
    let s = app.sign_up("Esther").await;
    for email in [s.email.to_uppercase(), format!("  {}  ", s.email)] {
        refused(
            &app,
            None,
            SIGN_UP,
            json!({ "input": { "displayName": "Esther Two", "email": email, "password": PASSWORD } }),
            "CONFLICT",
        )
        .await;
    }
    assert_eq!(app.count_rows("persons").await, 1);
    assert_eq!(app.count_rows("accounts").await, 1);
    assert_eq!(app.count_rows("refresh_tokens").await, 1);
}

oikos_tests::on_both_databases!(
    sign_up_then_me_returns_the_person,
    sign_in_does_not_tell_which_part_was_wrong,
    refresh_rotates_and_a_reused_token_ends_the_family,
    sign_out_ends_the_session,
    requests_without_a_valid_access_token_are_unauthenticated,
    sign_up_refuses_bad_input_and_writes_nothing,
    an_email_is_taken_whatever_its_case,
);
