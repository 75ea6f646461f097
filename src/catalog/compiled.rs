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

    pub(super) fn list(&mut self) -> Vec<&'static str> {
        let n = self.count();
        (0..n).map(|_| self.str()).collect()
    }

    /// A lookup order (count, then positions).
    pub(super) fn order(&mut self) -> Vec<u32> {
        let n = self.count();
        (0..n).map(|_| self.word()).collect()
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
