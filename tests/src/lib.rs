//! Journeys across the services live in `tests/`; `housing-demo` (src/bin) loads a demo
//! borough into the local stack and calls its RPCs.

pub mod call;
