//! `oikos`: the Oikos server and its maintenance commands.

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use oikos_server::config::LogFormat;
use oikos_server::{App, Config, shutdown_signal};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "oikos",
    version,
    about = "The system of record for missional communities"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Fill the database with a realistic demo network.
    SeedDemo,
    /// Print the GraphQL SDL (the contract committed as schema/schema.graphql).
    ExportSchema,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing(&cli.config);
    match cli.command.unwrap_or(Command::Serve) {
        Command::ExportSchema => {
            print!("{}", oikos_graphql::sdl());
            Ok(())
        }
        Command::Migrate => {
            let db = oikos_persistence::Database::connect(&cli.config.database_url, None).await?;
            db.migrate().await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::SeedDemo => {
            let db = oikos_persistence::Database::connect(&cli.config.database_url, None).await?;
            db.migrate().await?;
            let summary = oikos_server::seed::seed_demo(&db).await?;
            println!("{summary}");
            Ok(())
        }
        Command::Serve => {
            let app = App::start(&cli.config, None).await?;
            let listener = tokio::net::TcpListener::bind(cli.config.bind)
                .await
                .with_context(|| format!("binding {}", cli.config.bind))?;
            tracing::info!(
                address = %cli.config.bind,
                "Oikos is serving GraphQL at http://{}/graphql (GraphiQL in a browser)",
                cli.config.bind
            );
            app.serve(listener, shutdown_signal()).await
        }
    }
}

fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
