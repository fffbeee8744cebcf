#[tokio::main]
async fn main() -> anyhow::Result<()> {
    housing_events::host::main(
        nominations::IDENTITY,
        nominations::DEFAULTS,
        nominations::migrators(),
        nominations::build,
    )
    .await
}
