//! What the bytes of an upload really are, from their first bytes ("magic numbers"): a
//! declared content type is believed only when the bytes agree.

/// The content types the service accepts.
pub const ACCEPTED: &[&str] = &["application/pdf", "image/png", "image/jpeg"];

/// Bytes needed to recognise every accepted type.
pub const PREFIX_LEN: usize = 8;

/// The accepted content type `prefix` starts like, if any.
pub fn content_type(prefix: &[u8]) -> Option<&'static str> {
    if prefix.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if prefix.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if prefix.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Checks the bytes against the declared type; the error says what they look like.
pub fn check(declared: &str, prefix: &[u8]) -> Result<(), String> {
    match content_type(prefix) {
        Some(found) if found == declared => Ok(()),
        Some(found) => Err(format!("declared {declared} but the bytes are {found}")),
        None => Err(format!(
            "declared {declared} but the bytes are not a PDF, PNG or JPEG file"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_accepted_type_is_recognised_by_its_first_bytes() {
        assert_eq!(content_type(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(
            content_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some("image/png")
        );
        assert_eq!(
            content_type(b"\xff\xd8\xff\xe0\0\x10JFIF"),
            Some("image/jpeg")
        );
        assert_eq!(content_type(b"MZ\x90\0"), None, "an executable");
        assert_eq!(content_type(b"%PD"), None, "too short to tell");
    }

    #[test]
    fn a_declared_type_the_bytes_contradict_is_refused() {
        assert!(check("application/pdf", b"%PDF-1.4").is_ok());
        let lie = check("application/pdf", b"\x89PNG\r\n\x1a\n").unwrap_err();
        assert!(lie.contains("image/png"), "{lie}");
        assert!(check("image/jpeg", b"<html>").is_err());
    }
}
