//! Forms that carry a file (`multipart/form-data`): the text fields and the file, read in the
//! order the page sends them, so a form cut off at the size limit keeps what came before.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

/// The file a form carried.
#[derive(Default)]
pub struct File {
    pub name: String,
    /// What the browser says the file is.
    pub declared_type: Option<String>,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
pub struct Upload {
    fields: HashMap<String, String>,
    pub file: File,
    /// The form was cut off at the limit on a request's size.
    pub too_large: bool,
}

impl Upload {
    /// A text field's value, empty when the form did not send it.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// Reads the form; the part named `file_field` is the file, every other part text.
pub async fn read(mut form: Multipart, file_field: &str) -> Upload {
    let mut upload = Upload::default();
    let cut = |upload: &mut Upload, e: MultipartError| {
        upload.too_large = e.status() == StatusCode::PAYLOAD_TOO_LARGE;
        tracing::info!(error = %e, "a form with a file could not be read");
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                cut(&mut upload, e);
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let declared_type = field.content_type().map(str::to_owned);
        match field.bytes().await {
            Ok(bytes) if name == file_field => {
                upload.file = File {
                    name: file_name,
                    declared_type,
                    bytes: bytes.to_vec(),
                };
            }
            Ok(bytes) => {
                upload
                    .fields
                    .insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
            Err(e) => {
                cut(&mut upload, e);
                break;
            }
        }
    }
    upload
}
