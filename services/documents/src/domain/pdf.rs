//! Renders a letter's text to a PDF: A4 pages set in Noto Sans, so a resident's name prints
//! in the script it is written in (Zoë, Łukasz, Nguyễn, محمد, সুমন).
//!
//! Each line is split into runs by the first font that has its characters and shaped, so
//! Arabic letters join and Bengali conjuncts form; each font is embedded as a subset of the
//! glyphs the letter uses. The text stays extractable (pdftotext) and can be read aloud:
//! every glyph maps back to its characters, and a run whose glyphs do not map one to one, or
//! that runs right to left, carries its text in logical order as ActualText.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use rustybuzz::ttf_parser::GlyphId;
use rustybuzz::{BufferClusterLevel, Direction, Face, UnicodeBuffer};
use subsetter::GlyphRemapper;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 64.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const FONT_SIZE: f32 = 11.0;
const LEADING: f32 = 15.0;
const LINES_PER_PAGE: usize = ((PAGE_HEIGHT - 2.0 * MARGIN) / LEADING) as usize;

/// Noto Sans first (Latin, Greek, Cyrillic, Vietnamese and the punctuation letters use), then
/// the scripts most written by residents of English boroughs. Chinese, Japanese and Korean
/// are not here: their fonts are larger than the rest of the service together.
const FONTS: [(&str, &[u8]); 8] = [
    (
        "NotoSans-Regular",
        include_bytes!("../../fonts/NotoSans-Regular.ttf"),
    ),
    (
        "NotoSansArabic-Regular",
        include_bytes!("../../fonts/NotoSansArabic-Regular.ttf"),
    ),
    (
        "NotoSansBengali-Regular",
        include_bytes!("../../fonts/NotoSansBengali-Regular.ttf"),
    ),
    (
        "NotoSansDevanagari-Regular",
        include_bytes!("../../fonts/NotoSansDevanagari-Regular.ttf"),
    ),
    (
        "NotoSansGurmukhi-Regular",
        include_bytes!("../../fonts/NotoSansGurmukhi-Regular.ttf"),
    ),
    (
        "NotoSansGujarati-Regular",
        include_bytes!("../../fonts/NotoSansGujarati-Regular.ttf"),
    ),
    (
        "NotoSansTamil-Regular",
        include_bytes!("../../fonts/NotoSansTamil-Regular.ttf"),
    ),
    (
        "NotoSansHebrew-Regular",
        include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf"),
    ),
];

const IDENTITY: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

pub fn render(title: &str, text: &str) -> Vec<u8> {
    let mut fonts = Fonts::load();
    let wrapped: Vec<String> = text
        .lines()
        .flat_map(|line| wrap(line, |word| fonts.measure(word)))
        .collect();
    let lines: Vec<Vec<Run>> = wrapped.iter().map(|l| fonts.shape_line(l)).collect();
    let pages: Vec<&[Vec<Run>]> = if lines.is_empty() {
        vec![&[][..]]
    } else {
        lines.chunks(LINES_PER_PAGE).collect()
    };

    let mut refs = Ref::new(1);
    let catalog = refs.bump();
    let tree = refs.bump();
    let info = refs.bump();
    let font_ids: Vec<Option<Ref>> = fonts
        .used
        .iter()
        .map(|u| u.as_ref().map(|_| refs.bump()))
        .collect();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (refs.bump(), refs.bump())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(page, _)| *page))
        .count(pages.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("housing documents service"));
    for (i, id) in font_ids.iter().enumerate() {
        if let Some(id) = id {
            fonts.write_font(&mut pdf, i, *id, &mut refs);
        }
    }

    for (page_lines, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(*content_id);
        let mut resources = page.resources();
        let mut names = resources.fonts();
        for (i, id) in font_ids.iter().enumerate() {
            if let Some(id) = id {
                names.pair(Name(font_name(i).as_bytes()), *id);
            }
        }
        names.finish();
        resources.finish();
        page.finish();

        let mut content = Content::new();
        content.begin_text();
        for (n, runs) in page_lines.iter().enumerate() {
            let y = PAGE_HEIGHT - MARGIN - n as f32 * LEADING;
            content.set_text_matrix([1.0, 0.0, 0.0, 1.0, MARGIN, y]);
            for run in runs {
                fonts.show(&mut content, run);
            }
        }
        content.end_text();
        pdf.stream(*content_id, &content.finish());
    }
    pdf.finish()
}

fn units_per_em(face: &Face) -> f32 {
    face.units_per_em() as f32
}

fn font_name(index: usize) -> String {
    format!("F{index}")
}

/// One glyph as shaped: its CID in the font's subset and where it sits, in font units.
struct Glyph {
    cid: u16,
    advance: i32,
    x_offset: i32,
    y_offset: i32,
}

/// Consecutive characters set in one font, in visual order.
struct Run {
    font: usize,
    glyphs: Vec<Glyph>,
    /// The run's text when its glyphs alone would not read back as it.
    actual_text: Option<String>,
}

/// What a letter used of one font: the glyphs kept in its subset, their widths and the
/// characters each stands for.
struct Used {
    remapper: GlyphRemapper,
    widths: BTreeMap<u16, f32>,
    to_unicode: BTreeMap<u16, String>,
}

/// The fonts parsed once for the service's life: every letter reads the same tables.
static FACES: LazyLock<Vec<Face<'static>>> = LazyLock::new(|| {
    FONTS
        .iter()
        .map(|(name, data)| Face::from_slice(data, 0).unwrap_or_else(|| panic!("{name} is a font")))
        .collect()
});

struct Fonts {
    faces: &'static [Face<'static>],
    used: Vec<Option<Used>>,
}

impl Fonts {
    fn load() -> Self {
        Self {
            faces: &FACES,
            used: FACES.iter().map(|_| None).collect(),
        }
    }

    /// The font a character is set in: the first that has it.
    fn font_for(&self, c: char) -> Option<usize> {
        self.faces.iter().position(|f| f.glyph_index(c).is_some())
    }

    /// The width of a piece of text in points, near enough to wrap lines by.
    fn measure(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| {
                let face = &self.faces[self.font_for(c).unwrap_or(0)];
                let advance = face
                    .glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .unwrap_or(0);
                f32::from(advance) * FONT_SIZE / units_per_em(face)
            })
            .sum()
    }

    /// Splits a line into runs by font and shapes each. Marks and joiners stay with the
    /// character they belong to, and a space between two characters of one script stays in
    /// that script's run, so a right-to-left name of two words reads in the right order.
    fn shape_line(&mut self, line: &str) -> Vec<Run> {
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut spans: Vec<(usize, usize, usize)> = Vec::new();
        for (i, &(at, c)) in chars.iter().enumerate() {
            let current = spans.last().map(|s| s.0);
            let attached = c.general_category_group() == GeneralCategoryGroup::Mark
                || matches!(c, '\u{200C}' | '\u{200D}');
            let between = c == ' '
                && current.is_some_and(|f| {
                    f != 0
                        && self.faces[f].glyph_index(c).is_some()
                        && chars[i + 1..]
                            .iter()
                            .find(|(_, n)| *n != ' ')
                            .is_some_and(|(_, n)| self.font_for(*n) == Some(f))
                });
            let font = match current {
                Some(f) if attached || between => f,
                _ => self.font_for(c).unwrap_or(0),
            };
            match spans.last_mut() {
                Some((f, _, end)) if *f == font => *end = at + c.len_utf8(),
                _ => spans.push((font, at, at + c.len_utf8())),
            }
        }
        spans
            .into_iter()
            .map(|(font, start, end)| self.shape_run(font, &line[start..end]))
            .collect()
    }

    fn shape_run(&mut self, font: usize, text: &str) -> Run {
        let face = &self.faces[font];
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        // A cluster per character where the font allows, so a mark reads back on its own.
        buffer.set_cluster_level(BufferClusterLevel::MonotoneCharacters);
        buffer.guess_segment_properties();
        let right_to_left = buffer.direction() == Direction::RightToLeft;
        let shaped = rustybuzz::shape(face, &[], buffer);
        let infos = shaped.glyph_infos();

        // A cluster's characters run from its start to the next cluster's start.
        let mut starts: Vec<usize> = infos.iter().map(|g| g.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let cluster_text = |start: usize| {
            let end = starts
                .iter()
                .find(|s| **s > start)
                .copied()
                .unwrap_or(text.len());
            &text[start..end]
        };

        let scale = 1000.0 / units_per_em(face);
        let used = self.used[font].get_or_insert_with(|| Used {
            remapper: GlyphRemapper::new(),
            widths: BTreeMap::new(),
            to_unicode: BTreeMap::new(),
        });
        let mut reads_back = true;
        let mut seen_clusters = Vec::new();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (info, position) in infos.iter().zip(shaped.glyph_positions()) {
            // Glyph ids of one font fit 16 bits; an id past them would be no glyph at all.
            let gid = u16::try_from(info.glyph_id).unwrap_or(0);
            let cid = used.remapper.remap(gid);
            let width = face.glyph_hor_advance(GlyphId(gid)).unwrap_or(0);
            used.widths.insert(cid, f32::from(width) * scale);
            let start = info.cluster as usize;
            if seen_clusters.contains(&start) {
                // The second glyph of a cluster: its characters are the first glyph's.
                reads_back = false;
            } else {
                seen_clusters.push(start);
                let chars = cluster_text(start);
                let mapped = used
                    .to_unicode
                    .entry(cid)
                    .or_insert_with(|| chars.to_owned());
                reads_back &= mapped == chars;
            }
            glyphs.push(Glyph {
                cid,
                advance: position.x_advance - i32::from(width),
                x_offset: position.x_offset,
                y_offset: position.y_offset,
            });
        }
        Run {
            font,
            glyphs,
            actual_text: (!reads_back && !right_to_left).then(|| text.to_owned()),
        }
    }

    /// Shows a run: glyphs by CID, moved where shaping put them with `TJ` adjustments, marks
    /// raised or lowered with the text rise.
    fn show(&self, content: &mut Content, run: &Run) {
        let face = &self.faces[run.font];
        let units = units_per_em(face);
        content.set_font(Name(font_name(run.font).as_bytes()), FONT_SIZE);
        if let Some(text) = &run.actual_text {
            content
                .begin_marked_content_with_properties(Name(b"Span"))
                .properties()
                .actual_text(TextStr(text));
        }
        let mut rise = 0;
        let mut pending: Vec<(Vec<u8>, f32)> = Vec::new();
        let flush = |content: &mut Content, pending: &mut Vec<(Vec<u8>, f32)>| {
            if pending.is_empty() {
                return;
            }
            let mut op = content.show_positioned();
            let mut items = op.items();
            for (cids, after) in pending.drain(..) {
                if !cids.is_empty() {
                    items.show(Str(&cids));
                }
                if after != 0.0 {
                    items.adjust(after);
                }
            }
        };
        // TJ adjustments are thousandths of the font size, and move left when positive.
        let adjust = |font_units: i32| -(font_units as f32) * 1000.0 / units;
        for glyph in &run.glyphs {
            if glyph.y_offset != rise {
                flush(content, &mut pending);
                rise = glyph.y_offset;
                content.set_rise(rise as f32 * FONT_SIZE / units);
            }
            if glyph.x_offset != 0 {
                pending.push((Vec::new(), adjust(glyph.x_offset)));
            }
            pending.push((
                glyph.cid.to_be_bytes().to_vec(),
                adjust(glyph.advance - glyph.x_offset),
            ));
        }
        flush(content, &mut pending);
        if rise != 0 {
            content.set_rise(0.0);
        }
        if run.actual_text.is_some() {
            content.end_marked_content();
        }
    }

    /// Writes one font as a Type 0 font over a CID-keyed TrueType subset of the glyphs used.
    fn write_font(&self, pdf: &mut Pdf, index: usize, type0: Ref, refs: &mut Ref) {
        let Some(used) = &self.used[index] else {
            return;
        };
        let (name, data) = FONTS[index];
        let face = &self.faces[index];
        let scale = 1000.0 / units_per_em(face);
        let cid_font = refs.bump();
        let descriptor = refs.bump();
        let cmap = refs.bump();
        let file = refs.bump();
        let subset_name = format!("{}+{name}", subset_tag(&used.remapper));

        pdf.type0_font(type0)
            .base_font(Name(subset_name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_font)
            .to_unicode(cmap);
        let mut cid = pdf.cid_font(cid_font);
        cid.subtype(CidFontType::Type2)
            .base_font(Name(subset_name.as_bytes()))
            .system_info(IDENTITY)
            .font_descriptor(descriptor)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let mut widths = cid.widths();
        for (cid, width) in &used.widths {
            widths.consecutive(*cid, [*width]);
        }
        widths.finish();
        cid.finish();

        let bbox = face.global_bounding_box();
        pdf.font_descriptor(descriptor)
            .name(Name(subset_name.as_bytes()))
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * scale,
                f32::from(bbox.y_min) * scale,
                f32::from(bbox.x_max) * scale,
                f32::from(bbox.y_max) * scale,
            ))
            .italic_angle(0.0)
            .ascent(f32::from(face.ascender()) * scale)
            .descent(f32::from(face.descender()) * scale)
            .cap_height(f32::from(face.capital_height().unwrap_or(face.ascender())) * scale)
            .stem_v(80.0)
            .font_file2(file);

        let mut unicode = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
        for (cid, text) in &used.to_unicode {
            unicode.pair_with_multiple(*cid, text.chars());
        }
        pdf.cmap(cmap, &unicode.finish());

        // The fonts are ours and well formed; should subsetting ever fail, the whole font
        // is embedded rather than a letter left unsent.
        let program = subsetter::subset(data, 0, &used.remapper).unwrap_or_else(|_| data.to_vec());
        pdf.stream(file, &program)
            .pair(Name(b"Length1"), program.len() as i32);
    }
}

/// The six capital letters that name a subset, from the glyphs in it (ISO 32000 9.6.4).
fn subset_tag(remapper: &GlyphRemapper) -> String {
    let mut hash: u32 = 2_166_136_261;
    for gid in remapper.remapped_gids() {
        hash = (hash ^ u32::from(gid)).wrapping_mul(16_777_619);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}

/// Breaks a line at spaces so that no piece is wider than the text width, keeping the
/// line's indent on each piece.
fn wrap(line: &str, measure: impl Fn(&str) -> f32) -> Vec<String> {
    if measure(line) <= TEXT_WIDTH {
        return vec![line.to_owned()];
    }
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut out = Vec::new();
    let mut current = indent.clone();
    for word in line.split_whitespace() {
        if current.trim().is_empty() {
            current.push_str(word);
        } else if measure(&current) + measure(" ") + measure(word) > TEXT_WIDTH {
            out.push(std::mem::replace(&mut current, format!("{indent}{word}")));
        } else {
            current.push(' ');
            current.push_str(word);
        }
    }
    out.push(current);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_pdf_with_each_font_it_uses_embedded_once() {
        let pdf = render(
            "Test",
            "Dear Zoë,\nمحمد and সুমন, your charge is £210.00 a week.",
        );
        assert!(pdf.starts_with(b"%PDF-"));
        let raw = String::from_utf8_lossy(&pdf);
        assert_eq!(
            raw.matches("/FontFile2").count(),
            3,
            "Latin, Arabic, Bengali"
        );
        assert!(raw.contains("+NotoSansArabic-Regular"));
        assert_eq!(
            raw.matches("/ToUnicode").count(),
            3,
            "each glyph maps to its text"
        );
    }

    #[test]
    fn only_the_glyphs_used_are_embedded() {
        let pdf = render("Short", "Ada");
        assert!(
            pdf.len() < 20_000,
            "a subset, not the whole font: {} bytes",
            pdf.len()
        );
    }

    #[test]
    fn long_lines_wrap_and_long_letters_take_more_pages() {
        let fonts = Fonts::load();
        let lines = wrap(&"word ".repeat(40), |w| fonts.measure(w));
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| fonts.measure(l) <= TEXT_WIDTH));
        let long = "line\n".repeat(200);
        let pdf = render("Long", &long);
        // 200 lines at 47 a page.
        assert!(pdf.windows(8).any(|w| w == b"/Count 5"));
    }
}
