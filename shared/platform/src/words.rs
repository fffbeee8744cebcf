//! Numbers in the words people read in explanations and messages: "1 bedroom", "2 bedrooms".

/// `n` and `noun`, the noun plural unless `n` is one. Every noun the platform counts
/// (bedroom, night, year, week) makes its plural with an s.
pub fn count(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_the_rest_plural() {
        assert_eq!(count(1u32, "bedroom"), "1 bedroom");
        assert_eq!(count(0, "night"), "0 nights");
        assert_eq!(count(3i64, "year"), "3 years");
    }
}
