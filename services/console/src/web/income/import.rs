//! Importing a payment file from the bank or the benefits service: the file is uploaded,
//! the rent service posts what it can match, and the officer gets a report line by line.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use housing_platform::words::count;
use housing_proto::rent::v1 as pb;

use super::INCOME;
use super::payment::{METHODS, method_from_value};
use crate::session::Officer;
use crate::web::{FieldError, Page, PageError, Section, refusal, render, upload};

const PATH: &str = "/income/import";

/// The largest payment file taken (axum's limit on a request body): a council's daily bank
/// file is a few hundred lines, some tens of kilobytes.
const MAX_FILE_MB: usize = 2;

/// What the import did, in words.
struct Report {
    heading: String,
    file_name: String,
    posted: String,
    already_posted: String,
    unmatched_count: String,
    unmatched: Vec<(i32, String)>,
}

impl Report {
    fn new(file_name: String, answer: pb::ImportPaymentsResponse) -> Self {
        let lines = |n: usize| count(n as i64, "line");
        Self {
            heading: format!(
                "{} posted",
                count(answer.posted_lines.len() as i64, "payment")
            ),
            file_name,
            posted: lines(answer.posted_lines.len()),
            already_posted: lines(answer.already_posted_lines.len()),
            unmatched_count: lines(answer.unmatched.len()),
            unmatched: answer
                .unmatched
                .into_iter()
                .map(|p| (p.line, crate::web::sentence(&p.message)))
                .collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "income/import.html")]
struct ImportPage<'a> {
    page: Page<'a>,
    method: String,
    methods: Vec<(&'static str, &'static str)>,
    csrf_token: &'a str,
    errors: Vec<FieldError>,
    report: Option<Report>,
}

impl ImportPage<'_> {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::web::error_for(&self.errors, field)
    }

    /// Every problem with the file: one for each bad line.
    fn file_errors(&self) -> impl Iterator<Item = &str> {
        self.errors
            .iter()
            .filter(|e| e.field.as_deref() == Some("payment_file"))
            .map(|e| e.message.as_str())
    }
}

fn page(
    officer: &Officer,
    method: String,
    errors: Vec<FieldError>,
    report: Option<Report>,
) -> Response {
    let title = if report.is_some() {
        "Payment file imported"
    } else {
        "Import a payment file"
    };
    let mut page = Page::new(title, Some(officer), Section::Income);
    page.error_count = errors.len();
    render(&ImportPage {
        page,
        method,
        methods: METHODS.iter().map(|(_, v, t)| (*v, *t)).collect(),
        csrf_token: &officer.csrf_token,
        errors,
        report,
    })
}

pub async fn import_form(officer: Officer) -> Result<Response, PageError> {
    officer.require(INCOME)?;
    Ok(page(&officer, String::new(), Vec::new(), None))
}

pub async fn import_payments(
    State(state): State<crate::web::State>,
    officer: Officer,
    form: Multipart,
) -> Result<Response, PageError> {
    let mut upload = upload::read(form, "payment_file").await;
    officer.check_form(upload.field("csrf_token"))?;
    officer.require(INCOME)?;
    let mut errors = Vec::new();
    if upload.too_large {
        errors.push(FieldError::on(
            "payment_file",
            format!("The selected file must be smaller than {MAX_FILE_MB}MB"),
        ));
    } else if upload.file.bytes.is_empty() {
        errors.push(FieldError::on("payment_file", "Select a payment file"));
    }
    let method = method_from_value(upload.field("method"));
    if method.is_none() {
        errors.push(FieldError::on(
            "method",
            "Select how the payments were made",
        ));
    }
    let Some(method) = method.filter(|_| errors.is_empty()) else {
        return Ok(page(
            &officer,
            upload.field("method").to_owned(),
            errors,
            None,
        ));
    };
    let answer = state
        .rent(&officer, PATH)
        .await?
        .import_payments(pb::ImportPaymentsRequest {
            content: std::mem::take(&mut upload.file.bytes),
            method: method as i32,
        })
        .await;
    match answer {
        Ok(answer) => {
            let method = upload.field("method").to_owned();
            let report = Report::new(upload.file.name, answer.into_inner());
            Ok(page(&officer, method, Vec::new(), Some(report)))
        }
        Err(status) => {
            // Each bad line is a field `content.line[N]`: shown against the file input.
            let errors = refusal(status, PATH)?
                .into_iter()
                .map(|e| match e.field.as_deref().and_then(line_of) {
                    Some(line) => FieldError::on(
                        "payment_file",
                        format!("Line {line}: {}", crate::format::lower_first(&e.message)),
                    ),
                    None if e.field.as_deref().is_some_and(|f| f.starts_with("content")) => {
                        FieldError::on("payment_file", e.message)
                    }
                    None => e,
                })
                .collect();
            Ok(page(
                &officer,
                upload.field("method").to_owned(),
                errors,
                None,
            ))
        }
    }
}

/// The line number of a field `content-line[N]`.
fn line_of(field: &str) -> Option<u32> {
    field
        .strip_prefix("content-line[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_line_is_found_by_its_number() {
        assert_eq!(line_of("content-line[12]"), Some(12));
        assert_eq!(line_of("content"), None);
        assert_eq!(line_of("content-line[x]"), None);
    }
}
