//! Byte offset → 1-based line and column.

use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

/// A text being linted on a thread (address, length) and its index once built.
type Scoped = Option<((usize, usize), Option<Rc<LineIndex>>)>;

thread_local! {
    static SCOPED: RefCell<Scoped> = const { RefCell::new(None) };
}

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
    /// Whether the text is all ASCII: then a column is a byte distance.
    ascii: bool,
}

impl LineIndex {
    /// Index `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self { starts, ascii: text.is_ascii() }
    }

    /// The index of `text`, built once per text while [`LineIndex::scope`] for that text runs on this
    /// thread (compiling each of 10,000 documents of a one-line account dump must not re-index the
    /// dump 10,000 times); otherwise a fresh index.
    pub fn shared(text: &str) -> Rc<LineIndex> {
        let key = (text.as_ptr() as usize, text.len());
        SCOPED.with(|scoped| {
            let mut scoped = scoped.borrow_mut();
            match scoped.as_mut() {
                Some((k, cell)) if *k == key => Rc::clone(cell.get_or_insert_with(|| Rc::new(LineIndex::new(text)))),
                _ => Rc::new(LineIndex::new(text)),
            }
        })
    }

    /// Run `f` with `text` as this thread's shared text for [`LineIndex::shared`]. The text is borrowed
    /// for the whole call, so its address and length identify it.
    pub fn scope<R>(text: &str, f: impl FnOnce() -> R) -> R {
        struct Restore(Scoped);
        impl Drop for Restore {
            fn drop(&mut self) {
                let previous = self.0.take();
                SCOPED.with(|s| *s.borrow_mut() = previous);
            }
        }
        let previous = SCOPED.with(|s| s.borrow_mut().replace(((text.as_ptr() as usize, text.len()), None)));
        let _restore = Restore(previous);
        f()
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
        // Characters that start before `offset`: every byte that is not a UTF-8 continuation byte.
        let column = if self.ascii {
            offset - start
        } else {
            text.as_bytes()[start..offset].iter().filter(|&&b| (b as i8) >= -0x40).count()
        };
        LineCol { line: line + 1, column: column + 1 }
    }

    /// Column of `offset` in UTF-16 code units (0-based), for editors speaking LSP.
    pub fn utf16_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let (line, start) = self.line_start(offset);
        if self.ascii {
            return (line, offset - start);
        }
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
        // Inside `é` (bytes 4..6): the character counts.
        assert_eq!(ix.line_col(t, 5), LineCol { line: 2, column: 3 });
        let a = "ab\ncd\nx";
        assert_eq!(LineIndex::new(a).line_col(a, 6), LineCol { line: 3, column: 1 });
        assert_eq!(LineIndex::new(a).line_col(a, 5), LineCol { line: 2, column: 3 });
    }

    #[test]
    fn shared_index_is_built_once_per_scope() {
        let text = String::from("a\nb\nc");
        let outside = LineIndex::shared(&text);
        LineIndex::scope(&text, || {
            let first = LineIndex::shared(&text);
            assert!(Rc::ptr_eq(&first, &LineIndex::shared(&text)));
            assert!(!Rc::ptr_eq(&first, &outside));
            // A different text (a prefix of the same bytes) gets its own index.
            assert_eq!(LineIndex::shared(&text[..3]).len(), 2);
        });
        assert!(!Rc::ptr_eq(&LineIndex::shared(&text), &LineIndex::shared(&text)));
    }
}
