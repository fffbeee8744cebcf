//! Screening every request against its proto before a handler sees it.
