use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use oikos_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, DatabaseConnection, DbBackend};

/// Called with the SQL of every statement run (tests count statements with it).
pub type StatementObserver = Arc<dyn Fn(&str) + Send + Sync>;

/// The connection pool, SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Database {
    conn: DatabaseConnection,
}

impl Database {
    /// Connects to `url` (`sqlite://path/to/file.db` or `postgres://…`). A SQLite file and
    /// its folder are created when missing, so a new user needs no set-up.
    pub async fn connect(url: &str, observer: Option<StatementObserver>) -> anyhow::Result<Self> {
        let url = prepare_sqlite_url(url)?;
        let mut options = ConnectOptions::new(url.clone());
        options
            .sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10));
        if url.starts_with("sqlite:") {
            // An in-memory database lives in one connection; a file takes several readers.
            options.max_connections(if url.contains(":memory:") { 1 } else { 8 });
            options.map_sqlx_sqlite_opts(|opts| {
                opts.foreign_keys(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(5))
            });
        } else {
            options.max_connections(16);
        }
        let mut conn = sea_orm::Database::connect(options)
            .await
            .with_context(|| format!("cannot connect to the database at {}", redact(&url)))?;
        if let Some(observer) = observer {
            conn.set_metric_callback(move |info| observer(&info.statement.sql));
        }
        Ok(Self { conn })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        Migrator::up(&self.conn, None)
            .await
            .context("applying database migrations")
    }

    /// Fails when the database does not answer (the readiness probe).
    pub async fn ping(&self) -> anyhow::Result<()> {
        self.conn.ping().await.context("database ping")
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub async fn close(self) -> anyhow::Result<()> {
        self.conn.close().await.context("closing the database")
    }
}

fn prepare_sqlite_url(url: &str) -> anyhow::Result<String> {
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Ok(url.to_owned());
    };
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path.contains(":memory:") {
        return Ok(url.to_owned());
    }
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database folder {}", dir.display()))?;
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact("postgres://app:secret@db:5432/oikos"),
            "postgres://app:***@db:5432/oikos"
        );
        assert_eq!(
            redact("sqlite://./data/oikos.db"),
            "sqlite://./data/oikos.db"
        );
    }

    #[test]
    fn sqlite_files_are_opened_read_write_create() {
        let dir = std::env::temp_dir().join(format!("oikos-url-{}", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}/x.db", dir.display());
        let got = prepare_sqlite_url(&url).unwrap_or_default();
        assert!(got.ends_with("x.db?mode=rwc"));
        assert!(dir.exists());
        let _ = std::fs::remove_dir_all(dir);
    }
}
