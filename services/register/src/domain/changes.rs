//! What changed between two versions of an application, field by field, so a change of
//! circumstances records exactly what the applicant reported.

use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Every leaf that differs, named by its path (`details.circumstances.homeless`,
/// `household.members[2]`). Lists of different length are one change of the whole list.
pub fn diff(path: &str, before: &Value, after: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    walk(path, before, after, &mut changes);
    changes
}

fn walk(path: &str, before: &Value, after: &Value, changes: &mut Vec<Change>) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let null = Value::Null;
                walk(
                    &format!("{path}.{key}"),
                    b.get(key).unwrap_or(&null),
                    a.get(key).unwrap_or(&null),
                    changes,
                );
            }
        }
        (Value::Array(b), Value::Array(a)) if b.len() == a.len() => {
            for (i, (b, a)) in b.iter().zip(a).enumerate() {
                walk(&format!("{path}[{i}]"), b, a, changes);
            }
        }
        (b, a) if b != a => changes.push(Change {
            field: path.to_owned(),
            before: b.to_string(),
            after: a.to_string(),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_each_changed_leaf() {
        let before = json!({"circumstances": {"homeless": false, "current_bedrooms": 2}, "areas": ["north"]});
        let after =
            json!({"circumstances": {"homeless": true, "current_bedrooms": 2}, "areas": ["south"]});
        let changes = diff("details", &before, &after);
        assert_eq!(
            changes,
            vec![
                Change {
                    field: "details.areas[0]".into(),
                    before: "\"north\"".into(),
                    after: "\"south\"".into()
                },
                Change {
                    field: "details.circumstances.homeless".into(),
                    before: "false".into(),
                    after: "true".into()
                },
            ]
        );
    }

    #[test]
    fn a_new_member_is_one_change_of_the_list() {
        let changes = diff("household.members", &json!([1]), &json!([1, 2]));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "household.members");
    }
}
