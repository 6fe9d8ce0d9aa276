//! Configuration from flags and `OIKOS_*` environment variables, with defaults that let a
//! new user start the server with no set-up (`--dev`).

use std::net::SocketAddr;

use anyhow::bail;
use clap::{Args, ValueEnum};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/oikos.db";
/// HS256 needs a key at least as long as its output.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database URL: `sqlite://path/to/file.db` (created when missing) or `postgres://…`.
    #[arg(long, env = "OIKOS_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// Address to listen on.
    #[arg(
        long,
        env = "OIKOS_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// Secret that signs access tokens: at least 32 bytes. Required outside --dev.
    #[arg(long, env = "OIKOS_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,

    /// Development mode: without OIKOS_JWT_SECRET, sign tokens with a random secret that
    /// lives as long as the process (sessions end at restart).
    #[arg(long, env = "OIKOS_DEV", default_value_t = false, global = true)]
    pub dev: bool,

    /// Lifetime of an access token, in minutes.
    #[arg(
        long,
        env = "OIKOS_ACCESS_TOKEN_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub access_token_minutes: i64,

    /// Lifetime of a refresh token, in days.
    #[arg(
        long,
        env = "OIKOS_REFRESH_TOKEN_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub refresh_token_days: i64,

    /// Comma-separated origins allowed to call the API from a browser (none by default).
    #[arg(long, env = "OIKOS_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,

    /// Where clients reach the server, e.g. `https://oikos.example.org`, for the URLs the
    /// API hands out (calendar feeds). Without it, URLs use the request's Host header.
    #[arg(long, env = "OIKOS_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Log filter, e.g. `info` or `oikos=debug,sqlx=warn`.
    #[arg(long, env = "OIKOS_LOG", default_value = "info", global = true)]
    pub log: String,

    #[arg(long, env = "OIKOS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// The signing secret, or why the server must not start.
    pub fn signing_secret(&self) -> anyhow::Result<Vec<u8>> {
        match (&self.jwt_secret, self.dev) {
            (Some(secret), _) if secret.len() >= MIN_SECRET_BYTES => Ok(secret.as_bytes().to_vec()),
            (Some(_), _) => {
                bail!("OIKOS_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes long")
            }
            (None, true) => {
                tracing::warn!(
                    "development mode: signing tokens with a random secret; sessions end at restart"
                );
                let mut secret = vec![0u8; 48];
                rand::RngCore::fill_bytes(&mut rand::rng(), &mut secret);
                Ok(secret)
            }
            (None, false) => bail!(
                "refusing to start without a signing secret: set OIKOS_JWT_SECRET (32+ bytes) \
                 or pass --dev for local development"
            ),
        }
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        if !(1..=24 * 60).contains(&self.access_token_minutes) {
            bail!("OIKOS_ACCESS_TOKEN_MINUTES must be between 1 and 1440");
        }
        if !(1..=365).contains(&self.refresh_token_days) {
            bail!("OIKOS_REFRESH_TOKEN_DAYS must be between 1 and 365");
        }
        Ok(())
    }
}
