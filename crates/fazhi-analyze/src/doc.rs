//! Plain text of a report split into lines, with page chrome and spam marked.

use crate::charset::{class, class_of};
use crate::chrome;

/// One line of the report: character range `[start, end)` without the newline.
#[derive(Debug, Clone)]
pub struct Line {
    /// Offset of the first character.
    pub start: usize,
    /// Offset just past the last character (the newline excluded).
    pub end: usize,
    /// The line is web-page chrome (breadcrumbs, 索引号, 扫一扫 …), not report text.
    pub chrome: bool,
    /// Index range in [`Doc::marks`] of the noted characters of this line.
    pub marks: (u32, u32),
    /// 1-based line number (blank lines are not kept, so it is not the index).
    pub number: u32,
}

/// A character that some step of the analysis stops at, noted by [`Doc::new`].
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    /// Character offset (32 bits: a mark per character of a hostile file must stay
    /// small; uploads are far below 4 G characters).
    offset: u32,
    /// Its class bits ([`crate::charset::class`]).
    pub class: u8,
}

impl Mark {
    /// Character offset.
    pub fn pos(&self) -> usize {
        self.offset as usize
    }
}

/// A report's text as characters, the unit of every offset we report.
#[derive(Debug)]
pub struct Doc {
    /// The characters of the text.
    pub chars: Vec<char>,
    /// Lines in order.
    pub lines: Vec<Line>,
    /// Character ranges of injected spam phrases (gambling, ads).
    pub spam: Vec<(usize, usize)>,
    /// Offsets of the characters later steps look at (numerals, brackets, 年 …), in
    /// order; line feeds are in `lines` instead.
    pub marks: Vec<Mark>,
}

impl Doc {
    /// Splits `text` into lines and marks chrome and spam.
    pub fn new(text: &str) -> Doc {
        // The one pass over every character: decode, split lines, and note the few
        // characters that figures, headings, brackets, spam and issuer look at, so
        // those steps visit only the noted offsets (one table lookup per character).
        let n = text.chars().count();
        // Offsets are stored in 32 bits; longer texts (beyond any upload limit) are cut.
        let n = n.min(u32::MAX as usize);
        let mut chars = vec!['\0'; n];
        let mut marks = Vec::with_capacity(n / 8);
        let mut lines = Vec::with_capacity(n / 64);
        let mut start = 0;
        let mut first_mark = 0;
        let mut number = 1;
        // Blank lines are counted, not kept: a file of newlines would cost 40 bytes each.
        let push_line =
            |lines: &mut Vec<Line>, start: usize, end: usize, marks: (u32, u32), number: u32| {
                if end > start {
                    lines.push(Line {
                        start,
                        end,
                        chrome: false,
                        marks,
                        number,
                    });
                }
            };
        for (i, (slot, c)) in chars.iter_mut().zip(text.chars()).enumerate() {
            *slot = c;
            let class = class_of(c);
            if class == 0 {
                continue;
            }
            if class == class::NEWLINE {
                push_line(
                    &mut lines,
                    start,
                    i,
                    (first_mark, marks.len() as u32),
                    number,
                );
                number = number.saturating_add(1);
                start = i + 1;
                first_mark = marks.len() as u32;
            } else {
                marks.push(Mark {
                    offset: i as u32,
                    class,
                });
            }
        }
        if start < chars.len() {
            push_line(
                &mut lines,
                start,
                chars.len(),
                (first_mark, marks.len() as u32),
                number,
            );
        }
        for line in &mut lines {
            line.end = trim_cr(&chars, line.start, line.end);
            line.chrome = chrome::is_chrome_line(&chars[line.start..line.end]);
        }
        let spam = chrome::spam_at(
            &chars,
            marks
                .iter()
                .filter(|m| m.class & class::SPAM != 0)
                .map(|m| m.pos()),
        );
        Doc {
            chars,
            lines,
            spam,
            marks,
        }
    }

    /// The noted characters of a line (see [`Doc::marks`]).
    pub fn line_marks(&self, line: &Line) -> &[Mark] {
        &self.marks[line.marks.0 as usize..line.marks.1 as usize]
    }

    /// The text of a character range.
    pub fn slice(&self, start: usize, end: usize) -> String {
        to_string(&self.chars[start..end])
    }

    /// 1-based line and column of a character offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let idx = self.lines.partition_point(|l| l.start <= offset);
        let (number, start, end) = match idx.checked_sub(1).map(|i| &self.lines[i]) {
            Some(l) => (l.number as usize, l.start, l.end),
            None => (1, 0, 0),
        };
        if offset <= end {
            return (number, offset - start + 1);
        }
        // Past the end of the kept line: only blank lines (and a carriage return) lie
        // between, so counting their line feeds is short.
        let gap = &self.chars[end.min(offset)..offset.min(self.chars.len())];
        let feeds = gap.iter().filter(|&&c| c == '\n').count();
        match gap.iter().rposition(|&c| c == '\n') {
            Some(p) => (number + feeds, gap.len() - p),
            None => (number, offset - start + 1),
        }
    }

    /// Index of the line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.start <= offset)
            .saturating_sub(1)
    }

    /// True when the range overlaps an injected spam phrase.
    pub fn in_spam(&self, start: usize, end: usize) -> bool {
        // Spam ranges are sorted and disjoint: only the first ending after `start` can overlap.
        let i = self.spam.partition_point(|&(_, e)| e <= start);
        self.spam.get(i).is_some_and(|&(s, _)| s < end)
    }
}

fn trim_cr(chars: &[char], start: usize, end: usize) -> usize {
    if end > start && chars[end - 1] == '\r' {
        end - 1
    } else {
        end
    }
}

/// Whitespace that report writers put between words, including full-width and EN spaces.
pub fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{00a0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\r'
    )
}

/// Han ideograph (the common blocks).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Punctuation that ends a clause.
pub fn is_clause_punct(c: char) -> bool {
    matches!(
        c,
        '，' | ',' | '。' | '；' | ';' | '：' | ':' | '！' | '!' | '？' | '?' | '\n'
    )
}

/// A string of characters, allocated once at its exact size (collecting chars into a
/// `String` grows it several times for Han text).
pub fn to_string(chars: &[char]) -> String {
    let mut s = String::with_capacity(chars.iter().map(|c| c.len_utf8()).sum());
    s.extend(chars);
    s
}

#[cfg(test)]
mod tests {
    use super::Doc;

    #[test]
    fn line_numbers_count_blank_lines() {
        let d = Doc::new("\n\nab\r\n\n\ncd\n");
        assert_eq!(d.lines.len(), 2);
        assert_eq!(d.line_col(0), (1, 1));
        assert_eq!(d.line_col(1), (2, 1));
        assert_eq!(d.line_col(3), (3, 2));
        assert_eq!(d.line_col(6), (4, 1));
        assert_eq!(d.line_col(8), (6, 1));
        assert_eq!(d.line_col(9), (6, 2));
    }
}
