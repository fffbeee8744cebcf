//! Errors as callers should see them: the right canonical code, and for bad input a
//! `BadRequest` naming every bad field at once.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

/// A request with more bad fields than this is told of the first ones and how many more.
const MAX_VIOLATIONS: usize = 25;
const MAX_FIELD_CHARS: usize = 120;
const MAX_DESCRIPTION_CHARS: usize = 240;

/// `text` cut to `max` characters, marked where it was cut.
fn shorten(mut text: String, max: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max) {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// A short, safe rendering of a bad value for an error message: its start, quoted, with
/// control characters escaped.
pub fn quote(value: &str) -> String {
    const SHOWN: usize = 40;
    let mut shown: String = value.chars().take(SHOWN).collect();
    if value.chars().nth(SHOWN).is_some() {
        shown.push('…');
    }
    format!("{shown:?}")
}

/// Collects every problem with a request before answering, so a caller fixes them in one go.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldViolations {
    violations: Vec<(String, String)>,
}

impl FieldViolations {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem. Field and description are cut short where a caller sent
    /// something huge, so the error always fits a client's metadata limit.
    pub fn add(&mut self, field: impl Into<String>, description: impl Into<String>) {
        self.violations.push((
            shorten(field.into(), MAX_FIELD_CHARS),
            shorten(description.into(), MAX_DESCRIPTION_CHARS),
        ));
    }

    /// Records the problem, if any, that `check` found.
    pub fn check(&mut self, field: &str, check: Result<(), String>) {
        if let Err(description) = check {
            self.add(field, description);
        }
    }

    /// The UUID in `value`, or `None` with the field named.
    pub fn uuid(&mut self, field: &str, value: &str) -> Option<uuid::Uuid> {
        uuid::Uuid::parse_str(value)
            .map_err(|_| self.add(field, "must be a UUID"))
            .ok()
    }

    /// The ISO 8601 date in `value`, or `None` with the field named.
    pub fn date(&mut self, field: &str, value: &str) -> Option<chrono::NaiveDate> {
        crate::time::parse_date(value)
            .map_err(|e| self.add(field, e))
            .ok()
    }

    /// Names the field if `value` is blank; `why` says what it is for.
    pub fn require(&mut self, field: &str, value: &str, why: &str) {
        if value.trim().is_empty() {
            self.add(field, format!("required: {why}"));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.violations.iter().map(|(f, _)| f.as_str())
    }

    /// `Ok(value)` when nothing was wrong, else the `INVALID_ARGUMENT` naming every field.
    pub fn into_result<T>(self, value: T) -> Result<T, Status> {
        if self.violations.is_empty() {
            Ok(value)
        } else {
            Err(self.into_status())
        }
    }

    pub fn into_status(self) -> Status {
        let names: Vec<&str> = self.fields().take(MAX_VIOLATIONS).collect();
        let more = self.violations.len().saturating_sub(MAX_VIOLATIONS);
        let message = if more > 0 {
            format!("invalid request: {} and {more} more", names.join(", "))
        } else {
            format!("invalid request: {}", names.join(", "))
        };
        let details = ErrorDetails::with_bad_request(
            self.violations
                .into_iter()
                .take(MAX_VIOLATIONS)
                .map(|(field, description)| FieldViolation::new(field, description))
                .collect::<Vec<_>>(),
        );
        Status::with_error_details(Code::InvalidArgument, message, details)
    }
}

/// The fields a `BadRequest` in `status` names, for callers and tests.
pub fn bad_request_fields(status: &Status) -> Vec<String> {
    bad_request_violations(status)
        .into_iter()
        .map(|(field, _)| field)
        .collect()
}

/// Each field a `BadRequest` in `status` names, with the reason.
pub fn bad_request_violations(status: &Status) -> Vec<(String, String)> {
    status
        .get_details_bad_request()
        .map(|b| {
            b.field_violations
                .into_iter()
                .map(|v| (v.field, v.description))
                .collect()
        })
        .unwrap_or_default()
}

/// A request's one UUID field, or `INVALID_ARGUMENT` naming it.
pub fn uuid_field(field: &str, value: &str) -> Result<uuid::Uuid, Status> {
    let mut v = FieldViolations::new();
    v.uuid(field, value).ok_or_else(|| v.into_status())
}

/// A request's one date field, or `INVALID_ARGUMENT` naming it.
pub fn date_field(field: &str, value: &str) -> Result<chrono::NaiveDate, Status> {
    let mut v = FieldViolations::new();
    v.date(field, value).ok_or_else(|| v.into_status())
}

pub fn not_found(kind: &str, id: &str) -> Status {
    Status::not_found(format!("{kind} {id} not found"))
}

/// A storage or messaging failure: logged with detail here, opaque to the caller.
pub fn internal(error: impl std::fmt::Display) -> Status {
    let incident = uuid::Uuid::new_v4();
    tracing::error!(%incident, %error, "internal error");
    Status::internal(format!("internal error (incident {incident})"))
}

/// Maps storage errors that a caller can act on (a clash on a unique key) to their codes,
/// and a database that is away (restarting, failing over, out of connections) to
/// UNAVAILABLE, which clients retry with the same request id.
pub fn from_sqlx(error: sqlx::Error) -> Status {
    crate::db::note_if_lost(&error);
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Status::already_exists(format!(
            "already exists ({})",
            db.constraint().unwrap_or("unique key")
        )),
        sqlx::Error::Database(db) if db.code().is_some_and(|c| is_transient(&c)) => {
            tracing::warn!(%error, "database unavailable");
            Status::unavailable("the database is unavailable, try again")
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => {
            tracing::warn!(%error, "database unavailable");
            Status::unavailable("the database is unavailable, try again")
        }
        _ => internal(error),
    }
}

/// SQLSTATEs that mean "try again": connection lost (class 08), the server shutting down or
/// starting (57P01-57P03), too many connections (53300), serialisation failure and deadlock.
fn is_transient(code: &str) -> bool {
    code.starts_with("08")
        || matches!(
            code,
            "57P01" | "57P02" | "57P03" | "53300" | "40001" | "40P01"
        )
}

/// What a use case can fail with; the gRPC layer and event consumers each map it.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{kind} {id} not found")]
    NotFound { kind: &'static str, id: String },
    /// The state of things forbids the action; the message names the state.
    #[error("{0}")]
    FailedPrecondition(String),
    #[error("{0}")]
    PermissionDenied(String),
    #[error("invalid: {}", .0.fields().collect::<Vec<_>>().join(", "))]
    Invalid(FieldViolations),
    #[error("storage: {0}")]
    Storage(#[from] sqlx::Error),

    /// A reply from another service.
    #[error("{0}")]
    Upstream(#[from] Status),
}

impl AppError {
    pub fn not_found(kind: &'static str, id: impl ToString) -> Self {
        AppError::NotFound {
            kind,
            id: id.to_string(),
        }
    }
}

impl From<AppError> for Status {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound { kind, id } => not_found(kind, &id),
            AppError::FailedPrecondition(message) => Status::failed_precondition(message),
            AppError::PermissionDenied(message) => Status::permission_denied(message),
            AppError::Invalid(violations) => violations.into_status(),
            AppError::Storage(e) => from_sqlx(e),
            AppError::Upstream(status) => status,
        }
    }
}
