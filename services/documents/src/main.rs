#[tokio::main]
async fn main() -> anyhow::Result<()> {
    housing_events::host::main(
        documents::IDENTITY,
        documents::DEFAULTS,
        documents::migrators(),
        documents::build,
    )
    .await
}
