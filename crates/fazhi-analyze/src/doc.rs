//! Plain text of a report split into lines, with page chrome and spam marked.

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
}

impl Doc {
    /// Splits `text` into lines and marks chrome and spam.
    pub fn new(text: &str) -> Doc {
        // One exact allocation: counting chars is a fast vectorised pass.
        let mut chars: Vec<char> = Vec::with_capacity(text.chars().count());
        chars.extend(text.chars());
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, &c) in chars.iter().enumerate() {
            if c == '\n' {
                lines.push(Line {
                    start,
                    end: trim_cr(&chars, start, i),
                    chrome: false,
                });
                start = i + 1;
            }
        }
        if start < chars.len() {
            lines.push(Line {
                start,
                end: trim_cr(&chars, start, chars.len()),
                chrome: false,
            });
        }
        for line in &mut lines {
            line.chrome = chrome::is_chrome_line(&chars[line.start..line.end]);
        }
        let spam = chrome::find_spam(&chars);
        Doc { chars, lines, spam }
    }

    /// The text of a character range.
    pub fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start..end].iter().collect()
    }

    /// 1-based line and column of a character offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let idx = self.lines.partition_point(|l| l.start <= offset);
        if idx == 0 {
            return (1, offset + 1);
        }
        (idx, offset - self.lines[idx - 1].start + 1)
    }

    /// Index of the line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|l| l.start <= offset)
            .saturating_sub(1)
    }

    /// True when the range overlaps an injected spam phrase.
    pub fn in_spam(&self, start: usize, end: usize) -> bool {
        self.spam.iter().any(|&(s, e)| s < end && start < e)
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
