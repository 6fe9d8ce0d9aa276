//! HTTP-level integration tests, one module per part of the API. Each test runs on SQLite
//! and on PostgreSQL (see `oikos_tests::on_both_databases!`).

mod auth;
mod coaching;
mod communities;
mod members;
mod organizations;
mod readiness;

mod calendar;
mod gatherings;
mod rhythm;

mod needs;
mod outreach;
mod people_of_peace;
mod prayer;

mod lineage;
mod multiply;

mod home;

use oikos_tests::TestApp;
use serde_json::Value;

pub const PASSWORD: &str = "tomatoes in the garden 7";

/// Fragments that would betray the server's insides (SQL, drivers, source files, panics).
const LEAKS: &[&str] = &[
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "DELETE ",
    "sqlx",
    "sqlite",
    "SQLite",
    "postgres",
    "Postgres",
    "constraint",
    ".rs:",
    "/src/",
    "panicked",
];

/// As [`TestApp::fails`], also asserting that the message leaks nothing of the server.
pub async fn refused(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    code: &str,
) -> Value {
    let error = app.fails(token, query, variables, code).await;
    let message = error["message"].as_str().unwrap_or_default();
    assert!(!message.is_empty(), "an error without a message: {error:#}");
    for leak in LEAKS {
        assert!(
            !message.contains(leak),
            "the message leaks {leak:?}: {error:#}"
        );
    }
    error
}

/// A BAD_USER_INPUT refusal that names `field`.
pub async fn bad_input(
    app: &TestApp,
    token: Option<&str>,
    query: &str,
    variables: Value,
    field: &str,
) -> Value {
    let error = refused(app, token, query, variables, "BAD_USER_INPUT").await;
    assert_eq!(
        error["extensions"]["field"], field,
        "expected the error to name {field}: {error:#}"
    );
    error
}

/// The ids of a connection's nodes, in order.
pub fn node_ids(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection:#}"))
        .iter()
        .map(|edge| oikos_tests::str_at(edge, "/node/id"))
        .collect()
}
