//! Errors as callers should see them: the right canonical code, and for bad input a
//! `BadRequest` naming every bad field at once.

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

/// Collects every problem with a request before answering, so a caller fixes them in one go.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldViolations {
    violations: Vec<(String, String)>,
}

impl FieldViolations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, description: impl Into<String>) {
        self.violations.push((field.into(), description.into()));
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

    /// Names the field unless `pence` is above zero.
    pub fn positive(&mut self, field: &str, pence: i64) {
        if pence <= 0 {
            self.add(field, "must be above zero");
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
        let names: Vec<&str> = self.fields().collect();
        let message = format!("invalid request: {}", names.join(", "));
        let details = ErrorDetails::with_bad_request(
            self.violations
                .into_iter()
                .map(|(field, description)| FieldViolation::new(field, description))
                .collect::<Vec<_>>(),
        );
        Status::with_error_details(Code::InvalidArgument, message, details)
    }
}

/// The fields a `BadRequest` in `status` names, for callers and tests.
pub fn bad_request_fields(status: &Status) -> Vec<String> {
    status
        .get_details_bad_request()
        .map(|b| b.field_violations.into_iter().map(|v| v.field).collect())
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

/// Maps storage errors that a caller can act on (a clash on a unique key) to their codes.
pub fn from_sqlx(error: sqlx::Error) -> Status {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => Status::already_exists(format!(
            "already exists ({})",
            db.constraint().unwrap_or("unique key")
        )),
        sqlx::Error::PoolTimedOut => Status::unavailable("database busy, try again"),
        _ => internal(error),
    }
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
