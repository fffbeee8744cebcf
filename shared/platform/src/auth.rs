//! Who is calling. Staff present a signed token (JWT, HS256) carrying their role; the
//! handler checks the role for the action. Health and reflection stay open.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tonic::{Request, Status};

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    RegisterAssistant,
    AllocationsOfficer,
    SeniorOfficer,
    TaOfficer,
    IncomeOfficer,
    Manager,
    /// A partner registered provider; the token names which one.
    Partner,
    /// Another housing service calling on its own account (not on an officer's behalf).
    Service,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::RegisterAssistant => "register_assistant",
            Role::AllocationsOfficer => "allocations_officer",
            Role::SeniorOfficer => "senior_officer",
            Role::TaOfficer => "ta_officer",
            Role::IncomeOfficer => "income_officer",
            Role::Manager => "manager",
            Role::Partner => "partner",
            Role::Service => "service",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The officer's or partner's id; recorded on every decision they make.
    pub sub: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_id: Option<String>,
    pub iss: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
}

/// The authenticated caller, put in the request's extensions by [`Authenticator`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id: String,
    pub role: Role,
    pub partner_id: Option<String>,
}

impl Caller {
    /// The caller, if its role is one of `allowed`; `PERMISSION_DENIED` otherwise.
    pub fn require(&self, allowed: &[Role]) -> Result<&Self, Status> {
        if allowed.contains(&self.role) {
            Ok(self)
        } else {
            Err(Status::permission_denied(format!(
                "role {} may not do this; allowed: {}",
                self.role.as_str(),
                allowed
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }

    /// The partner this caller acts for; only partners have one.
    pub fn partner(&self) -> Result<&str, Status> {
        match (self.role, &self.partner_id) {
            (Role::Partner, Some(id)) => Ok(id),
            _ => Err(Status::permission_denied(
                "only a partner provider may call this",
            )),
        }
    }
}

/// The caller of a request that passed through [`Authenticator`].
pub fn caller<T>(request: &Request<T>) -> Result<Caller, Status> {
    request
        .extensions()
        .get::<Caller>()
        .cloned()
        .ok_or_else(|| Status::unauthenticated("no credentials"))
}

#[derive(Clone)]
pub struct Authenticator {
    key: Vec<u8>,
    issuer: String,
}

impl Authenticator {
    pub fn new(secret: &str, issuer: &str) -> Self {
        Self {
            key: secret.as_bytes().to_vec(),
            issuer: issuer.to_owned(),
        }
    }

    pub fn sign(&self, claims: &Claims) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialise"));
        let signing_input = format!("{header}.{body}");
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&signing_input).finalize().into_bytes());
        format!("{signing_input}.{signature}")
    }

    /// A token for `sub` in `role`, valid for `ttl`.
    pub fn token(
        &self,
        sub: &str,
        role: Role,
        partner_id: Option<&str>,
        ttl: chrono::Duration,
    ) -> String {
        self.sign(&Claims {
            sub: sub.to_owned(),
            role,
            partner_id: partner_id.map(str::to_owned),
            iss: self.issuer.clone(),
            exp: (chrono::Utc::now() + ttl).timestamp(),
        })
    }

    pub fn verify(&self, token: &str) -> Result<Claims, Status> {
        let invalid = |why: &str| Status::unauthenticated(format!("invalid token: {why}"));
        let mut parts = token.split('.');
        let (Some(header), Some(body), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid("not a JWT"));
        };
        let header: serde_json::Value = URL_SAFE_NO_PAD
            .decode(header)
            .ok()
            .and_then(|h| serde_json::from_slice(&h).ok())
            .ok_or_else(|| invalid("bad header"))?;
        // Only HS256: a token that names another algorithm is refused, never reinterpreted.
        if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
            return Err(invalid("algorithm must be HS256"));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| invalid("bad signature"))?;
        self.mac(&format!(
            "{}.{}",
            token.split('.').next().unwrap_or_default(),
            body
        ))
        .verify_slice(&signature)
        .map_err(|_| invalid("bad signature"))?;
        let claims: Claims = URL_SAFE_NO_PAD
            .decode(body)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| invalid("bad claims"))?;
        if claims.iss != self.issuer {
            return Err(invalid("wrong issuer"));
        }
        if claims.exp <= chrono::Utc::now().timestamp() {
            return Err(invalid("expired"));
        }
        if claims.role == Role::Partner && claims.partner_id.is_none() {
            return Err(invalid("partner token without partner_id"));
        }
        Ok(claims)
    }

    fn mac(&self, input: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(input.as_bytes());
        mac
    }

    /// A tonic interceptor that puts the [`Caller`] in the request, or refuses it.
    pub fn interceptor(
        &self,
    ) -> impl Fn(Request<()>) -> Result<Request<()>, Status> + Clone + use<> {
        let auth = self.clone();
        move |mut request: Request<()>| {
            let token = request
                .metadata()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or_else(|| Status::unauthenticated("missing bearer token"))?;
            let claims = auth.verify(token)?;
            request.extensions_mut().insert(Caller {
                id: claims.sub,
                role: claims.role,
                partner_id: claims.partner_id,
            });
            Ok(request)
        }
    }
}

/// Adds `authorization: Bearer <token>` to outgoing requests (service-to-service calls and
/// test clients).
#[derive(Clone)]
pub struct BearerToken(pub tonic::metadata::MetadataValue<tonic::metadata::Ascii>);

impl BearerToken {
    pub fn new(token: &str) -> Self {
        Self(
            format!("Bearer {token}")
                .parse()
                .expect("a JWT is valid ASCII metadata"),
        )
    }
}

impl tonic::service::Interceptor for BearerToken {
    fn call(&mut self, mut request: Request<()>) -> Result<Request<()>, Status> {
        request
            .metadata_mut()
            .insert("authorization", self.0.clone());
        crate::telemetry::inject_current(&mut crate::telemetry::MetadataInjector(
            request.metadata_mut(),
        ));
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_token_verifies_and_carries_its_role() {
        let auth = Authenticator::new("secret", "housing");
        let token = auth.token(
            "officer-1",
            Role::Manager,
            None,
            chrono::Duration::minutes(5),
        );
        let claims = auth.verify(&token).unwrap();
        assert_eq!(claims.sub, "officer-1");
        assert_eq!(claims.role, Role::Manager);
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let token = Authenticator::new("other", "housing").token(
            "x",
            Role::Manager,
            None,
            chrono::Duration::minutes(5),
        );
        let err = Authenticator::new("secret", "housing")
            .verify(&token)
            .unwrap_err();
        assert_eq!(err.code(), tonic::Code::Unauthenticated);
    }

    #[test]
    fn an_expired_token_is_refused() {
        let auth = Authenticator::new("secret", "housing");
        let token = auth.token("x", Role::Manager, None, chrono::Duration::minutes(-1));
        assert!(
            auth.verify(&token)
                .unwrap_err()
                .message()
                .contains("expired")
        );
    }

    #[test]
    fn a_role_outside_the_allowed_set_is_denied() {
        let caller = Caller {
            id: "a".into(),
            role: Role::RegisterAssistant,
            partner_id: None,
        };
        assert_eq!(
            caller.require(&[Role::Manager]).unwrap_err().code(),
            tonic::Code::PermissionDenied
        );
        assert!(caller.require(&[Role::RegisterAssistant]).is_ok());
    }
}
