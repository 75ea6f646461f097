//! The compiled catalog: what `build.rs` makes of `data/actions.json` and `data/managed-policies.json`,
//! read in place, so a run decodes no JSON for the actions and never scans the 7 MB of data.
//!
//! `catalog.words` is a table of little-endian `u32` words and `catalog.strings` one text that holds
//! every distinct string once. A string is two words, (offset, length) into the text; a list is a
//! count followed by that many strings. A service record, starting at the word `SERVICES` gives:
//!
//! ```text
//! prefix name
//! action count, per action:
//!     name access
//!     row count, per row: name required(0|1) condition-keys(list) dependent-actions(list)
//!                         resource-type position (u32::MAX if the service has no such type)
//!     condition-keys(list) dependent-actions(list)
//! resource type count, per type: name arns(list) condition-keys(list)
//! condition key count, per key: name type
//! action lookup order: count, positions sorted by lowercase name
//! resource type lookup order: count, positions sorted by lowercase name
//! ```
//!
//! A lookup order keeps, of names equal up to case, the last one (what a map keyed by the lowercase
//! name would keep). `catalog_index.rs` holds the service starts and the byte range of every managed
//! policy in its JSON file, with lookup orders for both.

use std::cmp::Ordering;

/// The generated index (`catalog_index.rs`).
#[allow(clippy::unreadable_literal)]
mod index {
    include!(concat!(env!("OUT_DIR"), "/catalog_index.rs"));
}
pub(super) use index::{POLICIES, POLICY_ORDER, POLICY_ORDER_CI, SERVICE_ORDER, SERVICES};

const WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.words"));
const STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.strings"));

/// A cursor over the word table.
#[derive(Clone)]
pub(super) struct Reader {
    at: usize,
}

impl Reader {
    /// A reader at word `at`.
    pub(super) fn at(at: u32) -> Reader {
        Reader { at: at as usize }
    }

    pub(super) fn word(&mut self) -> u32 {
        let i = self.at * 4;
        self.at += 1;
        u32::from_le_bytes([WORDS[i], WORDS[i + 1], WORDS[i + 2], WORDS[i + 3]])
    }

    pub(super) fn count(&mut self) -> usize {
        self.word() as usize
    }

    pub(super) fn str(&mut self) -> &'static str {
        let start = self.word() as usize;
        let len = self.word() as usize;
        &STRINGS[start..start + len]
    }

    /// A list, read in place: nothing is copied or allocated.
    pub(super) fn list(&mut self) -> Strs {
        let len = self.word();
        let at = self.at as u32;
        self.at += 2 * len as usize;
        Strs { at, len }
    }

    /// A lookup order (count, then positions).
    pub(super) fn order(&mut self) -> Vec<u32> {
        let n = self.count();
        (0..n).map(|_| self.word()).collect()
    }
}

/// A list of strings of the compiled catalog (condition keys, ARN formats, dependent actions), read
/// in place: a position in the word table and a count.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Strs {
    at: u32,
    len: u32,
}

impl Strs {
    /// How many strings the list holds.
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Whether the list is empty.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// String `i`, if there is one.
    pub fn get(self, i: usize) -> Option<&'static str> {
        (i < self.len()).then(|| Reader { at: self.at as usize + 2 * i }.str())
    }

    /// The first string.
    pub fn first(self) -> Option<&'static str> {
        self.get(0)
    }

    /// The strings, in order.
    pub fn iter(self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        let mut r = Reader { at: self.at as usize };
        (0..self.len()).map(move |_| r.str())
    }

    /// Whether the list holds `s` (exactly).
    pub fn contains(self, s: &str) -> bool {
        self.iter().any(|x| x == s)
    }

    /// The strings as a vector.
    pub fn to_vec(self) -> Vec<&'static str> {
        self.iter().collect()
    }
}

impl std::fmt::Debug for Strs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Compares `name` with `key` as if both were lowercased (ASCII), without allocating.
pub(super) fn cmp_ignore_case(name: &str, key: &str) -> Ordering {
    name.bytes().map(|b| b.to_ascii_lowercase()).cmp(key.bytes().map(|b| b.to_ascii_lowercase()))
}

/// Binary search of a lookup order: the position whose name (`name_of`) equals `key` up to case.
pub(super) fn find_ignore_case<'a, I: Copy + Into<u32>>(
    order: &[I],
    key: &str,
    name_of: impl Fn(usize) -> &'a str,
) -> Option<usize> {
    order
        .binary_search_by(|&i| cmp_ignore_case(name_of(i.into() as usize), key))
        .ok()
        .map(|found| order[found].into() as usize)
}

/// The JSON text of a managed policy (a member value of `data/managed-policies.json`).
pub(super) fn policy_json(json: &'static str, i: usize) -> &'static str {
    let (_, start, end) = POLICIES[i];
    &json[start as usize..end as usize]
}
