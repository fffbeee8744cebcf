#[tokio::main]
async fn main() -> anyhow::Result<()> {
    housing_events::host::main(
        rent::IDENTITY,
        rent::DEFAULTS,
        rent::migrators(),
        rent::build,
    )
    .await
}
