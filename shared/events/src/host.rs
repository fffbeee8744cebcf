//! Wiring every service repeats: database and migrations, the event bus and outbox relay,
//! consumers, and the gRPC server, run together until a signal.

use std::future::Future;
use std::net::SocketAddr;

use housing_platform::auth::{Authenticated, Authenticator};
use housing_platform::db::Pool;
use housing_platform::grpc::{Listener, serve};
use housing_platform::settings::{Settings, Sources, load};
use housing_platform::shutdown::Runtime;
use housing_platform::{db, telemetry};
use serde::de::DeserializeOwned;
use sqlx::migrate::Migrator;
use tonic::service::Routes;

use crate::EventBus;
use crate::consumer::{Consumer, ConsumerSpec, Handler};
use crate::deadletters::{DeadLetter, DeadLetters};
use crate::outbox::Relay;

/// Every migrator a service runs: the platform's tables, the outbox and inbox, then its own.
pub fn migrators(mut own: Migrator) -> Vec<Migrator> {
    // Several migrators share one `_sqlx_migrations` table: each must ignore the others'.
    own.set_ignore_missing(true);
    vec![db::migrator(), crate::migrator(), own]
}

/// Who a service is: its name (`ce-source`, telemetry) and the event area it owns.
#[derive(Debug, Clone, Copy)]
pub struct Identity {
    pub name: &'static str,
    pub area: &'static str,
}

/// A service being put together: resources are up, tasks not yet serving.
pub struct Host {
    pub identity: Identity,
    pub pool: Pool,
    pub bus: EventBus,
    pub auth: Authenticator,
    pub max_message_bytes: usize,
    listener: Listener,
    runtime: Runtime,
    grpc: housing_platform::settings::GrpcSettings,
    telemetry: Option<telemetry::TelemetryGuard>,
    /// Further listeners, by name, served alongside the main one.
    extra: Vec<(&'static str, SocketAddr)>,
    /// Each consumer's stream area and durable name, for the lag gauges.
    consumers: Vec<(&'static str, String)>,
    max_connections: u32,
}

impl Host {
    /// Connects to the database (migrating it if configured), NATS and the gRPC port, and
    /// starts the outbox relay.
    pub async fn start<S>(
        identity: Identity,
        settings: &Settings<S>,
        migrators: &[Migrator],
    ) -> anyhow::Result<Self> {
        // Settings first: a service that could trust no caller must not start at all.
        let problems = settings.problems();
        anyhow::ensure!(
            problems.is_empty(),
            "cannot start {}: {}",
            identity.name,
            problems.join("; ")
        );
        // Installed once per process; `main` has usually done it already.
        let telemetry = telemetry::init(identity.name, &settings.telemetry)?;
        // The port before any connection out: the platform's ports lie in Linux's ephemeral
        // range, so a connection of this process's own could otherwise be given it.
        let listener = Listener::bind(&settings.grpc).await?;
        let admin =
            tokio::net::TcpListener::bind((settings.grpc.host.as_str(), settings.admin.port))
                .await?;
        let admin_addr = admin.local_addr()?;
        tracing::info!(addr = %admin_addr, "metrics on http://{admin_addr}/metrics");
        let pool = db::connect(&settings.database).await?;
        if settings.database.migrate_on_start {
            db::migrate(&pool, migrators).await?;
        }
        let bus = EventBus::connect(&settings.nats, identity.name).await?;
        let mut runtime = Runtime::new();
        runtime.spawn(
            "metrics",
            housing_platform::metrics::serve(admin, runtime.stop_token()),
        );
        let relay = Relay::new(pool.clone(), bus.clone(), identity.area);
        runtime.spawn("outbox relay", relay.run(runtime.stop_token()));
        if settings.housekeeping.run_daily {
            runtime.spawn(
                "housekeeping",
                crate::housekeeping::run(
                    pool.clone(),
                    settings.housekeeping.keep_days,
                    runtime.stop_token(),
                ),
            );
        }
        let auth = Authenticator::new(&settings.auth);
        if let Authenticator::Oidc(verifier) = &auth {
            let (people, names) = tokio::sync::mpsc::channel(1024);
            verifier.record_people(people);
            runtime.spawn(
                "officer names",
                db::record_officers(pool.clone(), names, runtime.stop_token()),
            );
        }
        // Off the start-up path: a provider slow to answer must not hold the service back.
        let warming = auth.clone();
        runtime.spawn("OpenID keys", async move {
            warming.warm_up().await;
            Ok(())
        });
        Ok(Self {
            telemetry,
            identity,
            pool,
            bus,
            auth,
            max_message_bytes: settings.grpc.max_message_bytes,
            listener,
            runtime,
            grpc: settings.grpc.clone(),
            extra: vec![("admin", admin_addr)],
            consumers: Vec::new(),
            max_connections: settings.database.max_connections,
        })
    }

    /// `service`, answering only callers the OpenID provider vouches for.
    pub fn authenticated<S>(&self, service: S) -> Authenticated<S> {
        Authenticated::new(service, self.auth.clone())
    }

    pub fn consume<H: Handler>(&mut self, spec: ConsumerSpec, handler: H) {
        self.consumers.push((spec.area, spec.durable.clone()));
        let consumer = Consumer::new(self.pool.clone(), self.bus.clone(), spec, handler);
        self.runtime
            .spawn("consumer", consumer.run(self.runtime.stop_token()));
    }

    /// Cancelled when the service begins to stop: long-lived calls (server streams) end on
    /// it, so draining does not wait for them forever.
    pub fn stop_token(&self) -> housing_platform::shutdown::CancellationToken {
        self.runtime.stop_token()
    }

    /// Runs a further background task (a scheduled job, a one-off catch-up) until it finishes
    /// or the service stops; its failure stops the service.
    pub fn spawn<F, Fut>(&mut self, name: &'static str, task: F)
    where
        F: FnOnce(housing_platform::shutdown::CancellationToken) -> Fut,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let stop = self.runtime.stop_token();
        self.runtime.spawn(name, task(stop));
    }

    /// Serves `routes` on a further port of the service's host (e.g. partners', with mutual
    /// TLS) until the service stops; `Running::addr_of(name)` tells where.
    pub async fn serve_also(
        &mut self,
        name: &'static str,
        port: u16,
        routes: Routes,
        service_names: &'static [&'static str],
        tls: Option<tonic::transport::ServerTlsConfig>,
    ) -> anyhow::Result<()> {
        let listener = housing_platform::grpc::Listener::bind_port(&self.grpc, port).await?;
        self.extra.push((name, listener.addr()));
        let (stop, grpc) = (self.runtime.stop_token(), self.grpc.clone());
        self.runtime.spawn(name, async move {
            serve(listener, routes, service_names, &grpc, tls, stop).await
        });
        Ok(())
    }

    /// Starts serving `routes`; `service_names` are their full proto names for health.
    pub fn serve(mut self, routes: Routes, service_names: &'static [&'static str]) -> Running {
        let addr = self.listener.addr();
        self.runtime.spawn(
            "gauges",
            crate::gauges::run(
                self.pool.clone(),
                self.bus.clone(),
                self.max_connections,
                std::mem::take(&mut self.consumers),
                self.runtime.stop_token(),
            ),
        );
        let stop = self.runtime.stop_token();
        let grpc = self.grpc.clone();
        self.runtime.spawn("grpc", async move {
            serve(self.listener, routes, service_names, &grpc, None, stop).await
        });
        Running {
            addr,
            extra: self.extra,
            runtime: self.runtime,
            pool: self.pool,
            _telemetry: self.telemetry,
        }
    }
}

/// A running service.
pub struct Running {
    addr: SocketAddr,
    extra: Vec<(&'static str, SocketAddr)>,
    runtime: Runtime,
    pool: Pool,
    _telemetry: Option<telemetry::TelemetryGuard>,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where a listener added with `Host::serve_also` is.
    pub fn addr_of(&self, name: &str) -> Option<SocketAddr> {
        self.extra.iter().find(|(n, _)| *n == name).map(|(_, a)| *a)
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.runtime.run_until_signal().await
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.runtime.stop().await
    }
}

/// A service's command line.
#[derive(clap::Parser)]
#[command(about = "A housing allocations service: see the README for its settings.")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Run the service until a signal (the default).
    Serve,
    /// Create the database if need be, apply the migrations, and exit.
    Migrate,
    /// The events this service's consumers could never apply.
    #[command(subcommand)]
    Deadletters(DeadLetterCommand),
}

#[derive(clap::Subcommand)]
enum DeadLetterCommand {
    /// List dead letters, oldest first.
    List {
        /// Only those after this sequence number.
        #[arg(long, default_value_t = 0)]
        after: u64,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Show one dead letter: why, where from, and its event's bytes.
    Show { sequence: u64 },
    /// Publish the event again for the consumer that failed (once its cause is fixed), then
    /// remove the dead letter. Consumers that applied it already change nothing.
    Replay { sequence: u64 },
    /// Remove a dead letter for good.
    Discard {
        sequence: u64,
        /// Why: kept in the service's log.
        #[arg(long)]
        reason: String,
    },
}

/// A service's `main`: load configuration, start telemetry, then run what the command line
/// asks: the service (the default), its migrations, or work on its dead letters.
pub async fn main<S, B, Fut>(
    identity: Identity,
    defaults: &'static str,
    migrators: Vec<Migrator>,
    build: B,
) -> anyhow::Result<()>
where
    S: DeserializeOwned,
    B: FnOnce(Settings<S>) -> Fut,
    Fut: Future<Output = anyhow::Result<Running>>,
{
    use clap::{CommandFactory, FromArgMatches};
    let matches = Cli::command().name(identity.name).get_matches();
    let cli = Cli::from_arg_matches(&matches)?;
    let settings: Settings<S> = load(&Sources::from_process(defaults))?;
    let _telemetry = telemetry::init(identity.name, &settings.telemetry)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            db::ensure_database(&settings.database).await?;
            let pool = db::connect(&settings.database).await?;
            db::migrate(&pool, &migrators).await?;
            tracing::info!(service = identity.name, "migrations applied");
            Ok(())
        }
        Command::Serve => build(settings).await?.run_until_stopped().await,
        Command::Deadletters(command) => {
            let bus = EventBus::connect(&settings.nats, identity.name).await?;
            dead_letters(DeadLetters::new(bus, identity.area), command).await
        }
    }
}

async fn dead_letters(letters: DeadLetters, command: DeadLetterCommand) -> anyhow::Result<()> {
    let line = |d: &DeadLetter| {
        format!(
            "{:>8}  {}  {}  {}  {}  {}",
            d.sequence,
            d.dead_lettered_at.format("%Y-%m-%d %H:%M:%S"),
            d.consumer,
            d.subject,
            d.ce_id,
            d.reason
        )
    };
    match command {
        DeadLetterCommand::List { after, limit } => {
            let found = letters.list(after, limit).await?;
            if found.is_empty() {
                println!("no dead letters");
            }
            for d in &found {
                println!("{}", line(d));
            }
        }
        DeadLetterCommand::Show { sequence } => {
            let (d, payload) = letters.show(sequence).await?;
            println!("sequence:         {}", d.sequence);
            println!("dead-lettered at: {}", d.dead_lettered_at.to_rfc3339());
            println!("consumer:         {}", d.consumer);
            println!("reason:           {}", d.reason);
            println!("subject:          {}", d.subject);
            println!("ce-id:            {}", d.ce_id);
            println!("ce-type:          {}", d.ce_type);
            println!("ce-subject:       {}", d.ce_subject);
            println!("payload:          {} bytes", payload.len());
            let hex: String = payload.iter().map(|b| format!("{b:02x}")).collect();
            println!("{hex}");
        }
        DeadLetterCommand::Replay { sequence } => {
            let d = letters.replay(sequence).await?;
            println!("replayed {} to {}", d.sequence, d.subject);
        }
        DeadLetterCommand::Discard { sequence, reason } => {
            let d = letters.discard(sequence, &reason).await?;
            println!("discarded {} ({})", d.sequence, d.subject);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
