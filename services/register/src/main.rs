#[tokio::main]
async fn main() -> anyhow::Result<()> {
    housing_events::host::main(
        register::IDENTITY,
        register::DEFAULTS,
        register::migrators(),
        register::build,
    )
    .await
}
