use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, Utc};
use housing_events::{OutgoingEvent, outbox};
use housing_platform::errors::AppError;
use housing_proto::accommodation::v1 as accommodation;
use housing_proto::documents::v1 as pb;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use super::blobs::Blobs;
use crate::db::{checklists, letters as store};
use crate::domain::{checklist, pdf, template::Template};

const PLACEMENT_FIELDS: &[&str] = &[
    "letter_date",
    "lead_name",
    "unit_address",
    "start_date",
    "weekly_charge",
    "review_deadline",
    "placement_id",
];

/// Days a household has to ask for a review of a homelessness decision (s.202).
const REVIEW_DAYS: u64 = 21;

pub struct Templates {
    placement: Template,
}

impl Templates {
    /// The built-in templates, or those in `dir` when set; every problem in every template
    /// is reported, with its line.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Self> {
        let text = match dir {
            Some(dir) => std::fs::read_to_string(dir.join("placement.txt"))?,
            None => include_str!("../../templates/placement.txt").to_owned(),
        };
        let placement = Template::parse(&text, PLACEMENT_FIELDS).map_err(|errors| {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| format!("placement.txt {e}"))
                .collect();
            anyhow::anyhow!("letter templates are not valid:\n  {}", lines.join("\n  "))
        })?;
        Ok(Self { placement })
    }
}

fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

fn pounds(pence: i64) -> String {
    format!("£{}.{:02}", pence / 100, pence % 100)
}

/// Writes the placement letter and opens the sign-up checklist for a new placement.
pub async fn placement_started(
    conn: &mut PgConnection,
    templates: &Templates,
    blobs: &Blobs,
    event_id: Uuid,
    started: &accommodation::PlacementStarted,
) -> Result<(), AppError> {
    let today = housing_platform::time::today();
    let start = housing_platform::time::parse_date(&started.start_date)
        .map_err(AppError::FailedPrecondition)?;
    let values = HashMap::from([
        ("letter_date", long_date(today)),
        ("lead_name", started.lead_name.clone()),
        ("unit_address", started.unit_address.clone()),
        ("start_date", long_date(start)),
        ("weekly_charge", pounds(started.weekly_rent_pence)),
        (
            "review_deadline",
            long_date(today + chrono::Days::new(REVIEW_DAYS)),
        ),
        ("placement_id", started.placement_id.clone()),
    ]);
    let text = templates.placement.render(&values);
    let bytes = pdf::render("Temporary accommodation placement", &text);

    // The path comes from the event, so a retried event overwrites rather than duplicates.
    let letter = store::LetterRecord {
        id: Uuid::now_v7(),
        kind: "placement".into(),
        subject_id: started.placement_id.clone(),
        application_id: Uuid::parse_str(&started.application_id).ok(),
        blob_path: format!("letters/{event_id}.pdf"),
        content_type: "application/pdf".into(),
        size_bytes: bytes.len() as i64,
        sha256: Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        created_at: Utc::now(),
    };
    blobs.put(&letter.blob_path, bytes).await?;
    if store::insert(conn, &letter, event_id).await? {
        let event = pb::LetterGenerated {
            letter_id: letter.id.to_string(),
            kind: pb::LetterKind::Placement as i32,
            subject_id: letter.subject_id.clone(),
            application_id: started.application_id.clone(),
        };
        outbox::enqueue(
            conn,
            &OutgoingEvent::new("housing.documents.letter.generated.v1", letter.id, &event),
        )
        .await?;
    }

    let items = checklist::items("ta_sign_up").expect("the sign-up checklist is defined");
    if let Some(id) = checklists::open(conn, "ta_sign_up", &started.placement_id, items).await? {
        let event = pb::ChecklistOpened {
            checklist_id: id.to_string(),
            kind: "ta_sign_up".into(),
            subject_id: started.placement_id.clone(),
            outstanding: items.iter().map(|(code, _)| code.to_string()).collect(),
        };
        outbox::enqueue(
            conn,
            &OutgoingEvent::new("housing.documents.checklist.opened.v1", id, &event),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_built_in_templates_load() {
        super::Templates::load(None).unwrap();
    }

    #[test]
    fn money_is_shown_in_pounds_and_pence() {
        assert_eq!(super::pounds(21_005), "£210.05");
    }
}
