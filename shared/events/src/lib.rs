//! Events between housing services over NATS JetStream.
//!
//! PostgreSQL is the source of truth and NATS carries news of it: producers write events to
//! an outbox in the transaction that makes the change ([`outbox`]), a relay publishes them
//! with CloudEvents headers ([`envelope`]), and consumers apply each event once, guarded by
//! an inbox row written with the effect ([`consumer`]).

pub mod bus;
pub mod consumer;
pub mod deadletters;
pub mod envelope;
pub mod gauges;
pub mod host;
pub mod housekeeping;
pub mod outbox;

pub use bus::EventBus;
pub use consumer::{ConsumerSpec, Handler, HandlingError};
pub use envelope::{OutgoingEvent, ReceivedEvent};

/// The outbox and inbox tables, in every producing or consuming service's database.
pub fn migrator() -> sqlx::migrate::Migrator {
    let mut migrator = sqlx::migrate!("./migrations");
    migrator.set_ignore_missing(true);
    migrator
}
