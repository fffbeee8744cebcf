//! `console` serves the officer console; `console migrate` migrates its database and exits.

use clap::Parser;
use housing_platform::settings::{Sources, load};

/// The officer console: the housing team's screens, signing officers in through the
/// council's OpenID provider. See the README for its settings.
#[derive(Parser)]
#[command(name = "console")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Serve the console until a signal (the default).
    Serve,
    /// Create the console's database if need be, apply its migrations, and exit.
    Migrate,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings: console::Settings = load(&Sources::from_process(console::DEFAULTS))?;
    let _telemetry = housing_platform::telemetry::init("console", &settings.telemetry)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            housing_platform::db::ensure_database(&settings.database).await?;
            let pool = housing_platform::db::connect(&settings.database).await?;
            housing_platform::db::migrate(&pool, &[console::migrator()]).await?;
            tracing::info!("console migrations applied");
            Ok(())
        }
        Command::Serve => console::build(settings).await?.run_until_stopped().await,
    }
}
