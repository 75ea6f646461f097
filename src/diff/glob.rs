//! Representatives of every region that a set of `*`/`?` globs cuts the strings into.
//!
//! A region is one combination of "matched / not matched" per list of globs (a list matches when
//! one of its globs does, as an `Action`, `Resource` or condition value list does). The product of the globs'
//! automata is explored breadth first over a reduced alphabet (every literal character of the globs,
//! `:`, and one character none of them names, which stands for all the others): every string reaches
//! some product state and the state tells which globs accept it, so visiting every reachable state
//! visits every non-empty region. Once a glob of a list reaches a trailing `*` that may match
//! anything, the list matches every extension and its state collapses to one, which keeps the product
//! small. Readable candidates built from the globs' own literal parts are tried first, so most
//! representatives look like the patterns; the search only fills the gaps.
//!
//! The automata follow the matchers of `semantics::wildcard` (resources: a `*` inside a segment
//! does not cross `:`; `ArnLike`: wildcards before the fifth `:` stay in their segment); the caller
//! decides every representative with the real evaluator, so this module only proposes strings.

use crate::semantics::wildcard::Tok;
use std::collections::{HashSet, VecDeque};

/// How a glob reads its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Plain glob (`StringLike`, exact strings as literal globs).
    Plain,
    /// ASCII case-insensitive (`StringEqualsIgnoreCase`).
    CaseInsensitive,
    /// Resource entries: a `*` followed by something other than `:` cannot match `:`.
    Resource,
    /// `ArnLike`: `*` and `?` before the pattern's fifth `:` cannot match `:`.
    Arn,
}

/// One glob of the set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    /// Its tokens (literals already lowercased for [`Mode::CaseInsensitive`]).
    pub toks: Vec<Tok>,
    /// How it matches.
    pub mode: Mode,
}

/// The product search visited more states than allowed: the region structure is not decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooComplex {
    /// How many states were visited.
    pub states: usize,
}

/// The readable filler for a `*` in candidates built from a pattern.
const FILL: &str = "x";

impl Glob {
    /// For each position, whether the token there may consume `:` (for `*` and `?`).
    fn bounded(&self) -> Vec<bool> {
        let mut colons = 0;
        self.toks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let b = match self.mode {
                    Mode::Resource => *t == Tok::Star && self.toks.get(i + 1).is_some_and(|n| *n != Tok::Lit(':')),
                    Mode::Arn => colons < 5 && matches!(t, Tok::Star | Tok::One),
                    _ => false,
                };
                if *t == Tok::Lit(':') {
                    colons += 1;
                }
                b
            })
            .collect()
    }

    fn lit_eq(&self, want: char, c: char) -> bool {
        if self.mode == Mode::CaseInsensitive { c.to_ascii_lowercase() == want } else { c == want }
    }

    /// Close a set of positions over `*` (which may match nothing).
    fn close(&self, set: &mut Vec<u16>) {
        let mut i = 0;
        while i < set.len() {
            let p = set[i] as usize;
            if self.toks.get(p) == Some(&Tok::Star) && !set.contains(&((p + 1) as u16)) {
                set.push((p + 1) as u16);
            }
            i += 1;
        }
        set.sort_unstable();
        set.dedup();
    }

    fn step(&self, bounded: &[bool], from: &[u16], c: char) -> Vec<u16> {
        let mut out = Vec::new();
        for &p in from {
            let p = p as usize;
            match self.toks.get(p) {
                Some(Tok::Star) if !(bounded[p] && c == ':') => out.push(p as u16),
                Some(Tok::One) if !(bounded[p] && c == ':') => out.push((p + 1) as u16),
                Some(Tok::Lit(l)) if self.lit_eq(*l, c) => out.push((p + 1) as u16),
                _ => {}
            }
        }
        self.close(&mut out);
        out
    }

    fn accepts_state(&self, set: &[u16]) -> bool {
        // `ArnLike` with fewer than six colon-separated parts matches nothing.
        let dead = self.mode == Mode::Arn && self.toks.iter().filter(|t| **t == Tok::Lit(':')).count() < 5;
        !dead && set.contains(&(self.toks.len() as u16))
    }

    /// Whether the automaton accepts `text`.
    pub fn accepts(&self, text: &str) -> bool {
        let bounded = self.bounded();
        let mut s = vec![0u16];
        self.close(&mut s);
        for c in text.chars() {
            s = self.step(&bounded, &s, c);
            if s.is_empty() {
                return false;
            }
        }
        self.accepts_state(&s)
    }

    /// The pattern with `*` filled by `fill` and `?` by one character.
    fn filled(&self, fill: &str) -> String {
        self.toks
            .iter()
            .map(|t| match t {
                Tok::Lit(c) => c.to_string(),
                Tok::One => "x".to_string(),
                Tok::Star => fill.to_string(),
            })
            .collect()
    }
}

/// The state of one list of globs: the position sets of its globs, or `None` once one of them
/// accepts every extension (the list then matches whatever follows).
type ListState = Option<Vec<Vec<u16>>>;

fn saturated(g: &Glob, bounded: &[bool], set: &[u16]) -> bool {
    g.toks.len().checked_sub(1).is_some_and(|last| {
        g.toks[last] == Tok::Star && !bounded[last] && set.contains(&(last as u16)) && g.accepts_state(set)
    })
}

fn list_state(list: &[Glob], bounded: &[Vec<bool>], sets: Vec<Vec<u16>>) -> ListState {
    if list.iter().zip(bounded).zip(&sets).any(|((g, b), s)| saturated(g, b, s)) { None } else { Some(sets) }
}

fn list_accepts(list: &[Glob], state: &ListState) -> bool {
    state.as_ref().is_none_or(|sets| list.iter().zip(sets).any(|(g, s)| g.accepts_state(s)))
}

/// One string per non-empty region of `lists`, and the empty string (at least one string, even
/// without lists). A list matches when one of its globs does (an `Action`, `Resource` or condition
/// value list): regions are combinations of matched and unmatched lists. Fails when more than
/// `max_states` product states would have to be visited.
pub fn representatives(lists: &[Vec<Glob>], max_states: usize) -> Result<Vec<String>, TooComplex> {
    let bounded: Vec<Vec<Vec<bool>>> = lists.iter().map(|l| l.iter().map(Glob::bounded).collect()).collect();
    let signature = |text: &str| -> Vec<bool> { lists.iter().map(|l| l.iter().any(|g| g.accepts(text))).collect() };
    let mut seen: HashSet<Vec<bool>> = HashSet::new();
    let mut out = Vec::new();
    // Readable candidates first: each pattern filled, and each literal as written.
    for g in lists.iter().flatten() {
        // `*` alone: the request resource `*` (actions without a resource type) reads best.
        let fills: &[&str] = if g.toks == [Tok::Star] { &["*", FILL, ""] } else { &[FILL, ""] };
        for fill in fills.iter().copied() {
            let text = g.filled(fill);
            if !text.is_empty() && seen.insert(signature(&text)) {
                out.push(text);
            }
        }
    }
    // The alphabet: literal characters of the globs (both cases for case-insensitive ones), `:`, and
    // one character none of them names.
    let mut alphabet: Vec<char> = Vec::new();
    let add = |c: char, alphabet: &mut Vec<char>| {
        if !alphabet.contains(&c) {
            alphabet.push(c);
        }
    };
    for g in lists.iter().flatten() {
        for t in &g.toks {
            if let Tok::Lit(c) = t {
                add(*c, &mut alphabet);
                if g.mode == Mode::CaseInsensitive {
                    add(c.to_ascii_uppercase(), &mut alphabet);
                }
            }
        }
    }
    add(':', &mut alphabet);
    let other =
        ['x', 'z', 'q', 'k', '0', '7', '~', 'ÿ'].into_iter().find(|c| !alphabet.contains(c)).unwrap_or('\u{2603}');
    alphabet.insert(0, other);

    let start: Vec<ListState> = lists
        .iter()
        .zip(&bounded)
        .map(|(l, b)| {
            let sets = l
                .iter()
                .map(|g| {
                    let mut s = vec![0u16];
                    g.close(&mut s);
                    s
                })
                .collect();
            list_state(l, b, sets)
        })
        .collect();
    let mut visited: HashSet<Vec<ListState>> = HashSet::new();
    let mut queue: VecDeque<(Vec<ListState>, String)> = VecDeque::new();
    visited.insert(start.clone());
    queue.push_back((start, String::new()));
    while let Some((state, text)) = queue.pop_front() {
        let sig: Vec<bool> = lists.iter().zip(&state).map(|(l, s)| list_accepts(l, s)).collect();
        // The empty string is kept apart from the region it falls in: under `ForAllValues` and
        // `ForAnyValue` an empty value counts as no value at all, so its region needs another member too.
        if text.is_empty() || seen.insert(sig) {
            out.push(text.clone());
        }
        for &c in &alphabet {
            let next: Vec<ListState> = lists
                .iter()
                .zip(&bounded)
                .zip(&state)
                .map(|((l, b), st)| {
                    let sets = st.as_ref()?;
                    let stepped = l.iter().zip(b).zip(sets).map(|((g, gb), s)| g.step(gb, s, c)).collect();
                    list_state(l, b, stepped)
                })
                .collect();
            if visited.contains(&next) {
                continue;
            }
            if visited.len() >= max_states {
                return Err(TooComplex { states: visited.len() });
            }
            visited.insert(next.clone());
            let mut t = text.clone();
            t.push(c);
            queue.push_back((next, t));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantics::wildcard::{matches, matches_segments, tokens};

    fn plain(p: &str) -> Glob {
        Glob { toks: tokens(p, false), mode: Mode::Plain }
    }

    #[test]
    fn every_region_of_overlapping_globs() {
        let globs = [plain("a*"), plain("*b"), plain("ab")];
        let lists: Vec<Vec<Glob>> = globs.iter().map(|g| vec![g.clone()]).collect();
        let reps = representatives(&lists, 10_000).unwrap();
        let sigs: HashSet<Vec<bool>> =
            reps.iter().map(|r| globs.iter().map(|g| matches(&g.filled_pattern(), r, false)).collect()).collect();
        // a-and-b-but-not-ab (axb), ab, a only, b only, neither.
        assert_eq!(sigs.len(), 5, "{reps:?}");
    }

    #[test]
    fn resource_stars_follow_the_segment_rule() {
        let g = Glob { toks: tokens("arn:aws:lambda:*:1:function:*-fn", false), mode: Mode::Resource };
        for t in [
            "arn:aws:lambda:r:1:function:a-fn",
            "arn:aws:lambda:r:1:function:a:b-fn",
            "arn:aws:lambda:r:x:1:function:b-fn",
        ] {
            assert_eq!(g.accepts(t), matches_segments(&g.toks, t), "{t}");
        }
    }

    /// The automata agree with the real matchers on every representative they propose, and on
    /// variants of them, so the regions they find are the evaluator's.
    #[test]
    fn the_automata_agree_with_the_matchers() {
        let patterns = [
            "arn:aws:s3:::b*/x?",
            "arn:aws:lambda:*:1:function:*-fn",
            "arn:aws:lambda:*:1:function:*",
            "*:a*b",
            "a?c*",
            "arn:aws:iam::*:role/ci-*",
            "arn:aws:*:*:*:*",
        ];
        let modes = [Mode::Plain, Mode::CaseInsensitive, Mode::Resource, Mode::Arn];
        for mode in modes {
            let globs: Vec<Glob> =
                patterns.iter().map(|p| Glob { toks: tokens(p, mode == Mode::CaseInsensitive), mode }).collect();
            let lists: Vec<Vec<Glob>> = globs.iter().map(|g| vec![g.clone()]).collect();
            let mut texts = representatives(&lists, 100_000).unwrap();
            let extra: Vec<String> =
                texts.iter().flat_map(|t| [t.to_ascii_uppercase(), format!("{t}:z"), format!("q{t}")]).collect();
            texts.extend(extra);
            for g in &globs {
                let text_pattern = super::tests::pattern_text(g);
                for t in &texts {
                    let real = match mode {
                        Mode::Plain => matches(&text_pattern, t, false),
                        Mode::CaseInsensitive => matches(&text_pattern, t, true),
                        Mode::Resource => matches_segments(&g.toks, t),
                        Mode::Arn => crate::eval::matcher::arn_like(&g.toks, t),
                    };
                    assert_eq!(g.accepts(t), real, "{mode:?} {text_pattern} / {t}");
                }
            }
        }
    }

    fn pattern_text(g: &Glob) -> String {
        g.filled_pattern()
    }

    #[test]
    fn the_search_is_bounded() {
        let globs: Vec<Glob> = (0..12).map(|i| plain(&format!("*a{}*b*c{i}*", "?".repeat(i)))).collect();
        let lists: Vec<Vec<Glob>> = globs.iter().map(|g| vec![g.clone()]).collect();
        assert!(representatives(&lists, 50).is_err());
    }

    impl Glob {
        fn filled_pattern(&self) -> String {
            self.toks
                .iter()
                .map(|t| match t {
                    Tok::Lit(c) => c.to_string(),
                    Tok::One => "?".into(),
                    Tok::Star => "*".into(),
                })
                .collect()
        }
    }
}
