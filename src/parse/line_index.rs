//! Byte offset → 1-based line and column.

use serde::Serialize;

/// A 1-based line and column. The column counts Unicode scalar values (characters), not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Start offsets of every line of a text, for fast offset → line/column conversion.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Index `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// The 0-based line containing byte `offset`, and that line's start offset.
    pub fn line_start(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        (line, self.starts[line])
    }

    /// Line and column of byte `offset` in `text` (the text this index was built from).
    /// An offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let (line, start) = self.line_start(offset);
        let column =
            text.get(start..).map_or(0, |rest| rest.char_indices().take_while(|&(i, _)| i + start < offset).count());
        LineCol { line: line + 1, column: column + 1 }
    }

    /// Column of `offset` in UTF-16 code units (0-based), for editors speaking LSP.
    pub fn utf16_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let (line, start) = self.line_start(offset);
        let col = text.get(start..).map_or(0, |rest| {
            rest.char_indices().take_while(|&(i, _)| i + start < offset).map(|(_, c)| c.len_utf16()).sum()
        });
        (line, col)
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Always false: a text has at least one line.
    pub fn is_empty(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        let t = "ab\ncé\nx";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 0), LineCol { line: 1, column: 1 });
        assert_eq!(ix.line_col(t, 3), LineCol { line: 2, column: 1 });
        assert_eq!(ix.line_col(t, 6), LineCol { line: 2, column: 3 });
        assert_eq!(ix.line_col(t, 7), LineCol { line: 3, column: 1 });
        assert_eq!(ix.line_col(t, 99), LineCol { line: 3, column: 2 });
    }
}
