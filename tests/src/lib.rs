//! Journeys across the services live in `tests/`.
