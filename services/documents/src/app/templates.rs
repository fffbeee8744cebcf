//! The letter templates in use: the built-in ones, each replaced by a council's file of the
//! same name when a templates folder is configured.

use std::collections::HashMap;
use std::path::Path;

use crate::domain::letters::TEMPLATES;
use crate::domain::template::Template;

pub struct Templates {
    by_file: HashMap<&'static str, Template>,
}

impl Templates {
    /// Every template, checked; every problem in every file is reported with its line, so a
    /// council fixes them in one go and the service does not start with a broken letter.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let mut by_file = HashMap::new();
        let mut problems = Vec::new();
        for spec in TEMPLATES {
            let council_file = dir.map(|d| d.join(spec.file)).filter(|p| p.is_file());
            let text = match &council_file {
                Some(path) => std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
                None => spec.built_in.to_owned(),
            };
            match Template::parse(&text, spec.fields) {
                Ok(template) => {
                    by_file.insert(spec.file, template);
                }
                Err(errors) => {
                    problems.extend(errors.iter().map(|e| format!("{} {e}", spec.file)));
                }
            }
        }
        if problems.is_empty() {
            Ok(Self { by_file })
        } else {
            anyhow::bail!(
                "letter templates are not valid:\n  {}",
                problems.join("\n  ")
            )
        }
    }

    pub fn render(&self, file: &str, values: &HashMap<&'static str, String>) -> String {
        self.by_file
            .get(file)
            .unwrap_or_else(|| panic!("template {file} is one of TEMPLATES"))
            .render(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_templates_load() {
        Templates::load(None).unwrap();
    }

    #[test]
    fn a_council_template_naming_an_unknown_field_stops_the_load_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("offer.txt"),
            "Dear {{lead_name}},\n\nYour flat at {{flat_address}}.\n",
        )
        .unwrap();
        let error = Templates::load(Some(dir.path())).err().unwrap().to_string();
        assert!(error.contains("offer.txt line 3"), "{error}");
        assert!(error.contains("flat_address"), "{error}");
    }

    #[test]
    fn a_council_template_replaces_the_built_in_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("offer.txt"), "Hello {{lead_name}}").unwrap();
        let templates = Templates::load(Some(dir.path())).unwrap();
        let values = HashMap::from([("lead_name", "Ada".to_owned())]);
        assert_eq!(templates.render("offer.txt", &values), "Hello Ada");
    }
}
