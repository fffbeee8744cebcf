//! What every string and number a client sends may hold, by what the field is. The proto
//! files state the same (see the header of each service's proto).

use crate::money::MAX_AMOUNT;

/// How long a text field may be and whether it may run over several lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// In characters; `None` where only the message size limits it (a file's contents).
    pub max_chars: Option<usize>,
    /// Line breaks and tabs allowed; other control characters never are.
    pub multiline: bool,
}

/// Free text an officer writes: reasons, notes, findings.
pub const FREE_TEXT: TextRule = TextRule {
    max_chars: Some(10_000),
    multiline: true,
};
/// A postal address, one line per line of the address.
pub const ADDRESS: TextRule = TextRule {
    max_chars: Some(500),
    multiline: true,
};
/// Ids, references, codes and names: one line.
pub const SHORT: TextRule = TextRule {
    max_chars: Some(200),
    multiline: false,
};
/// Page tokens and cursors this platform issued.
pub const TOKEN: TextRule = TextRule {
    max_chars: Some(1_000),
    multiline: false,
};
/// A whole file carried as text (a payment file, a certificate).
pub const FILE: TextRule = TextRule {
    max_chars: None,
    multiline: true,
};

const FREE_TEXT_FIELDS: &[&str] = &[
    "reason",
    "note",
    "notes",
    "description",
    "findings",
    "grounds",
    "explanation",
    "message",
    "decision",
    "question",
    "difference",
    "suitability_reasons",
];
const FILE_FIELDS: &[&str] = &["csv", "content", "client_certificate_pem"];

pub fn text_rule(field: &str) -> TextRule {
    if FILE_FIELDS.contains(&field) {
        FILE
    } else if FREE_TEXT_FIELDS.contains(&field)
        || field.ends_with("_reason")
        || field.ends_with("_notes")
    {
        FREE_TEXT
    } else if field == "address" || field.ends_with("_address") {
        ADDRESS
    } else if field.ends_with("token") || field.ends_with("cursor") {
        TOKEN
    } else {
        SHORT
    }
}

/// What is wrong with `value` as the text of `field`, if anything. Never echoes the value.
pub fn check_text(field: &str, value: &str) -> Result<(), String> {
    let rule = text_rule(field);
    if let Some(bad) = value
        .chars()
        .find(|c| c.is_control() && !(rule.multiline && matches!(c, '\n' | '\r' | '\t')))
    {
        return Err(format!(
            "must not contain control characters (found U+{:04X})",
            u32::from(bad)
        ));
    }
    if let Some(max) = rule.max_chars {
        let chars = value.chars().count();
        if chars > max {
            return Err(format!("must be at most {max} characters (was {chars})"));
        }
    }
    Ok(())
}

/// What is wrong with `value` as the number in `field`, if anything. Only the bounds no
/// handler may ever see are here; each service's mapping holds a field to its own domain
/// and names it alongside every other problem with the request.
pub fn check_integer(field: &str, value: i64) -> Result<(), String> {
    let (min, max) = if field == "page_size" {
        (0, 1_000)
    } else if field.ends_with("_pence") {
        (-MAX_AMOUNT.get(), MAX_AMOUNT.get())
    } else {
        return Ok(());
    };
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(format!("must be from {min} to {max}"))
    }
}

/// What is wrong with `value` as a real number, if anything: NaN and infinity sort and
/// store as no real place or amount does.
pub fn check_real(value: f64) -> Result<(), String> {
    if value.is_finite() {
        Ok(())
    } else {
        Err("must be a finite number".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_and_line_breaks_only_in_free_text() {
        assert!(check_text("lead_name", "Amara Mensah").is_ok());
        assert!(
            check_text("lead_name", "Amara\0")
                .unwrap_err()
                .contains("U+0000")
        );
        assert!(check_text("lead_name", "two\nlines").is_err());
        assert!(check_text("reason", "two\nlines\tand a tab").is_ok());
        assert!(check_text("reason", "bell\u{7}").is_err());
        assert!(check_text("override_reason", "C1 \u{85}").is_err());
        assert!(check_text("address", "1 High St\nTonbridge").is_ok());
    }

    #[test]
    fn each_kind_of_text_has_its_length() {
        assert!(check_text("lead_name", &"x".repeat(200)).is_ok());
        let long = check_text("lead_name", &"x".repeat(201)).unwrap_err();
        assert_eq!(long, "must be at most 200 characters (was 201)");
        assert!(check_text("reason", &"é".repeat(10_000)).is_ok());
        assert!(check_text("address", &"x".repeat(1 << 20)).is_err());
        assert!(check_text("csv", &"x".repeat(1 << 20)).is_ok());
        assert!(check_text("page_token", &"x".repeat(1_000)).is_ok());
    }

    #[test]
    fn numbers_hold_to_their_domain() {
        assert!(check_integer("page_size", -1).is_err());
        assert!(check_integer("page_size", 0).is_ok());
        assert!(check_integer("amount_pence", i64::MAX).is_err());
        assert!(check_integer("amount_pence", -1_000_000_000).is_ok());
        assert!(check_integer("weekly_cost_pence", 1 << 62).is_err());
        assert!(check_integer("points", i64::MAX).is_ok());
        assert!(check_real(f64::NAN).is_err());
        assert!(check_real(f64::NEG_INFINITY).is_err());
        assert!(check_real(1e300).is_ok());
    }
}
