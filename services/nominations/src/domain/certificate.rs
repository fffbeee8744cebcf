//! Partner identity on the mutual TLS port: the SHA-256 fingerprint of the client
//! certificate the partner registered.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// The fingerprint of a certificate's DER bytes, in lower-case hex.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The fingerprint of the first certificate in a PEM text.
pub fn pem_fingerprint(pem: &str) -> Result<String, String> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .skip_while(|l| *l != "-----BEGIN CERTIFICATE-----")
        .skip(1)
        .take_while(|l| *l != "-----END CERTIFICATE-----")
        .collect();
    if body.is_empty() {
        return Err("not a PEM certificate".into());
    }
    let der = STANDARD
        .decode(body)
        .map_err(|e| format!("not a PEM certificate: {e}"))?;
    Ok(fingerprint(&der))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pem_certificate_has_the_fingerprint_of_its_der_bytes() {
        let der = b"certificate bytes";
        let pem = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            STANDARD.encode(der)
        );
        assert_eq!(pem_fingerprint(&pem).unwrap(), fingerprint(der));
        assert!(pem_fingerprint("hello").is_err());
    }
}
