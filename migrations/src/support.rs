//! Small builders shared by the migrations.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// A text column that may only hold one of `values` (the domain's SCREAMING_SNAKE names).
pub fn enum_text<T: IntoIden + Clone + 'static>(col: T, values: &[&str]) -> ColumnDef {
    let allowed: Vec<SimpleExpr> = values.iter().map(|v| Expr::val(*v)).collect();
    string_len(col.clone(), 32)
        .check(Expr::col(col).is_in(allowed))
        .take()
}

/// A materialized tree path (see `oikos_domain::tree_path`). Range scans over it must
/// compare bytes, so PostgreSQL gets the "C" collation whatever the database default;
/// SQLite's default BINARY collation already does.
pub fn tree_path_col<T: IntoIden>(col: T, backend: DbBackend) -> ColumnDef {
    let mut def = ColumnDef::new(col);
    def.string_len(400).not_null().unique_key();
    if backend == DbBackend::Postgres {
        def.extra("COLLATE \"C\"");
    }
    def
}

/// `created_at` and `updated_at`, on every table: integrations sync by `updatedSince`.
pub fn timestamps(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(timestamp_with_time_zone(Alias::new("created_at")))
        .col(timestamp_with_time_zone(Alias::new("updated_at")))
}

pub async fn raw(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(sql)
        .await
        .map(|_| ())
}
