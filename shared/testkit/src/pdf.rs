//! A PDF's text as a reader gets it: Poppler's `pdftotext`, which the test command installs.
//! Letters set their text in embedded CID fonts, so nothing short of a real PDF reader can
//! read them back.

use std::io::Write;
use std::process::{Command, Stdio};

pub fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext runs (Debian's poppler-utils; ./deploy/local/test.sh installs it)");
    child
        .stdin
        .take()
        .expect("pdftotext's input")
        .write_all(pdf)
        .expect("the PDF is written to pdftotext");
    let output = child.wait_with_output().expect("pdftotext finishes");
    assert!(output.status.success(), "pdftotext reads the PDF");
    let text = String::from_utf8(output.stdout).expect("pdftotext writes UTF-8");
    // Poppler brackets right-to-left text with embedding controls for display; they are not
    // in the letter.
    text.replace(['\u{202A}', '\u{202B}', '\u{202C}'], "")
}
