//! Hand-written SQL shared by both backends. Statements are written once with
//! PostgreSQL's `$n` placeholders and rewritten to SQLite's positional `?` here.

use sea_orm::{DbBackend, Statement, Value};

pub fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    if backend == DbBackend::Postgres {
        return Statement::from_sql_and_values(backend, sql, values);
    }
    let mut out = String::with_capacity(sql.len());
    let mut ordered = Vec::with_capacity(values.len());
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some((_, d)) = chars.peek().copied().filter(|(_, d)| d.is_ascii_digit()) {
            digits.push(d);
            chars.next();
        }
        match digits
            .parse::<usize>()
            .ok()
            .and_then(|n| values.get(n.wrapping_sub(1)))
        {
            Some(value) => {
                out.push('?');
                ordered.push(value.clone());
            }
            None => {
                out.push('$');
                out.push_str(&digits);
            }
        }
    }
    Statement::from_sql_and_values(backend, out, ordered)
}

/// `IN (...)` lists for hand-written statements: `$first, $first+1, ...`.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_placeholders_repeat_values_in_order_of_use() {
        let s = stmt(
            DbBackend::Sqlite,
            "SELECT $2, $1, $2",
            vec![Value::from(1i32), Value::from(2i32)],
        );
        assert_eq!(s.sql, "SELECT ?, ?, ?");
        let values = s.values.map(|v| v.0).unwrap_or_default();
        assert_eq!(
            values,
            vec![Value::from(2i32), Value::from(1i32), Value::from(2i32)]
        );
    }

    #[test]
    fn postgres_statements_are_untouched() {
        let s = stmt(DbBackend::Postgres, "SELECT $1", vec![Value::from(1i32)]);
        assert_eq!(s.sql, "SELECT $1");
    }

    #[test]
    fn placeholder_lists_count_from_the_given_start() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
    }
}

/// Builds a statement piece by piece, numbering bound values as it goes.
#[derive(Default)]
pub struct SqlBuilder {
    pub sql: String,
    values: Vec<Value>,
}

impl SqlBuilder {
    pub fn new(sql: &str) -> Self {
        Self {
            sql: sql.to_owned(),
            values: Vec::new(),
        }
    }

    /// Adds `value` and returns its placeholder.
    pub fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    pub fn build(self, backend: DbBackend) -> Statement {
        stmt(backend, &self.sql, self.values)
    }
}
