//! Who is calling. Staff sign in through the council's OpenID provider; every service
//! verifies the bearer token against the provider's published keys ([`verifier`]), maps the
//! provider's roles to ours, and the handler checks the role for the action. Services call
//! each other with tokens of their own from the same provider ([`client`]). Partners never
//! present tokens: they connect with mutual TLS on their own port. Health and reflection
//! stay open.

pub mod client;
pub mod discovery;
mod layer;
pub mod verifier;

use serde::{Deserialize, Serialize};
use tonic::{Request, Status};

pub use client::{BearerToken, ServiceTokens};
pub use layer::{Authenticated, denials};
pub use verifier::{Authenticator, Verifier};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    RegisterAssistant,
    AllocationsOfficer,
    SeniorOfficer,
    TaOfficer,
    IncomeOfficer,
    Manager,
    /// Another housing service calling on its own account (not on an officer's behalf). Only
    /// a client-credentials token carries it, so no person holds it.
    Service,
}

impl Role {
    pub const STAFF: [Role; 6] = [
        Role::RegisterAssistant,
        Role::AllocationsOfficer,
        Role::SeniorOfficer,
        Role::TaOfficer,
        Role::IncomeOfficer,
        Role::Manager,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::RegisterAssistant => "register_assistant",
            Role::AllocationsOfficer => "allocations_officer",
            Role::SeniorOfficer => "senior_officer",
            Role::TaOfficer => "ta_officer",
            Role::IncomeOfficer => "income_officer",
            Role::Manager => "manager",
            Role::Service => "service",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Role::STAFF
            .into_iter()
            .chain([Role::Service])
            .find(|r| r.as_str() == name)
            .ok_or_else(|| format!("no role {name}"))
    }
}

fn names(roles: &[Role]) -> String {
    if roles.is_empty() {
        return "none".into();
    }
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The verified caller, put in the request's extensions by [`Authenticated`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The provider's subject: the stable id recorded on every decision.
    pub id: String,
    /// The person's display name from the token (a service's client id for a service).
    pub name: String,
    /// Every one of our roles the provider's roles map to; a person may hold several.
    pub roles: Vec<Role>,
}

impl Caller {
    /// The caller, if it holds one of `allowed`; `PERMISSION_DENIED` naming them otherwise.
    pub fn require(&self, allowed: &[Role]) -> Result<&Self, Status> {
        if self.holds(allowed) {
            Ok(self)
        } else {
            Err(Status::permission_denied(format!(
                "roles {} may not do this; allowed: {}",
                names(&self.roles),
                names(allowed)
            )))
        }
    }

    /// Whether the caller holds any of `roles`.
    pub fn holds(&self, roles: &[Role]) -> bool {
        self.roles.iter().any(|r| roles.contains(r))
    }
}

/// The caller of a request that passed through [`Authenticated`].
pub fn caller<T>(request: &Request<T>) -> Result<Caller, Status> {
    request
        .extensions()
        .get::<Caller>()
        .cloned()
        .ok_or_else(|| Status::unauthenticated("no credentials"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_with_any_allowed_role_passes_and_others_are_told_which_roles_may() {
        let caller = Caller {
            id: "a".into(),
            name: "A".into(),
            roles: vec![Role::RegisterAssistant, Role::TaOfficer],
        };
        assert!(caller.require(&[Role::TaOfficer, Role::Manager]).is_ok());
        let denied = caller
            .require(&[Role::Manager, Role::SeniorOfficer])
            .unwrap_err();
        assert_eq!(denied.code(), tonic::Code::PermissionDenied);
        assert_eq!(
            denied.message(),
            "roles register_assistant, ta_officer may not do this; allowed: manager, senior_officer"
        );
    }
}
