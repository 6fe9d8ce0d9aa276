//! The integration-test harness: each test gets its own server, started in-process on a
//! free port, over its own fresh database (a SQLite file, or a PostgreSQL database created
//! for the test and dropped after it), and talks to it over real HTTP.
//!
//! PostgreSQL comes from `OIKOS_TEST_POSTGRES_URL` (an admin URL; default: the local
//! server at 127.0.0.1:5432). Without it, PostgreSQL tests are skipped, except with
//! `CI=true`, where a missing PostgreSQL fails them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sea_orm::{ConnectionTrait, Database as SeaDatabase};
use serde_json::{Value, json};
use tokio::sync::oneshot;
use uuid::Uuid;

pub use serde_json;

pub const TEST_SECRET: &str = "integration-tests-secret-0123456789abcdef";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub backend: Backend,
    pub base_url: String,
    client: reqwest::Client,
    statements: Arc<AtomicUsize>,
    shutdown: Option<oneshot::Sender<()>>,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(std::path::PathBuf),
    PostgresDb { admin_url: String, name: String },
}

/// A signed-in person.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub refresh_token: String,
    pub person_id: Uuid,
    pub email: String,
}

fn admin_url() -> String {
    std::env::var("OIKOS_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin
        .split_once('?')
        .map_or((admin, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(head, _)| head);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::spawn_sqlite().await),
            Backend::Postgres => Self::spawn_postgres().await,
        }
    }

    pub async fn spawn_sqlite() -> Self {
        let dir = std::env::temp_dir().join(format!("oikos-test-{}", Uuid::new_v4().simple()));
        let url = format!("sqlite://{}/oikos.db", dir.display());
        Self::start(Backend::Sqlite, url, Cleanup::SqliteDir(dir)).await
    }

    /// `None` (skipped) when PostgreSQL is not reachable and this is not CI.
    pub async fn spawn_postgres() -> Option<Self> {
        let admin = admin_url();
        let name = format!("oikos_t_{}", Uuid::new_v4().simple());
        let created = async {
            let conn = SeaDatabase::connect(&admin).await?;
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            conn.close().await
        }
        .await;
        if let Err(e) = created {
            let in_ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !in_ci,
                "PostgreSQL is required in CI but unreachable at {admin}: {e}"
            );
            eprintln!("skipping a PostgreSQL test: {e}");
            return None;
        }
        let url = with_database(&admin, &name);
        Some(
            Self::start(
                Backend::Postgres,
                url,
                Cleanup::PostgresDb {
                    admin_url: admin,
                    name,
                },
            )
            .await,
        )
    }

    async fn start(backend: Backend, database_url: String, cleanup: Cleanup) -> Self {
        let config = oikos_server::Config {
            database_url,
            bind: ([127, 0, 0, 1], 0).into(),
            jwt_secret: Some(TEST_SECRET.to_owned()),
            dev: false,
            access_token_minutes: 15,
            refresh_token_days: 30,
            cors_origins: Vec::new(),
            public_url: None,
            log: "warn".to_owned(),
            log_format: oikos_server::config::LogFormat::Text,
        };
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        let observer: oikos_persistence::StatementObserver = Arc::new(move |_sql: &str| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        let app = oikos_server::App::start(&config, Some(observer))
            .await
            .unwrap_or_else(|e| panic!("server did not start: {e:#}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("no free port: {e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(app.serve(listener, async move {
            let _ = rx.await;
        }));
        Self {
            backend,
            base_url: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
            statements,
            shutdown: Some(tx),
            cleanup,
        }
    }

    /// Statements run against the database since the server started.
    pub fn statement_count(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// POSTs a GraphQL operation and returns the whole response body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.base_url))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("request failed: {e}"));
        response
            .json()
            .await
            .unwrap_or_else(|e| panic!("response is not JSON: {e}"))
    }

    /// As [`Self::gql`], asserting success and returning `data`.
    pub async fn ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.gql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// As [`Self::gql`], asserting the first error's code and returning the error.
    pub async fn fails(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
        code: &str,
    ) -> Value {
        let body = self.gql(token, query, variables).await;
        let error = body["errors"][0].clone();
        assert_eq!(
            error["extensions"]["code"], code,
            "expected {code}, got: {body:#}"
        );
        error
    }

    pub async fn sign_up(&self, name: &str) -> Session {
        let email = format!(
            "{}-{}@example.org",
            name.to_lowercase().replace(' ', "."),
            Uuid::new_v4().simple()
        );
        let data = self
            .ok(
                None,
                "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken person { id } } }",
                json!({ "input": { "displayName": name, "email": email, "password": "tomatoes in the garden 7" } }),
            )
            .await;
        Session {
            token: str_at(&data, "/signUp/accessToken"),
            refresh_token: str_at(&data, "/signUp/refreshToken"),
            person_id: uuid_at(&data, "/signUp/person/id"),
            email,
        }
    }

    /// Creates an organization (top-level unless `parent` is given) and returns its id.
    pub async fn create_org(
        &self,
        s: &Session,
        kind: &str,
        name: &str,
        parent: Option<Uuid>,
    ) -> Uuid {
        let data = self
            .ok(
                Some(&s.token),
                "mutation($input: CreateOrganizationInput!) { createOrganization(input: $input) { id } }",
                json!({ "input": { "kind": kind, "name": name, "parentId": parent } }),
            )
            .await;
        uuid_at(&data, "/createOrganization/id")
    }

    /// Plants an ACTIVE community led by `s` and returns its id.
    pub async fn plant(&self, s: &Session, org: Uuid, name: &str) -> Uuid {
        let data = self
            .ok(
                Some(&s.token),
                "mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }",
                json!({ "input": { "organizationId": org, "name": name, "status": "ACTIVE",
                                   "timeZone": "Europe/Berlin", "launchedOn": "2024-01-15" } }),
            )
            .await;
        uuid_at(&data, "/createCommunity/id")
    }

    /// Adds the person behind `member` to a community; returns the membership id.
    pub async fn add_member(
        &self,
        leader: &Session,
        community: Uuid,
        member: Uuid,
        role: &str,
    ) -> Uuid {
        let data = self
            .ok(
                Some(&leader.token),
                "mutation($input: AddMemberInput!) { addMember(input: $input) { id } }",
                json!({ "input": { "communityId": community, "personId": member, "role": role,
                                   "joinedOn": "2024-02-01" } }),
            )
            .await;
        uuid_at(&data, "/addMember/id")
    }

    /// Grants an organization role to a signed-up person.
    pub async fn grant(&self, admin: &Session, org: Uuid, person: Uuid, role: &str) {
        self.ok(
            Some(&admin.token),
            "mutation($input: GrantOrganizationRoleInput!) { grantOrganizationRole(input: $input) { id } }",
            json!({ "input": { "organizationId": org, "personId": person, "role": role } }),
        )
        .await;
    }

    /// Records a person of peace of `community`, known by `by`; returns the id of the person
    /// of peace and the id of the person (which names them as a guest at gatherings).
    pub async fn create_person_of_peace(
        &self,
        by: &Session,
        community: Uuid,
        name: &str,
    ) -> (Uuid, Uuid) {
        let data = self
            .ok(
                Some(&by.token),
                "mutation($input: CreatePersonOfPeaceInput!) { \
                 createPersonOfPeace(input: $input) { id person { id } } }",
                json!({ "input": { "communityId": community, "displayName": name,
                                   "howMet": "at the bus stop", "neighbourhood": "Elm Street" } }),
            )
            .await;
        (
            uuid_at(&data, "/createPersonOfPeace/id"),
            uuid_at(&data, "/createPersonOfPeace/person/id"),
        )
    }

    /// Logs a gathering of `community` that was never scheduled, held at `starts_at` with
    /// `practices` and the given people of peace (their person ids) as named guests;
    /// returns its id.
    pub async fn log_gathering(
        &self,
        by: &Session,
        community: Uuid,
        starts_at: &str,
        practices: &[&str],
        guests: &[Uuid],
    ) -> Uuid {
        self.log_gathering_with_guests(by, community, starts_at, practices, guests, 0)
            .await
    }

    /// As [`Self::log_gathering`], with `anonymous_guests` more guests counted without names.
    pub async fn log_gathering_with_guests(
        &self,
        by: &Session,
        community: Uuid,
        starts_at: &str,
        practices: &[&str],
        guests: &[Uuid],
        anonymous_guests: u32,
    ) -> Uuid {
        let data = self
            .ok(
                Some(&by.token),
                "mutation($input: LogGatheringInput!) { logGathering(input: $input) { id } }",
                json!({ "input": { "gathering": { "communityId": community, "startsAt": starts_at,
                                                  "practices": practices },
                                   "guestIds": guests, "anonymousGuests": anonymous_guests } }),
            )
            .await;
        uuid_at(&data, "/logGathering/id")
    }

    /// Closes a need as MET (now: the API records no other closing time).
    pub async fn meet_need(&self, by: &Session, need: Uuid) {
        self.ok(
            Some(&by.token),
            "mutation($input: CloseNeedInput!) { closeNeed(input: $input) { id } }",
            json!({ "input": { "needId": need, "outcome": "MET" } }),
        )
        .await;
    }

    /// Runs hand-written SQL against the test database (for assertions about what was
    /// written, never for set-up the API can do).
    pub async fn count_rows(&self, table: &str) -> i64 {
        self.count_matching(table, Vec::new()).await
    }

    /// Rows of `table` meeting `condition` (SQL written by the test, for assertions).
    pub async fn count_where(&self, table: &str, condition: &str) -> i64 {
        self.count_rows(&format!("{table} WHERE {condition}")).await
    }

    /// As [`Self::count_rows`], for `FROM` text with a `WHERE` clause whose `$1..$n`
    /// placeholders take `values` (ids must be bound: SQLite stores them as blobs).
    pub async fn count_matching(&self, from_where: &str, values: Vec<sea_orm::Value>) -> i64 {
        let conn = SeaDatabase::connect(self.database_url())
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let backend = conn.get_database_backend();
        let row = conn
            .query_one_raw(statement(
                backend,
                &format!("SELECT COUNT(*) AS n FROM {from_where}"),
                values,
            ))
            .await
            .unwrap_or_else(|e| panic!("count {from_where}: {e}"))
            .unwrap_or_else(|| panic!("no row"));
        let n: i64 = row
            .try_get("", "n")
            .unwrap_or_else(|e| panic!("column n: {e}"));
        let _ = conn.close().await;
        n
    }

    /// Runs a hand-written query returning one integer column `n` against the test
    /// database (for assertions about what was written, never for set-up the API can do).
    pub async fn scalar(&self, sql: &str) -> i64 {
        let conn = SeaDatabase::connect(self.database_url())
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let row = conn
            .query_one_raw(sea_orm::Statement::from_string(
                conn.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .unwrap_or_else(|e| panic!("query {sql}: {e}"))
            .unwrap_or_else(|| panic!("no row"));
        let n: i64 = row
            .try_get("", "n")
            .unwrap_or_else(|e| panic!("column n: {e}"));
        let _ = conn.close().await;
        n
    }

    fn database_url(&self) -> String {
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => format!("sqlite://{}/oikos.db", dir.display()),
            Cleanup::PostgresDb { admin_url, name } => with_database(admin_url, name),
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PostgresDb { admin_url, name } => {
                let (admin, name) = (admin_url.clone(), name.clone());
                // The test's runtime is shutting down; drop the database from a thread
                // with a runtime of its own.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(conn) = SeaDatabase::connect(&admin).await {
                            let _ = conn
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                                ))
                                .await;
                            let _ = conn.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// A statement written with `$n` placeholders, numbered `?n` for SQLite.
fn statement(
    backend: sea_orm::DbBackend,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> sea_orm::Statement {
    let sql = if backend == sea_orm::DbBackend::Sqlite {
        sql.replace('$', "?")
    } else {
        sql.to_owned()
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

/// The string at a JSON pointer, or a panic naming it.
pub fn str_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value:#}"))
        .to_owned()
}

pub fn uuid_at(value: &Value, pointer: &str) -> Uuid {
    Uuid::parse_str(&str_at(value, pointer))
        .unwrap_or_else(|e| panic!("{pointer} is not a UUID: {e}"))
}

/// Declares each listed `async fn(TestApp)` as a test on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test($crate::TestApp::spawn_sqlite().await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some(app) = $crate::TestApp::spawn_postgres().await {
                        super::$test(app).await;
                    }
                }
            )+
        }
    };
}
