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
//! condition key count, per key: name type (a position in `KEY_TYPE_NAMES`)
//! action lookup order: count, positions sorted by lowercase name
//! resource type lookup order: count, positions sorted by lowercase name
//! ```
//!
//! A lookup order keeps, of names equal up to case, the last one (what a map keyed by the lowercase
//! name would keep). `catalog_index.rs` holds the service starts and the byte range of every managed
//! policy in its JSON file, with lookup orders for both.

use super::{AccessLevel, KeyType};
use std::cmp::Ordering;
use std::sync::OnceLock;

/// The generated index (`catalog_index.rs`).
#[allow(clippy::unreadable_literal)]
mod index {
    include!(concat!(env!("OUT_DIR"), "/catalog_index.rs"));
}
pub(super) use index::{
    ACCESS_SETS, ACTION_SORT_RANK, POLICIES, POLICY_ORDER, POLICY_ORDER_CI, SCOPABLE_SET, SERVICE_FIRST_ID,
    SERVICE_ORDER, SERVICES,
};

const WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.words"));
const STRINGS: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.strings"));
/// The action lookup table of `build.rs` (`action_table`): 2^16 little-endian `u16` ids.
const ACTION_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.action_table"));

// `fold_hash`, the hash `build.rs` fills the action table with (one source for both), and
// `lower_word`, which it folds case with.
include!("fold_hash.rs");

/// The full name (`s3:GetObject`) of action `id` of the universe order.
pub(super) fn action_name(id: usize) -> &'static str {
    &index::ACTION_NAMES[nth_range(index::ACTION_NAME_ENDS, id)]
}

/// The access levels in the order of `ACCESS_NAMES` (the codes of `ACTION_ACCESS` and `ACCESS_SETS`).
pub(super) fn access_levels() -> &'static [AccessLevel] {
    static LEVELS: OnceLock<Vec<AccessLevel>> = OnceLock::new();
    LEVELS.get_or_init(|| {
        index::ACCESS_NAMES
            .iter()
            .map(|n| AccessLevel::parse(n).unwrap_or_else(|| panic!("compiled catalog: unknown access level `{n}`")))
            .collect()
    })
}

/// The condition-key type of `code`, a position in `KEY_TYPE_NAMES` (how a service record stores a
/// key's type).
pub(super) fn key_type(code: u32) -> KeyType {
    static TYPES: OnceLock<Vec<KeyType>> = OnceLock::new();
    let types = TYPES.get_or_init(|| {
        index::KEY_TYPE_NAMES
            .iter()
            .map(|n| KeyType::parse(n).unwrap_or_else(|| panic!("compiled catalog: unknown condition key type `{n}`")))
            .collect()
    });
    types[code as usize]
}

/// The access level of action `id` of the universe order.
pub(super) fn access_level(id: usize) -> AccessLevel {
    access_levels()[usize::from(index::ACTION_ACCESS[id])]
}

/// How many actions the universe has.
pub(super) fn action_count() -> usize {
    index::ACTION_ACCESS.len()
}

/// Item `i` of a table stored back to back, given where each item ends.
fn nth_range(ends: &[u32], i: usize) -> std::ops::Range<usize> {
    (if i == 0 { 0 } else { ends[i - 1] as usize })..ends[i] as usize
}

/// The id of the action `name` (`prefix:Name`), case-insensitively: one hash and a probe or two,
/// no allocation.
pub(super) fn action_id(name: &str) -> Option<usize> {
    const MASK: usize = (1 << 16) - 1;
    let mut i = (fold_hash(name) >> 16) as usize;
    loop {
        let id = u16::from_le_bytes([ACTION_TABLE[2 * i], ACTION_TABLE[2 * i + 1]]);
        if id == u16::MAX {
            return None;
        }
        let id = usize::from(id);
        if action_name(id).eq_ignore_ascii_case(name) {
            return Some(id);
        }
        i = (i + 1) & MASK;
    }
}

/// The samples of action `id` of the universe order (`SampleTables` in build.rs), as entries for
/// [`sample`].
pub(super) fn action_samples(id: usize) -> &'static [u16] {
    &index::ACTION_SAMPLES[nth_range(index::ACTION_SAMPLE_ENDS, id)]
}

/// Whether action `id` (of the universe order) has a resource type.
pub(super) fn scopable(id: usize) -> bool {
    SCOPABLE_SET.get(id / 64).is_some_and(|w| w >> (id % 64) & 1 == 1)
}

/// The ARN formats of the resource types of action `id` (of the universe order), in the order
/// [`super::ActionRef::resource_types`] gives them, each with its position among all formats.
pub(super) fn action_formats(id: usize) -> impl Iterator<Item = (usize, &'static str)> {
    index::ACTION_FORMATS[nth_range(index::ACTION_FORMAT_ENDS, id)].iter().map(|&f| {
        let f = usize::from(f);
        (f, &index::ARN_FORMATS[nth_range(index::ARN_FORMAT_ENDS, f)])
    })
}

/// How many distinct ARN formats there are.
pub(super) fn arn_format_count() -> usize {
    index::ARN_FORMAT_ENDS.len()
}

/// A sample entry as its template (an ARN format filled but for the account, which stands as `\0`),
/// the byte offset of that `\0` if there is one, and whether the action can name the sample in an
/// account id.
pub(super) fn sample(entry: u16) -> (&'static str, Option<usize>, bool) {
    /// The bit of an entry that says the action can name the sample.
    const NAMEABLE: u16 = 1 << 15;
    let i = usize::from(entry & !NAMEABLE);
    let at = index::SAMPLE_ACCOUNT_AT[i];
    (sample_template(i), (at != u8::MAX).then_some(usize::from(at)), entry & NAMEABLE != 0)
}

/// Sample template `i`.
fn sample_template(i: usize) -> &'static str {
    &index::SAMPLE_TEMPLATES[nth_range(index::SAMPLE_TEMPLATE_ENDS, i)]
}

/// The (service position, action position) of action `id` of the universe order.
pub(super) fn action_place(id: usize) -> (usize, usize) {
    // The last service whose first id is at most `id` (services without actions share a first id).
    let s = SERVICE_FIRST_ID.partition_point(|&first| first as usize <= id) - 1;
    (s, id - SERVICE_FIRST_ID[s] as usize)
}

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
        // One range check for the four bytes, not one per byte.
        u32::from_le_bytes(WORDS[i..i + 4].try_into().expect("a word is four bytes"))
    }

    pub(super) fn count(&mut self) -> usize {
        self.word() as usize
    }

    pub(super) fn str(&mut self) -> &'static str {
        // Both words with one range check.
        let i = self.at * 4;
        self.at += 2;
        let pair = &WORDS[i..i + 8];
        let start = u32::from_le_bytes(pair[..4].try_into().expect("a word is four bytes")) as usize;
        let len = u32::from_le_bytes(pair[4..].try_into().expect("a word is four bytes")) as usize;
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
///
/// Eight bytes at a time: each word is read big-endian (so comparing words compares their bytes in
/// order) and lowercased in one go. Every catalog lookup by name runs this a dozen times or more; the
/// byte iterator it replaces cost several times as many instructions.
pub(super) fn cmp_ignore_case(name: &str, key: &str) -> Ordering {
    let (a, b) = (name.as_bytes(), key.as_bytes());
    let mut wa = a.chunks_exact(8);
    let mut wb = b.chunks_exact(8);
    let mut done = 0;
    for (x, y) in wa.by_ref().zip(wb.by_ref()) {
        let x = lower_word(u64::from_be_bytes(x.try_into().expect("a chunk of 8")));
        let y = lower_word(u64::from_be_bytes(y.try_into().expect("a chunk of 8")));
        if x != y {
            return x.cmp(&y);
        }
        done += 8;
    }
    for (x, y) in a[done..].iter().zip(&b[done..]) {
        let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if x != y {
            return x.cmp(&y);
        }
    }
    a.len().cmp(&b.len())
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

#[cfg(test)]
mod tests {
    use super::{cmp_ignore_case, lower_word};
    use proptest::prelude::*;

    /// Every byte value, in every position of a word, lowercases as `u8::to_ascii_lowercase` does.
    #[test]
    fn lower_word_lowercases_every_byte() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut bytes = *b"aZ@[`{\x7f\x80";
                bytes[pos] = b;
                let want = bytes.map(|c| c.to_ascii_lowercase());
                assert_eq!(lower_word(u64::from_be_bytes(bytes)), u64::from_be_bytes(want), "{b:#x} at {pos}");
            }
        }
    }

    proptest! {
        /// The word comparison orders names as comparing their lowercased bytes does (shorter first on a tie).
        #[test]
        fn cmp_ignore_case_orders_as_lowercased_bytes(
            prefix in "[a-zA-Z]{0,12}",
            a in "[a-zA-Z0-9:_@\\[\\]`{}~\u{7f}é-]{0,20}",
            b in "[a-zA-Z0-9:_@\\[\\]`{}~\u{7f}é-]{0,20}",
        ) {
            // A shared prefix of any case, so that whole words compare equal before the difference.
            let (a, b) = (format!("{prefix}{a}"), format!("{}{b}", prefix.to_ascii_uppercase()));
            let lower = |s: &str| s.bytes().map(|c| c.to_ascii_lowercase()).collect::<Vec<u8>>();
            prop_assert_eq!(cmp_ignore_case(&a, &b), lower(&a).cmp(&lower(&b)));
            let upper = a.to_ascii_uppercase();
            prop_assert_eq!(cmp_ignore_case(&a, &upper), std::cmp::Ordering::Equal);
        }
    }
}
