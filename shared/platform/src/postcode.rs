//! UK postcodes as the services keep them.

/// A postcode as stored and searched: trimmed, in capitals.
pub fn normalise(text: &str) -> String {
    text.trim().to_uppercase()
}

/// A UK postcode, normalised with one space before the inward code ("E2 7QQ"); the reason
/// otherwise. The outward code is a letter or two, a digit, then a digit or letter at most;
/// the inward code a digit and two letters.
pub fn uk(text: &str) -> Result<String, &'static str> {
    let compact: String = normalise(text).split_whitespace().collect();
    let chars: Vec<char> = compact.chars().collect();
    let problem = "must be a UK postcode, like E2 7QQ";
    if !(5..=7).contains(&chars.len()) {
        return Err(problem);
    }
    let (outward, inward) = chars.split_at(chars.len() - 3);
    let letter = |c: &char| c.is_ascii_uppercase();
    let digit = |c: &char| c.is_ascii_digit();
    let inward_ok = digit(&inward[0]) && inward[1..].iter().all(letter);
    let area = outward.iter().take_while(|c| letter(c)).count();
    let district = &outward[area..];
    let outward_ok = (1..=2).contains(&area)
        && district.first().is_some_and(digit)
        && district.len() <= 2
        && district.iter().all(char::is_ascii_alphanumeric);
    if inward_ok && outward_ok {
        Ok(format!(
            "{} {}",
            outward.iter().collect::<String>(),
            inward.iter().collect::<String>()
        ))
    } else {
        Err(problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_of_uk_postcode_reads_and_is_spaced_once() {
        for (given, kept) in [
            ("e2 7qq", "E2 7QQ"),
            ("N17 2AB", "N17 2AB"),
            ("  sw1a1aa ", "SW1A 1AA"),
            ("W1A 0AX", "W1A 0AX"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
        ] {
            assert_eq!(uk(given), Ok(kept.to_owned()), "{given}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "", "E2", "12 7QQ", "E2 QQ7", "EEE2 7QQ", "E2 7Q!", "E222 7QQ", "É2 7QQ",
        ] {
            assert!(uk(bad).is_err(), "{bad}");
        }
    }
}
