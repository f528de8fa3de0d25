//! Draws a [`ReportContent`] as a printable A4 PDF with the agency's
//! colour and name at the top. Text is set in Noto Sans (SIL Open Font
//! License, `app/assets/fonts/OFL.txt`), built into the binary and
//! subset into each PDF: the PDF standard fonts cover only Windows-1252,
//! and names in Polish, Czech, Turkish, Vietnamese or Cyrillic came out
//! as `?`. CPU-bound: callers run it on a blocking thread.

use std::sync::LazyLock;

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use crate::error::AppError;
use crate::reports::{ReportContent, Section};

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 18.0;
const BOTTOM: f32 = 20.0;
const BODY_PT: f32 = 9.5;
/// Line height of body text, in mm.
const LINE: f32 = 4.6;
/// Average Helvetica glyph width as a share of the font size; wrapping
/// uses it to estimate how many characters fit a column.
const GLYPH: f32 = 0.52;
const PT_PER_MM: f32 = 2.8346;

static REGULAR: LazyLock<Option<ParsedFont>> = LazyLock::new(|| {
    ParsedFont::from_bytes(
        include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
        0,
        &mut Vec::new(),
    )
});
static BOLD: LazyLock<Option<ParsedFont>> = LazyLock::new(|| {
    ParsedFont::from_bytes(
        include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"),
        0,
        &mut Vec::new(),
    )
});

/// The two weights the report uses.
#[derive(Clone, Copy)]
enum Face {
    Regular,
    Bold,
}

/// The fonts as added to one document.
struct Fonts {
    regular: FontId,
    bold: FontId,
}

impl Fonts {
    fn add(doc: &mut PdfDocument) -> Result<Fonts, AppError> {
        let (Some(regular), Some(bold)) = (REGULAR.as_ref(), BOLD.as_ref()) else {
            tracing::error!("the report font could not be read");
            return Err(AppError::Internal);
        };
        Ok(Fonts {
            regular: doc.add_font(regular),
            bold: doc.add_font(bold),
        })
    }

    fn handle(&self, face: Face) -> PdfFontHandle {
        PdfFontHandle::External(match face {
            Face::Regular => self.regular.clone(),
            Face::Bold => self.bold.clone(),
        })
    }
}

fn colour(hex: &str) -> Color {
    let [r, g, b] = crate::ui::rgb(hex.trim()).unwrap_or([0x1f, 0x4f, 0x78]);
    let c = |v: u8| f32::from(v) / 255.0;
    Color::Rgb(Rgb::new(c(r), c(g), c(b), None))
}

fn black() -> Color {
    Color::Rgb(Rgb::new(0.0, 0.0, 0.0, None))
}

fn grey() -> Color {
    Color::Rgb(Rgb::new(0.35, 0.35, 0.35, None))
}

/// Splits `text` into lines of at most `chars` characters, at spaces where
/// it can; newlines in the text are kept.
fn wrap(text: &str, chars: usize) -> Vec<String> {
    let chars = chars.max(4);
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let mut word: String = word.to_string();
            // A word longer than the column is cut.
            while word.chars().count() > chars {
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                let head: String = word.chars().take(chars).collect();
                word = word.chars().skip(chars).collect();
                out.push(head);
            }
            let len = line.chars().count();
            if len > 0 && len + 1 + word.chars().count() > chars {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn chars_for(width_mm: f32, size_pt: f32) -> usize {
    (width_mm * PT_PER_MM / (size_pt * GLYPH)).floor() as usize
}

/// Pages being filled top to bottom.
struct Writer {
    pages: Vec<Vec<Op>>,
    y: f32,
    footer: String,
    fonts: Fonts,
}

impl Writer {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, s: &str, x: f32, y: f32, face: Face, size: f32, fill: Color) {
        let font = self.fonts.handle(face);
        self.ops().extend([
            Op::SetFillColor { col: fill },
            Op::StartTextSection,
            Op::SetFont {
                font,
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(x), Mm(y)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    fn rule(&mut self, y: f32) {
        self.ops().extend([
            Op::SetOutlineColor { col: grey() },
            Op::SetOutlineThickness { pt: Pt(0.4) },
            Op::DrawLine {
                line: Line {
                    is_closed: false,
                    points: vec![
                        LinePoint {
                            p: Point::new(Mm(MARGIN), Mm(y)),
                            bezier: false,
                        },
                        LinePoint {
                            p: Point::new(Mm(PAGE_W - MARGIN), Mm(y)),
                            bezier: false,
                        },
                    ],
                },
            },
        ]);
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = PAGE_H - MARGIN;
    }

    /// Makes room for `height` mm, starting a page when it does not fit.
    fn room(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    fn finish(mut self) -> Vec<PdfPage> {
        let total = self.pages.len();
        let footer = self.footer.clone();
        let font = self.fonts.handle(Face::Regular);
        for n in 0..total {
            let label = format!("{footer} · Page {} of {total}", n + 1);
            let ops = &mut self.pages[n];
            ops.extend([
                Op::SetFillColor { col: grey() },
                Op::StartTextSection,
                Op::SetFont {
                    font: font.clone(),
                    size: Pt(7.5),
                },
                Op::SetTextCursor {
                    pos: Point::new(Mm(MARGIN), Mm(10.0)),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(label)],
                },
                Op::EndTextSection,
            ]);
        }
        self.pages
            .into_iter()
            .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
            .collect()
    }
}

/// Column widths in mm: wider for longer content, within the text width.
fn widths(s: &Section) -> Vec<f32> {
    let n = s.columns.len().max(1);
    let weight = |i: usize| {
        let longest = s
            .rows
            .iter()
            .filter_map(|r| r.get(i))
            .map(|c| c.chars().count())
            .chain(std::iter::once(s.columns[i].chars().count()))
            .max()
            .unwrap_or(1);
        longest.clamp(6, 70) as f32
    };
    let weights: Vec<f32> = (0..n).map(weight).collect();
    let total: f32 = weights.iter().sum();
    weights
        .into_iter()
        .map(|w| w / total * (PAGE_W - 2.0 * MARGIN))
        .collect()
}

fn table(w: &mut Writer, s: &Section) {
    w.room(16.0);
    w.y -= 7.0;
    w.text(&s.heading, MARGIN, w.y, Face::Bold, 12.5, black());
    w.y -= 3.0;
    if s.rows.is_empty() {
        w.y -= LINE;
        w.text(&s.empty, MARGIN, w.y, Face::Regular, BODY_PT, grey());
        w.y -= 2.0;
        return;
    }
    let cols = widths(s);
    let header = |w: &mut Writer| {
        w.y -= LINE;
        let mut x = MARGIN;
        for (c, width) in s.columns.iter().zip(&cols) {
            w.text(c, x, w.y, Face::Bold, BODY_PT, black());
            x += width;
        }
        w.y -= 1.6;
        w.rule(w.y);
    };
    header(w);
    for row in &s.rows {
        let cells: Vec<Vec<String>> = row
            .iter()
            .zip(&cols)
            .map(|(cell, width)| wrap(cell, chars_for(width - 2.0, BODY_PT)))
            .collect();
        let lines = cells.iter().map(Vec::len).max().unwrap_or(1);
        let height = lines as f32 * LINE + 1.6;
        if w.y - height < BOTTOM {
            w.new_page();
            header(w);
        }
        let top = w.y;
        let mut x = MARGIN;
        for (cell, width) in cells.iter().zip(&cols) {
            for (i, text) in cell.iter().enumerate() {
                w.text(
                    text,
                    x,
                    top - LINE * (i as f32 + 1.0),
                    Face::Regular,
                    BODY_PT,
                    black(),
                );
            }
            x += width;
        }
        w.y = top - height;
        w.rule(w.y);
    }
    w.y -= 2.0;
}

/// The report as PDF bytes.
pub fn render(r: &ReportContent) -> Result<Vec<u8>, AppError> {
    let title = format!("{} — {}", r.kind.label(), r.client_name);
    let mut doc = PdfDocument::new(&title);
    let mut w = Writer {
        pages: vec![Vec::new()],
        y: PAGE_H,
        footer: format!("{} · Confidential: contains health information", r.agency),
        fonts: Fonts::add(&mut doc)?,
    };
    // The agency's colour as a band across the top, its name on it.
    w.ops().extend([
        Op::SetFillColor {
            col: colour(&r.brand_colour),
        },
        Op::DrawRectangle {
            // Without a paint mode the rectangle is not drawn at all.
            rectangle: Rect {
                mode: Some(PaintMode::Fill),
                ..Rect::from_xywh(
                    Mm(0.0).into(),
                    Mm(PAGE_H - 22.0).into(),
                    Mm(PAGE_W).into(),
                    Mm(22.0).into(),
                )
            },
        },
    ]);
    // Black or white, whichever reads better on the agency's colour.
    let ink = if crate::ui::dark_text_on(&r.brand_colour) {
        black()
    } else {
        Color::Rgb(Rgb::new(1.0, 1.0, 1.0, None))
    };
    w.text(&r.agency, MARGIN, PAGE_H - 14.0, Face::Bold, 16.0, ink);
    w.y = PAGE_H - 34.0;
    w.text(r.kind.label(), MARGIN, w.y, Face::Bold, 20.0, black());
    w.y -= 8.0;
    w.text(
        &format!("Client: {}", r.client_name),
        MARGIN,
        w.y,
        Face::Regular,
        11.0,
        black(),
    );
    w.y -= 5.5;
    w.text(
        &format!("Period: {} to {}", r.from, r.to),
        MARGIN,
        w.y,
        Face::Regular,
        11.0,
        black(),
    );
    w.y -= 5.5;
    let made = match &r.prepared_for {
        Some(name) => format!("Prepared for {name} on {}. {}", r.generated_at, r.zone),
        None => format!("Made on {}. {}", r.generated_at, r.zone),
    };
    w.text(&made, MARGIN, w.y, Face::Regular, 9.0, grey());
    w.y -= 4.0;
    for s in &r.sections {
        table(&mut w, s);
    }
    let pages = w.finish();
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    if !warnings.is_empty() {
        tracing::debug!(count = warnings.len(), "PDF drawn with warnings");
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::ReportKind;
    use printpdf::PdfParseOptions;

    fn report(rows: usize) -> ReportContent {
        ReportContent {
            kind: ReportKind::ServiceNotes,
            agency: "Harbour Care".into(),
            brand_colour: "#0b6e4f".into(),
            client_name: "Zoë Castellanos".into(),
            from: "2026-10-01".into(),
            to: "2026-10-31".into(),
            generated_at: "1 Nov 2026, 06:00 CDT".into(),
            zone: "Times are in America/Chicago (CDT).".into(),
            prepared_for: Some("Erin Case".into()),
            sections: vec![Section {
                heading: "Service notes".into(),
                columns: vec!["Written".into(), "Note".into()],
                rows: (0..rows)
                    .map(|i| {
                        vec![
                            format!("2026-10-{:02}", i % 28 + 1),
                            format!("Visit {i}: walked to the shop and back, in good spirits."),
                        ]
                    })
                    .collect(),
                empty: "None.".into(),
            }],
        }
    }

    fn text_of(bytes: &[u8]) -> (usize, String) {
        let doc = PdfDocument::parse(bytes, &PdfParseOptions::default(), &mut Vec::new())
            .expect("a PDF printpdf can read back");
        (doc.pages.len(), doc.extract_text().concat().join(" "))
    }

    #[test]
    fn the_pdf_names_the_client_and_holds_every_row_across_pages() {
        let bytes = render(&report(120)).expect("drawn");
        assert!(bytes.starts_with(b"%PDF-"));
        let (pages, text) = text_of(&bytes);
        assert!(pages > 1, "120 rows need more than one page");
        assert!(text.contains("Client: Zoë Castellanos"), "{text}");
        assert!(text.contains("Prepared for Erin Case"));
        for i in [0, 57, 119] {
            assert!(text.contains(&format!("Visit {i}:")), "row {i} missing");
        }
        assert!(text.contains(&format!("Page {pages} of {pages}")));
    }

    #[test]
    fn names_in_any_european_script_print_as_written() {
        let mut r = report(2);
        r.client_name = "Łucja Dvořák Şükrü Nguyễn Thị Ánh Ольга".into();
        r.agency = "Agência Ñandú".into();
        let (_, text) = text_of(&render(&r).expect("renders"));
        assert!(
            text.contains("Łucja Dvořák Şükrü Nguyễn Thị Ánh Ольга"),
            "{text}"
        );
        assert!(text.contains("Agência Ñandú"), "{text}");
        assert!(!text.contains('?'), "{text}");
    }

    #[test]
    fn an_empty_section_says_so() {
        let (_, text) = text_of(&render(&report(0)).expect("drawn"));
        assert!(text.contains("None."));
    }

    #[test]
    fn wrapping_keeps_words_whole_and_cuts_only_overlong_ones() {
        assert_eq!(wrap("a bb ccc dddd", 6), vec!["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one\ntwo", 20), vec!["one", "two"]);
        assert_eq!(wrap("", 20), vec![String::new()]);
    }
}
