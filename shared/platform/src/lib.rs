//! What every housing service runs on. No domain logic of any one service lives here.

pub mod admission;
pub mod auth;
pub mod calendar;
pub mod db;
pub mod errors;
pub mod grpc;
pub mod idempotency;
pub mod jobs;
pub mod metrics;
pub mod money;
pub mod paging;
pub mod postcode;
pub mod register;
pub mod returns;
pub mod screen;
pub mod settings;
pub mod shutdown;
pub mod telemetry;
pub mod time;
pub mod words;

/// Every service, and every test and benchmark that runs one, allocates with mimalloc: in the
/// load test glibc's allocator took about 8 % of the services' CPU time, and mimalloc half
/// that, for the same calls.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
