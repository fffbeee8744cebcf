//! Changes of a household's circumstances: reported, every bad field named, and shown back.

use chrono::NaiveDate;
use housing_platform::errors::FieldViolations;
use housing_platform::time::timestamp;
use housing_proto::register::v1 as pb;
use tonic::Status;
use uuid::Uuid;

use super::picture;
use crate::app::applications::Submission;
use crate::db::changes::ChangeRecord;
use crate::domain::changes::Change;
use crate::domain::scheme::Scheme;

/// The household and details of an application as they now are, and how the council heard.
pub struct ReportChange {
    pub application_id: Uuid,
    pub now_is: Submission,
    pub note: String,
}

/// The change as a request gives it, checked as a new application's household and details
/// are: against `scheme`, with ages on `today`.
pub fn report_change(
    r: &pb::ReportChangeOfCircumstancesRequest,
    scheme: &Scheme,
    today: NaiveDate,
) -> Result<ReportChange, Status> {
    let mut v = FieldViolations::new();
    let application_id = v.uuid("application_id", &r.application_id);
    let now_is = picture(
        r.lead_applicant.as_ref(),
        &r.members,
        r.details.as_ref(),
        scheme,
        today,
        &mut v,
    );
    v.require("note", &r.note, "how the council heard of the change");
    let Some(application_id) = application_id else {
        return Err(v.into_status());
    };
    v.into_result(ReportChange {
        application_id,
        now_is,
        note: r.note.trim().to_owned(),
    })
}

pub fn changes_proto(changes: &[Change]) -> Vec<pb::FieldChange> {
    changes
        .iter()
        .map(|c| pb::FieldChange {
            field: c.field.clone(),
            before: c.before.clone(),
            after: c.after.clone(),
        })
        .collect()
}

pub fn change_record_proto(r: &ChangeRecord) -> pb::ChangeRecord {
    pb::ChangeRecord {
        changes: changes_proto(&r.changes),
        note: r.note.clone(),
        changed_by: r.changed_by.clone(),
        changed_at: Some(timestamp(r.changed_at)),
    }
}
