//! Renders a letter's text to a real PDF: A4 pages, Helvetica, text that can be extracted
//! (pdftotext) and read aloud by screen readers.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 64.0;
const FONT_SIZE: f32 = 11.0;
const LEADING: f32 = 15.0;
const LINES_PER_PAGE: usize = ((PAGE_HEIGHT - 2.0 * MARGIN) / LEADING) as usize;
/// Helvetica at 11pt fits about this many characters in the text width.
const WRAP_AT: usize = 88;

pub fn render(title: &str, text: &str) -> Vec<u8> {
    let lines: Vec<Vec<u8>> = text
        .lines()
        .flat_map(|l| wrap(l, WRAP_AT))
        .map(|l| win_ansi(&l))
        .collect();
    let pages: Vec<&[Vec<u8>]> = if lines.is_empty() {
        vec![&[][..]]
    } else {
        lines.chunks(LINES_PER_PAGE).collect()
    };

    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let info = Ref::new(4);
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(5 + 2 * i as i32))
        .collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(pdf_writer::TextStr(title))
        .producer(pdf_writer::TextStr("housing documents service"));

    for (i, page_lines) in pages.iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_id);
        page.resources().fonts().pair(Name(b"F1"), font);
        page.finish();

        let mut content = Content::new();
        content.begin_text();
        content.set_font(Name(b"F1"), FONT_SIZE);
        content.set_leading(LEADING);
        content.next_line(MARGIN, PAGE_HEIGHT - MARGIN);
        for line in page_lines.iter() {
            content.show(Str(line));
            content.next_line_using_leading();
        }
        content.end_text();
        pdf.stream(content_id, &content.finish());
    }
    pdf.finish()
}

fn wrap(line: &str, width: usize) -> Vec<String> {
    if line.chars().count() <= width {
        return vec![line.to_owned()];
    }
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut out = Vec::new();
    let mut current = indent.clone();
    for word in line.split_whitespace() {
        if current.trim().is_empty() {
            current.push_str(word);
        } else if current.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::replace(&mut current, format!("{indent}{word}")));
        } else {
            current.push(' ');
            current.push_str(word);
        }
    }
    out.push(current);
    out
}

/// Latin-1 characters map to themselves in WinAnsi; a few others have their own codes.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '€' => 0x80,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 0x100 => c as u8,
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_pdf_with_the_text_in_it() {
        let pdf = render("Test", "Dear Ada,\nYour charge is £210.00 a week.");
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.windows(9).any(|w| w == b"Dear Ada,"));
        // A line with a byte outside ASCII is written as a hex string, £ as A3.
        let hex: String = win_ansi("Your charge is £210.00 a week.")
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        let text = String::from_utf8_lossy(&pdf).to_uppercase();
        assert!(text.contains(&hex), "the pound sign line is in the PDF");
    }

    #[test]
    fn long_lines_wrap_and_long_letters_take_more_pages() {
        assert!(wrap(&"word ".repeat(40), 88).len() > 1);
        let long = "line\n".repeat(200);
        let pdf = render("Long", &long);
        // 200 lines at 47 a page.
        assert!(pdf.windows(8).any(|w| w == b"/Count 5"));
    }
}
