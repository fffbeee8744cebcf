//! Officers by name. The services record who decided by the subject of the officer's token;
//! the console knows each officer's name from their sign-ins, and shows the subject only
//! for someone who has never signed in to it (a partner's or another system's caller).

use std::collections::HashMap;

use super::{PageError, State};
use crate::session::Officer;

pub struct People {
    you: String,
    your_name: String,
    names: HashMap<String, String>,
}

impl People {
    /// The names of everyone in `subjects`, for a page the signed-in `officer` reads.
    pub async fn of<'a>(
        state: &State,
        officer: &Officer,
        subjects: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, PageError> {
        let mut wanted: Vec<String> = subjects
            .into_iter()
            .filter(|s| !s.is_empty() && *s != officer.subject)
            .map(str::to_owned)
            .collect();
        wanted.sort();
        wanted.dedup();
        let names = if wanted.is_empty() {
            HashMap::new()
        } else {
            state
                .sessions
                .names(&wanted)
                .await
                .map_err(|e| PageError::Unavailable(e.to_string()))?
        };
        Ok(Self {
            you: officer.subject.clone(),
            your_name: officer.name.clone(),
            names,
        })
    }

    /// Who `subject` is, to go in the middle of a sentence: "you (Alan Okafor)" for the
    /// officer reading, else the officer's name.
    pub fn who(&self, subject: &str) -> String {
        if subject == self.you {
            format!("you ({})", self.your_name)
        } else if let Some(name) = self.names.get(subject) {
            name.clone()
        } else {
            subject.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reader_is_you_a_known_officer_is_named_and_anyone_else_is_their_subject() {
        let people = People {
            you: "s-1".into(),
            your_name: "Alan Okafor".into(),
            names: HashMap::from([("s-2".to_owned(), "Sam Kowalski".to_owned())]),
        };
        assert_eq!(people.who("s-1"), "you (Alan Okafor)");
        assert_eq!(people.who("s-2"), "Sam Kowalski");
        assert_eq!(people.who("partner-x"), "partner-x");
    }
}
