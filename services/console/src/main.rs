//! `console` serves the officer console; `console migrate` migrates its database and exits.

use housing_platform::settings::{Sources, load};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings: console::Settings = load(&Sources::from_process(console::DEFAULTS))?;
    let _telemetry = housing_platform::telemetry::init("console", &settings.telemetry)?;
    match std::env::args().nth(1).as_deref() {
        Some("migrate") => {
            housing_platform::db::ensure_database(&settings.database).await?;
            let pool = housing_platform::db::connect(&settings.database).await?;
            console::migrator().run(&pool).await?;
            tracing::info!("console migrations applied");
            Ok(())
        }
        None | Some("serve") => console::build(settings).await?.run_until_stopped().await,
        Some(other) => {
            anyhow::bail!("unknown command {other:?}: use `serve` (the default) or `migrate`")
        }
    }
}
