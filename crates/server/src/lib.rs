//! The `oikos` server: configuration, the HTTP router and its middleware, start-up and
//! graceful shutdown. Integration tests start it in-process through [`App`].

mod calendar;
pub mod config;
mod http;
mod lineage_files;
pub mod seed;

use std::net::SocketAddr;

use anyhow::Context as _;
use oikos_graphql::AppContext;
use oikos_graphql::auth::tokens::TokenService;
use oikos_persistence::{Database, StatementObserver};
use tokio::net::TcpListener;

pub use config::Config;

/// A connected, migrated database and everything the router needs.
#[derive(Clone)]
pub struct App {
    pub context: AppContext,
    pub schema: oikos_graphql::OikosSchema,
    pub cors_origins: Vec<String>,
    pub public_url: Option<String>,
}

impl App {
    /// Connects to the database, applies migrations and builds the schema.
    pub async fn start(
        config: &Config,
        observer: Option<StatementObserver>,
    ) -> anyhow::Result<Self> {
        config.validate()?;
        let secret = config.signing_secret()?;
        let db = Database::connect(&config.database_url, observer).await?;
        db.migrate().await?;
        let tokens = TokenService::new(
            &secret,
            chrono::Duration::minutes(config.access_token_minutes),
            chrono::Duration::days(config.refresh_token_days),
        );
        let context = AppContext { db, tokens };
        let schema = oikos_graphql::build_schema(context.clone());
        Ok(Self {
            context,
            schema,
            cors_origins: config.cors_origins.clone(),
            public_url: config.public_url.clone(),
        })
    }

    pub fn router(&self) -> axum::Router {
        http::router(self.clone())
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let router = self.router();
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")
    }
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
