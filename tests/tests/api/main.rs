//! HTTP integration tests, one module per area, each test on SQLite and PostgreSQL.

mod lineage;
mod multiply;
