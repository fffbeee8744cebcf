//! Letter templates: plain text with `{{name}}` placeholders. A council edits the files; a
//! template that names a field the letter does not have is refused at load, with its line.

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl Template {
    /// Checks every placeholder against `fields`, the names this letter can fill.
    pub fn parse(text: &str, fields: &[&str]) -> Result<Self, Vec<TemplateError>> {
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(start) = rest.find("{{") {
                let after = &rest[start + 2..];
                match after.find("}}") {
                    None => {
                        errors.push(TemplateError {
                            line: i + 1,
                            message: "unclosed {{".into(),
                        });
                        break;
                    }
                    Some(end) => {
                        let name = after[..end].trim();
                        if !fields.contains(&name) {
                            errors.push(TemplateError {
                                line: i + 1,
                                message: format!(
                                    "unknown field {name:?}; this letter has {}",
                                    fields.join(", ")
                                ),
                            });
                        }
                        rest = &after[end + 2..];
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(Self {
                text: text.to_owned(),
            })
        } else {
            Err(errors)
        }
    }

    pub fn render(&self, values: &HashMap<&str, String>) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut rest = self.text.as_str();
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find("}}").expect("checked at parse");
            out.push_str(
                values
                    .get(after[..end].trim())
                    .map(String::as_str)
                    .unwrap_or(""),
            );
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_with_an_unknown_field_is_refused_with_its_line() {
        let errors = Template::parse(
            "Dear {{lead_name}},\n\nYou owe {{arrears}}.",
            &["lead_name"],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("arrears"));
    }

    #[test]
    fn placeholders_are_filled() {
        let t = Template::parse(
            "Dear {{ lead_name }}, from {{start_date}}.",
            &["lead_name", "start_date"],
        )
        .unwrap();
        let values = HashMap::from([
            ("lead_name", "Ada Okafor".to_owned()),
            ("start_date", "1 December 2026".to_owned()),
        ]);
        assert_eq!(t.render(&values), "Dear Ada Okafor, from 1 December 2026.");
    }
}
