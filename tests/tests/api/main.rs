//! HTTP-level integration tests, one module per part of the API. Each test runs on SQLite
//! and on PostgreSQL (see `oikos_tests::on_both_databases!`).

mod needs;
mod outreach;
mod people_of_peace;
mod prayer;
