//! The 公文 page layout of GB/T 9704-2012 (rules.md §8) for DOCX documents we hand to
//! people: A4, a 156×225 mm text block of 22 lines × 28 characters, 3号仿宋 body, a
//! 2号小标宋 title, heading fonts per level, "— 1 —" page numbers and the issuing
//! body with a date in Arabic numerals.
//!
//! Built with `docx-rs`; the only parts written by hand are the font table (see
//! [`FONT_TABLE`]) and the Normal style ([`NORMAL_STYLE`]), which the crate cannot
//! extend. The layout is checked as printed by LibreOffice in
//! `tests/printed_layout.rs` (docs/PRINTING.md), not only as XML.

use docx_rs::{
    AlignmentType, BreakType, DocGrid, DocGridType, Docx, Footer, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
};
use time::Date;

/// Twentieths of a point per millimetre (1 mm = 72/25.4 pt).
const TWIPS_PER_MM: f64 = 72.0 / 25.4 * 20.0;

const fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM + 0.5) as i32
}

/// A4 in twips (210 × 297 mm).
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
/// Top margin 37 mm (天头).
pub const MARGIN_TOP: i32 = mm(37.0);
/// Binding (left) margin 28 mm (订口).
pub const MARGIN_LEFT: i32 = mm(28.0);
/// Right margin 26 mm and bottom 35 mm, which leave the 156 × 225 mm text block.
pub const MARGIN_RIGHT: i32 = mm(26.0);
pub const MARGIN_BOTTOM: i32 = mm(35.0);
/// Lines per page and characters per line.
pub const LINES: i32 = 22;
pub const CHARS: i32 = 28;
/// Line pitch: 225 mm / 22 lines ≈ 28.95 pt, in twips (579). Used both as the
/// document grid and as an exact line spacing, so an editor that ignores the grid
/// still puts 22 lines on a page.
pub const LINE_PITCH: i32 = (PAGE_HEIGHT as i32 - MARGIN_TOP - MARGIN_BOTTOM) / LINES;
/// Character pitch in twips: 156 mm / 28 ≈ 15.79 pt.
pub const CHAR_PITCH: i32 = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) / CHARS;
/// `w:docGrid/@w:charSpace`: the character pitch minus the 16 pt default font size,
/// in 1/4096 pt (Word's unit), i.e. about −848.
pub const CHAR_SPACE: isize = (PAGE_WIDTH as isize - MARGIN_LEFT as isize - MARGIN_RIGHT as isize)
    * 4096
    / (20 * CHARS as isize)
    - 16 * 4096;
/// Font sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt.
pub const SIZE_2: usize = 44;
pub const SIZE_3: usize = 32;
pub const SIZE_4: usize = 28;
/// Horizontal scale of 3号 text, in percent (`w:w`). Word and WPS set 28 characters
/// on the grid pitch (15.79 pt) whatever the glyph width, but LibreOffice rounds
/// each Chinese character up to whole grid cells and ignores `w:spacing` under a
/// character grid: a 16 pt glyph took two cells and a line held 14 characters (18
/// before the Normal style had a size, see [`NORMAL_STYLE`]). At 97 % the glyph is
/// 15.52 pt: one cell in LibreOffice, inside Word's pitch, and still 28 to a line
/// in an editor that ignores the grid (156 mm / 15.52 pt = 28.5). Checked as
/// printed by `tests/printed_layout.rs` (docs/PRINTING.md).
pub const CHAR_SCALE: i32 = 97;
/// Distance from the page's bottom edge to the footer's bottom: the page number's
/// line (4号, 14 pt tall) starts 7 mm below the text block.
pub const FOOTER: i32 = mm(35.0 - 7.0) - 280;

/// The fonts a 公文 uses, named as government PCs have them installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    /// 仿宋_GB2312: body text and level 3 and 4 headings.
    FangSong,
    /// 方正小标宋简体: the title.
    XiaoBiaoSong,
    /// 黑体: level 1 headings (“一、”).
    HeiTi,
    /// 楷体_GB2312: level 2 headings (“（一）”).
    KaiTi,
    /// 宋体: page numbers.
    SongTi,
}

impl Font {
    /// The font's name as written in the document.
    pub const fn name(self) -> &'static str {
        match self {
            Font::FangSong => "仿宋_GB2312",
            Font::XiaoBiaoSong => "方正小标宋简体",
            Font::HeiTi => "黑体",
            Font::KaiTi => "楷体_GB2312",
            Font::SongTi => "宋体",
        }
    }

    /// Run fonts with every slot set to this font. Word picks a run's font by the
    /// character: `w:eastAsia` for Chinese, `w:ascii`/`w:hAnsi` for Latin letters and
    /// digits, `w:cs` for complex scripts. Setting only `ascii` (what many generators
    /// do) leaves Chinese in the reader's default (宋体/等线), so we set all four;
    /// digits then come out as the half-width forms of the same Chinese font, as in
    /// printed 公文. The hint makes Word treat ambiguous characters (—, “”, ·) as
    /// East Asian, so the em dashes of "— 1 —" are full width.
    pub fn run_fonts(self) -> RunFonts {
        let n = self.name();
        RunFonts::new()
            .east_asia(n)
            .ascii(n)
            .hi_ansi(n)
            .cs(n)
            .hint("eastAsia")
    }
}

/// The font table (`word/fontTable.xml`), written by hand because `docx-rs` always
/// writes a fixed one (Times New Roman, Symbol, Arial).
///
/// It is where fallbacks live: OOXML has no font list per run, but Word substitutes
/// a missing font with the entry's `w:altName` (checked against the charset, 86 =
/// GB2312), and WPS reads the same entries. Windows 10 and later no longer ship
/// 仿宋_GB2312 and 楷体_GB2312, and few machines have 方正小标宋简体, so we name the
/// system fonts 仿宋 (FangSong), 楷体 (KaiTi) and 宋体 (SimSun) as fallbacks.
pub const FONT_TABLE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font>"#,
    r#"<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#,
    r#"<w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="楷体"><w:altName w:val="KaiTi"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
    r#"</w:fonts>"#,
);

/// The Normal style as `docx-rs` writes it (no properties) and as we write it: 3号
/// 仿宋_GB2312. Word takes the size from the document defaults, but LibreOffice sizes
/// the character grid's cells from the Normal style alone and falls back to 12 pt,
/// which made every 16 pt character take two of its cells.
const EMPTY_NORMAL_STYLE: &str =
    r#"<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr />"#;
pub const NORMAL_STYLE: &str = concat!(
    r#"<w:style w:type="paragraph" w:styleId="Normal" w:default="1"><w:name w:val="Normal" /><w:rPr>"#,
    r#"<w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312" w:hint="eastAsia" />"#,
    r#"<w:sz w:val="32" /><w:szCs w:val="32" /></w:rPr>"#,
);

/// A date as a 公文 writes it: Arabic numerals, the year in full, no leading zeros
/// (2026年3月5日).
pub fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

/// Width of a text in characters: Chinese characters count one, ASCII half.
fn width(s: &str) -> i32 {
    let halves: i32 = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    (halves + 1) / 2
}

fn exact() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE_PITCH)
}

/// The text without characters XML 1.0 cannot hold (controls other than tab and line
/// breaks, U+FFFE, U+FFFF): one of them makes Word refuse the whole file. Input is
/// checked before it gets here; this is the last line of defence.
fn xml_text(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if text.chars().any(bad) {
        text.chars().filter(|c| !bad(*c)).collect::<String>().into()
    } else {
        text.into()
    }
}

fn run(text: &str, font: Font, size: usize) -> Run {
    let r = Run::new()
        .add_text(xml_text(text))
        .fonts(font.run_fonts())
        .size(size)
        .color("000000");
    // Only text on the 28-character grid is narrowed (see CHAR_SCALE).
    if size == SIZE_3 {
        r.stretch(CHAR_SCALE)
    } else {
        r
    }
}

fn page_number_footer(odd: bool) -> Footer {
    let mut p = Paragraph::new()
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(280),
        )
        .snap_to_grid(false)
        .add_run(run("— ", Font::SongTi, SIZE_4))
        .add_run(
            Run::new()
                .fonts(Font::SongTi.run_fonts())
                .size(SIZE_4)
                .add_field_char(docx_rs::FieldCharType::Begin, false)
                .add_instr_text(docx_rs::InstrText::PAGE(docx_rs::InstrPAGE::new()))
                .add_field_char(docx_rs::FieldCharType::Separate, false)
                .add_text("1")
                .add_field_char(docx_rs::FieldCharType::End, false),
        )
        .add_run(run(" —", Font::SongTi, SIZE_4));
    // Odd pages: right-aligned, one character in; even pages: left, one character in.
    p = if odd {
        p.align(AlignmentType::Right)
            .indent(None, None, Some(CHAR_PITCH), None)
    } else {
        p.align(AlignmentType::Left)
            .indent(Some(CHAR_PITCH), None, None, None)
    };
    Footer::new().add_paragraph(p)
}

/// A document in the 公文 layout, built paragraph by paragraph.
#[derive(Debug)]
pub struct Gongwen {
    docx: Docx,
}

impl Default for Gongwen {
    fn default() -> Self {
        Self::new()
    }
}

impl Gongwen {
    /// An empty A4 document with the GB/T 9704 page, grid, fonts and page numbers.
    pub fn new() -> Gongwen {
        let docx = Docx::new()
            .page_size(PAGE_WIDTH, PAGE_HEIGHT)
            .page_margin(
                PageMargin::new()
                    .top(MARGIN_TOP)
                    .bottom(MARGIN_BOTTOM)
                    .left(MARGIN_LEFT)
                    .right(MARGIN_RIGHT)
                    .header(mm(15.0))
                    .footer(FOOTER)
                    .gutter(0),
            )
            .default_fonts(Font::FangSong.run_fonts())
            .default_size(SIZE_3)
            .default_line_spacing(exact())
            .footer(page_number_footer(true))
            .even_footer(page_number_footer(false));
        let mut docx = docx;
        docx.document = docx.document.doc_grid(
            DocGrid::new()
                .grid_type(DocGridType::LinesAndChars)
                .line_pitch(LINE_PITCH as usize)
                .char_space(CHAR_SPACE),
        );
        Gongwen { docx }
    }

    fn push(mut self, p: Paragraph) -> Self {
        self.docx = self.docx.add_paragraph(p.line_spacing(exact()));
        self
    }

    /// The title: 2号小标宋, centred; `\n` breaks it into lines (break between words,
    /// in a trapezoid or diamond shape). Followed by one empty line.
    pub fn title(self, text: &str) -> Self {
        let mut r = Run::new()
            .fonts(Font::XiaoBiaoSong.run_fonts())
            .size(SIZE_2)
            .color("000000");
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                r = r.add_break(BreakType::TextWrapping);
            }
            r = r.add_text(xml_text(line));
        }
        // Off the character grid: a 22 pt character would take two cells (a wide
        // gap after each) and, in LibreOffice, two lines.
        self.push(
            Paragraph::new()
                .align(AlignmentType::Center)
                .snap_to_grid(false)
                .add_run(r),
        )
        .blank()
    }

    /// A line in 3号仿宋 without indent, centred (e.g. the document number under the title).
    pub fn centered(self, text: &str) -> Self {
        self.push(Paragraph::new().align(AlignmentType::Center).add_run(run(
            text,
            Font::FangSong,
            SIZE_3,
        )))
    }

    /// A line without indent (the addressee "张三：", a label).
    pub fn line(self, text: &str) -> Self {
        self.push(Paragraph::new().align(AlignmentType::Both).add_run(run(
            text,
            Font::FangSong,
            SIZE_3,
        )))
    }

    /// A body paragraph: 3号仿宋, justified, first line indented two characters.
    /// Line breaks in `text` start new paragraphs.
    pub fn para(mut self, text: &str) -> Self {
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            self = self.push(indented(line, Font::FangSong));
        }
        self
    }

    /// A heading of level 1 (“一、” 黑体), 2 (“（一）” 楷体), 3 (“1.” 仿宋) or
    /// 4 (“（1）” 仿宋), all 3号 and indented two characters like the body.
    pub fn heading(self, level: u8, text: &str) -> Self {
        let font = match level {
            1 => Font::HeiTi,
            2 => Font::KaiTi,
            _ => Font::FangSong,
        };
        self.push(indented(text, font).keep_next(true))
    }

    /// A signature line: the label, then an underlined blank to sign on, indented
    /// two characters.
    pub fn sign_line(self, label: &str, blank_chars: usize) -> Self {
        self.push(
            Paragraph::new()
                .indent(
                    None,
                    Some(SpecialIndentType::FirstLine(2 * CHAR_PITCH)),
                    None,
                    None,
                )
                .first_line_chars(200)
                .add_run(run(label, Font::FangSong, SIZE_3))
                .add_run(
                    run(&"\u{3000}".repeat(blank_chars), Font::FangSong, SIZE_3)
                        .underline("single"),
                ),
        )
    }

    /// An empty line.
    pub fn blank(self) -> Self {
        self.push(Paragraph::new().add_run(run("", Font::FangSong, SIZE_3)))
    }

    /// Text right-aligned, `chars` characters in from the right edge of the block.
    pub fn right(self, text: &str, chars: i32) -> Self {
        self.push(
            Paragraph::new()
                .align(AlignmentType::Right)
                .indent(None, None, Some(chars.max(0) * CHAR_PITCH), None)
                .add_run(run(text, Font::FangSong, SIZE_3)),
        )
    }

    /// The issuing body and the date (GB/T 9704 7.3.5.2, documents without a seal
    /// impression in the file): the date four characters in from the right, the body's
    /// name centred over it; a name longer than the date sits two characters in and
    /// the date starts two characters right of the name's first character.
    pub fn issuer_and_date(self, issuer: &str, date: Date) -> Self {
        let date = date_zh(date);
        let (iw, dw) = (width(issuer), width(&date));
        let (issuer_in, date_in) = if iw <= dw {
            (4 + (dw - iw) / 2, 4)
        } else {
            (2, (iw - dw).max(0))
        };
        self.right(issuer, issuer_in).right(&date, date_in)
    }

    /// A page break.
    pub fn page_break(self) -> Self {
        self.push(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)))
    }

    /// The DOCX bytes.
    pub fn to_bytes(self) -> Result<Vec<u8>, String> {
        let mut xml = self.docx.build();
        xml.font_table = FONT_TABLE.as_bytes().to_vec();
        let styles = String::from_utf8(xml.styles).map_err(|e| e.to_string())?;
        if !styles.contains(EMPTY_NORMAL_STYLE) {
            return Err("docx-rs no longer writes the Normal style we replace".into());
        }
        xml.styles = styles
            .replacen(EMPTY_NORMAL_STYLE, NORMAL_STYLE, 1)
            .into_bytes();
        let mut out = std::io::Cursor::new(Vec::new());
        xml.pack(&mut out).map_err(|e| e.to_string())?;
        Ok(out.into_inner())
    }
}

fn indented(text: &str, font: Font) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(2 * CHAR_PITCH)),
            None,
            None,
        )
        .first_line_chars(200)
        .add_run(run(text, font, SIZE_3))
}

/// Reads a part of a DOCX back, for tests.
#[cfg(test)]
pub(crate) fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .expect("the part")
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_block_is_156_by_225_mm_with_22_lines_of_28() {
        assert_eq!((MARGIN_TOP, MARGIN_LEFT), (2098, 1587));
        let block_w = PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT;
        let block_h = PAGE_HEIGHT as i32 - MARGIN_TOP - MARGIN_BOTTOM;
        assert!((f64::from(block_w) / TWIPS_PER_MM - 156.0).abs() < 0.1);
        assert!((f64::from(block_h) / TWIPS_PER_MM - 225.0).abs() < 0.1);
        assert_eq!(LINE_PITCH, 579, "≈ 28.95 pt");
        assert!(LINE_PITCH * LINES <= block_h);
        assert!(CHAR_PITCH * CHARS <= block_w);
        assert!((-860..=-840).contains(&CHAR_SPACE), "{CHAR_SPACE}");
        // A narrowed 3号 character fits the grid pitch, and 28 of them (not 29) the
        // line where a program ignores the grid.
        let glyph = 320 * CHAR_SCALE / 100;
        assert!(glyph < CHAR_PITCH && glyph * CHARS <= block_w && glyph * (CHARS + 1) > block_w);
    }

    #[test]
    fn dates_have_no_leading_zeros() {
        assert_eq!(date_zh(date!(2026 - 03 - 05)), "2026年3月5日");
        assert_eq!(date_zh(date!(2025 - 12 - 31)), "2025年12月31日");
    }

    #[test]
    fn the_docx_carries_page_grid_fonts_and_page_numbers() {
        let bytes = Gongwen::new()
            .title("关于测试的\n通知")
            .heading(1, "一、总体要求")
            .heading(2, "（一）工作目标")
            .para("正文第一段。\n正文第二段。")
            .issuer_and_date("青石镇人民政府", date!(2026 - 03 - 05))
            .to_bytes()
            .unwrap();
        let doc = part(&bytes, "word/document.xml");
        assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "{doc}");
        assert!(doc.contains(r#"w:top="2098""#) && doc.contains(r#"w:left="1587""#));
        assert!(doc.contains(r#"w:bottom="1984""#) && doc.contains(r#"w:right="1474""#));
        assert!(doc.contains(r#"<w:docGrid w:type="linesAndChars" w:linePitch="579""#));
        assert!(doc.contains(r#"w:line="579" w:lineRule="exact""#));
        assert!(doc.contains(r#"w:eastAsia="方正小标宋简体""#));
        assert!(doc.contains(r#"<w:sz w:val="44""#), "2号 title");
        assert!(
            doc.contains(r#"w:eastAsia="黑体""#) && doc.contains(r#"w:eastAsia="楷体_GB2312""#)
        );
        assert!(doc.contains("2026年3月5日"));
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains(r#"w:eastAsia="仿宋_GB2312""#), "{styles}");
        assert!(styles.contains(r#"<w:sz w:val="32""#), "3号 body");
        // LibreOffice sizes the grid's cells from the Normal style, not the defaults.
        assert!(styles.contains(NORMAL_STYLE), "{styles}");
        assert_eq!(styles.matches(r#"w:styleId="Normal""#).count(), 1);
        // 3号 runs are narrowed to fit one grid cell in LibreOffice; the 2号 title is
        // off the character grid.
        assert_eq!(
            doc.matches(r#"<w:w w:val="97" />"#).count(),
            doc.matches(r#"<w:sz w:val="32" />"#).count(),
            "{doc}"
        );
        assert!(doc.contains(r#"<w:snapToGrid w:val="false" />"#));
        let fonts = part(&bytes, "word/fontTable.xml");
        assert!(fonts.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
        let settings = part(&bytes, "word/settings.xml");
        assert!(settings.contains("evenAndOddHeaders"));
        let mut footers = String::new();
        for i in 1..=2 {
            footers += &part(&bytes, &format!("word/footer{i}.xml"));
        }
        assert!(
            footers.contains("PAGE") && footers.contains("— "),
            "{footers}"
        );
        assert!(
            footers.contains(r#"w:eastAsia="宋体""#) && footers.contains(r#"<w:sz w:val="28""#)
        );
        assert!(
            footers.contains(r#"<w:jc w:val="right""#) && footers.contains(r#"<w:jc w:val="left""#)
        );
        let text = fazhi_analyze::decode::docx_to_text(&bytes).unwrap();
        assert!(text.contains("正文第一段。\n正文第二段。"), "{text}");
    }
}
