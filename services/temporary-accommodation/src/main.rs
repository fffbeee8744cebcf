#[tokio::main]
async fn main() -> anyhow::Result<()> {
    use temporary_accommodation as ta;
    housing_events::host::main(ta::IDENTITY, ta::DEFAULTS, ta::migrators(), ta::build).await
}
