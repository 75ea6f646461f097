//! Byte offsets ↔ LSP positions, in the negotiated encoding (UTF-16 code units by default, UTF-8
//! bytes when the client offers `positionEncoding: utf-8`).

use crate::parse::{LineIndex, Span};
use lsp_types::{Position, PositionEncodingKind, Range};

/// How a [`Position::character`] counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: the LSP default, and all most clients speak.
    #[default]
    Utf16,
    /// UTF-8 bytes (LSP 3.17 `positionEncoding`).
    Utf8,
}

impl Encoding {
    /// Pick from the client's offered encodings: UTF-8 if offered (no conversion needed), else UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The LSP name.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf8 => PositionEncodingKind::UTF8,
        }
    }
}

/// Converts offsets of one text; build once per document version.
pub struct PositionMap<'t> {
    text: &'t str,
    index: LineIndex,
    encoding: Encoding,
}

impl<'t> PositionMap<'t> {
    /// Index `text`.
    pub fn new(text: &'t str, encoding: Encoding) -> Self {
        Self { text, index: LineIndex::new(text), encoding }
    }

    /// The position of byte `offset` (clamped to the text; an offset inside a character counts as it).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let (line, col) = match self.encoding {
            Encoding::Utf16 => self.index.utf16_col(self.text, offset),
            Encoding::Utf8 => {
                let (line, start) = self.index.line_start(offset);
                (line, offset - start)
            }
        };
        Position::new(u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(col).unwrap_or(u32::MAX))
    }

    /// The range of a byte span.
    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end.max(span.start)))
    }

    /// The byte offset of `pos`. A line past the end maps to the end of the text; a character past
    /// the end of its line maps to the end of that line (the LSP rule); a position inside a
    /// surrogate pair or a multi-byte character maps to the start of that character.
    pub fn offset(&self, pos: Position) -> usize {
        offset_of(self.text, pos, self.encoding)
    }
}

/// The byte offset of `pos` in `text`, without building an index (for one-off lookups).
pub fn offset_of(text: &str, pos: Position, encoding: Encoding) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find('\n') {
            Some(nl) => start += nl + 1,
            None => return text.len(),
        }
    }
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let line = line.strip_suffix('\r').unwrap_or(line);
    let want = pos.character as usize;
    let mut units = 0;
    for (i, c) in line.char_indices() {
        let width = match encoding {
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf8 => c.len_utf8(),
        };
        if units + width > want {
            return start + i;
        }
        units += width;
    }
    start + line.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_surrogate_pairs_as_two() {
        let t = "{\n  \"Sid\": \"é😀\", x\n}";
        let map = PositionMap::new(t, Encoding::Utf16);
        let x = t.find('x').unwrap();
        // `  "Sid": "` is 10 units, é 1, 😀 2, `", ` 3.
        assert_eq!(map.position(x), Position::new(1, 16));
        assert_eq!(map.offset(Position::new(1, 16)), x);
        let utf8 = PositionMap::new(t, Encoding::Utf8);
        assert_eq!(utf8.position(x), Position::new(1, u32::try_from(x - 2).unwrap()));
        assert_eq!(utf8.offset(utf8.position(x)), x);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let t = "ab\r\ncd";
        assert_eq!(offset_of(t, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset_of(t, Position::new(7, 0), Encoding::Utf16), t.len());
        assert_eq!(offset_of(t, Position::new(1, 1), Encoding::Utf16), 5);
        // Inside a surrogate pair: the start of the character.
        assert_eq!(offset_of("😀z", Position::new(0, 1), Encoding::Utf16), 0);
    }

    #[test]
    fn negotiation_prefers_utf8_when_offered() {
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        let offered = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&offered)), Encoding::Utf8);
        assert_eq!(Encoding::negotiate(Some(&offered[..1])), Encoding::Utf16);
    }
}
