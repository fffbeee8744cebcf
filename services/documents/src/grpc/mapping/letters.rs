//! Letters sent about an application: listed, and shown back.

use chrono::{DateTime, Utc};
use housing_platform::errors::FieldViolations;
use housing_platform::paging;
use housing_platform::time::timestamp;
use housing_proto::documents::v1 as pb;
use uuid::Uuid;

use super::{MAX_PAGE_SIZE, PAGE_SIZE, optional_id, page_after};
use crate::app::letters::letter_kind_proto;
use crate::db::letters::LetterRecord;
use crate::domain::letters::LetterKind;

/// A page of the letters sent about an application.
pub struct ListLetters {
    pub application_id: Uuid,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: i64,
}

impl TryFrom<pb::ListLettersRequest> for ListLetters {
    type Error = tonic::Status;

    fn try_from(r: pb::ListLettersRequest) -> Result<Self, tonic::Status> {
        let mut v = FieldViolations::new();
        let application_id = v.uuid("application_id", &r.application_id);
        let after = page_after(&r.page_token, &mut v);
        let Some(application_id) = application_id else {
            return Err(v.into_status());
        };
        v.into_result(ListLetters {
            application_id,
            after,
            limit: paging::size(r.page_size, PAGE_SIZE, MAX_PAGE_SIZE),
        })
    }
}

pub fn letter(l: &LetterRecord) -> pb::Letter {
    pb::Letter {
        letter_id: l.id.to_string(),
        kind: LetterKind::parse(&l.kind)
            .map(letter_kind_proto)
            .unwrap_or(pb::LetterKind::Unspecified) as i32,
        subject_id: l.subject_id.clone(),
        application_id: optional_id(l.application_id),
        content_type: l.content_type.clone(),
        size_bytes: l.size_bytes,
        sha256: l.sha256.clone(),
        created_at: Some(timestamp(l.created_at)),
    }
}

#[cfg(test)]
mod tests {
    use housing_platform::errors::bad_request_fields;

    use super::*;

    #[test]
    fn every_bad_field_of_a_list_of_letters_is_named_at_once() {
        let letters = ListLetters::try_from(pb::ListLettersRequest {
            application_id: "nope".into(),
            page_token: "%%".into(),
            ..Default::default()
        });
        assert_eq!(
            bad_request_fields(&letters.err().unwrap()),
            ["application_id", "page_token"]
        );
    }
}
