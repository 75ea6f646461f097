//! IAM wildcard matching: `*` matches any run of characters (including none), `?` exactly one
//! character, everything else itself. Case folding, when asked for, is ASCII only (as IAM folds
//! action names); resources, ARNs and `StringLike` values compare case-sensitively.
//!
//! One matcher serves plain text patterns and pre-tokenised ones. It is the classic two-pointer
//! algorithm that remembers only the last `*` it passed: no recursion, no allocation, and
//! O(|pattern|·|text|) in the worst case, so a hostile pattern such as `*a*a*a*a*b` cannot blow up.

/// One token of a compiled pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A literal character (already ASCII-lowercased for case-insensitive patterns).
    Lit(char),
    /// `?`: exactly one character.
    One,
    /// `*`: any sequence, including the empty one.
    Star,
}

/// The pattern text of `toks` (the inverse of [`tokens`], lowercased where the tokens are).
pub fn text_of(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Lit(c) => *c,
            Tok::One => '?',
            Tok::Star => '*',
        })
        .collect()
}

/// Whether `s` contains a wildcard character (`*` or `?`).
pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

fn tok_of(c: char, ci: bool) -> Tok {
    match c {
        '*' => Tok::Star,
        '?' => Tok::One,
        c => Tok::Lit(if ci { c.to_ascii_lowercase() } else { c }),
    }
}

/// Append the tokens of `text` (where `*` and `?` are wildcards); `ci` lowercases literals (ASCII).
pub fn tokens_into(text: &str, ci: bool, out: &mut Vec<Tok>) {
    out.extend(text.chars().map(|c| tok_of(c, ci)));
}

/// Append `text` as literal tokens (substituted variable values: a `*` there is not a wildcard).
pub fn literal_into(text: &str, ci: bool, out: &mut Vec<Tok>) {
    out.extend(text.chars().map(|c| Tok::Lit(if ci { c.to_ascii_lowercase() } else { c })));
}

/// The tokens of `text` with wildcards.
pub fn tokens(text: &str, ci: bool) -> Vec<Tok> {
    let mut v = Vec::with_capacity(text.len());
    tokens_into(text, ci, &mut v);
    v
}

/// A pattern the matcher can walk: the token at a position and the position after it.
trait Walk {
    fn at(&self, i: usize) -> Option<(Tok, usize)>;
}

impl Walk for [Tok] {
    #[inline]
    fn at(&self, i: usize) -> Option<(Tok, usize)> {
        self.get(i).map(|t| (*t, i + 1))
    }
}

/// Pattern text tokenised on the fly (positions are byte offsets).
struct Text<'a> {
    s: &'a str,
    ci: bool,
}

impl Walk for Text<'_> {
    #[inline]
    fn at(&self, i: usize) -> Option<(Tok, usize)> {
        let c = self.s.get(i..)?.chars().next()?;
        Some((tok_of(c, self.ci), i + c.len_utf8()))
    }
}

#[inline]
fn char_at(t: &str, i: usize) -> Option<char> {
    t.get(i..).and_then(|s| s.chars().next())
}

fn walk<P: Walk + ?Sized>(p: &P, t: &str, ci: bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    // Where to resume after the most recent `*`: (pattern position after it, text position it covers up to).
    let mut star: Option<(usize, usize)> = None;
    loop {
        if let Some((tok, next)) = p.at(pi) {
            match tok {
                Tok::Star => {
                    pi = next;
                    star = Some((pi, ti));
                    continue;
                }
                Tok::One => {
                    if let Some(c) = char_at(t, ti) {
                        pi = next;
                        ti += c.len_utf8();
                        continue;
                    }
                }
                Tok::Lit(pc) => {
                    if let Some(c) = char_at(t, ti)
                        && (c == pc || (ci && c.to_ascii_lowercase() == pc))
                    {
                        pi = next;
                        ti += c.len_utf8();
                        continue;
                    }
                }
            }
        } else if ti >= t.len() || star.is_some_and(|(sp, _)| sp == pi) {
            // All text matched, or the pattern ends with a `*`, which takes whatever is left.
            return true;
        }
        // Mismatch: let the last `*` swallow one more character and retry.
        let Some((sp, st)) = star else { return false };
        let Some(c) = char_at(t, st) else { return false };
        let next = st + c.len_utf8();
        star = Some((sp, next));
        pi = sp;
        ti = next;
    }
}

/// Whether `text` matches the tokens `p`. With `ci` the text is ASCII-folded (the tokens must already
/// be lowercased, as [`tokens`] does with `ci`).
pub fn matches_tokens(p: &[Tok], text: &str, ci: bool) -> bool {
    walk(p, text, ci)
}

/// Whether `text` matches `pattern`, ASCII case-insensitively when `ci`. Allocation-free.
///
/// ```
/// use iamlint::semantics::wildcard::matches;
/// assert!(matches("s3:Get*", "s3:GetObject", false));
/// assert!(matches("IAM:*policy*", "iam:PutRolePolicy", true));
/// assert!(!matches("s3:?et", "s3:Tagging", false));
/// ```
pub fn matches(pattern: &str, text: &str, ci: bool) -> bool {
    walk(&Text { s: pattern, ci }, text, ci)
}

/// Whether the `*` at `i` is inside a segment: something other than `:` follows it.
fn inner_star(p: &[Tok], i: usize) -> bool {
    p[i] == Tok::Star && p.get(i + 1).is_some_and(|t| *t != Tok::Lit(':'))
}

/// Resource matching with the segment rule of the IAM documentation (case-sensitive): a `*` that ends
/// a colon-separated segment (followed by `:` or the end of the pattern) may run across colons; any
/// other `*` cannot match a `:`. Patterns without such a star take [`matches_tokens`]; the others a
/// row-by-row table, O(|p|·|t|).
pub fn matches_segments(p: &[Tok], t: &str) -> bool {
    if !(0..p.len()).any(|i| inner_star(p, i)) {
        return matches_tokens(p, t, false);
    }
    let chars: Vec<char> = t.chars().collect();
    let n = chars.len();
    // reach[j]: the tokens so far can match exactly the first j characters.
    let mut reach = vec![false; n + 1];
    let mut next = vec![false; n + 1];
    reach[0] = true;
    for i in 0..p.len() {
        next.fill(false);
        match p[i] {
            Tok::Star => {
                let bounded = inner_star(p, i);
                let mut open = false;
                for j in 0..=n {
                    if bounded && j > 0 && chars[j - 1] == ':' {
                        open = false;
                    }
                    open |= reach[j];
                    next[j] = open;
                }
            }
            Tok::One => next[1..].copy_from_slice(&reach[..n]),
            Tok::Lit(c) => {
                for j in 0..n {
                    next[j + 1] = reach[j] && chars[j] == c;
                }
            }
        }
        std::mem::swap(&mut reach, &mut next);
        if !reach.contains(&true) {
            return false;
        }
    }
    reach[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(p: &str, t: &str, ci: bool) -> bool {
        let a = matches(p, t, ci);
        assert_eq!(a, matches_tokens(&tokens(p, ci), t, ci), "{p} / {t} / {ci}");
        a
    }

    #[test]
    fn literals_and_case() {
        assert!(both("s3:GetObject", "s3:GetObject", false));
        assert!(!both("s3:getobject", "s3:GetObject", false));
        assert!(both("s3:getobject", "S3:GetObject", true));
        assert!(both("iam:*AccessKey*", "iam:createaccesskey", true));
        assert!(!both("iam:*AccessKey*", "iam:createaccesskey", false));
        assert!(!both("s3:GetObject", "s3:GetObjectAcl", true));
        assert!(!both("s3:GetObjectAcl", "s3:GetObject", true));
        assert!(both("", "", false));
        assert!(!both("", "a", false));
    }

    #[test]
    fn folding_is_ascii_only() {
        // IAM folds ASCII letters only: `Ä` is not `ä`, and the Kelvin sign is not `k`.
        assert!(!both("ÄB", "äb", true));
        assert!(both("Äb", "ÄB", true));
        assert!(!both("\u{212A}ms:Decrypt", "kms:Decrypt", true));
    }

    #[test]
    fn stars_and_question_marks() {
        assert!(both("*", "", false));
        assert!(both("*", "anything:at*all", false));
        assert!(both("*:*", "s3:GetObject", false));
        assert!(!both("*:*", "s3GetObject", false));
        assert!(both("iam:*Policy*", "iam:PutRolePolicy", false));
        assert!(!both("iam:*Policy*", "iam:PutRolePermissionsBoundary", false));
        assert!(both("s3:?etObject", "s3:GetObject", false));
        assert!(!both("s3:?GetObject", "s3:GetObject", false));
        assert!(both("a*b*c", "aXXbYYc", false));
        assert!(!both("a*b*c", "aXXbYY", false));
        assert!(both("a**", "a", false));
        assert!(both("*a", "aaaa", false));
        assert!(both("a?é*", "abéz", false));
        assert!(both("é?", "éè", false));
        assert!(!both("a?c", "ac", false));
    }

    #[test]
    fn a_trailing_star_takes_the_rest() {
        assert!(both("Get*", "Get", true));
        assert!(both("get*", "GetObjectAcl", true));
        assert!(!both("get*", "PutObject", true));
        assert!(!both("Get*", "Ge", false));
        assert!(both("a*b*", "aXbYYY", false));
        assert!(both("a*b*", "aXaYbZ", false));
        assert!(!both("a*b*", "aXcY", false));
        assert!(!both("a?*", "a", false));
        assert!(both("a?*", "ab", false));
    }

    #[test]
    fn literal_tokens_have_no_wildcards() {
        let mut t = Vec::new();
        literal_into("a*?", false, &mut t);
        assert!(matches_tokens(&t, "a*?", false));
        assert!(!matches_tokens(&t, "abc", false));
        assert!(has_wildcard("a?") && has_wildcard("*") && !has_wildcard("abc"));
    }

    #[test]
    fn pathological_input_is_fast() {
        let text = "a".repeat(5_000);
        let pattern = format!("{}b", "*a".repeat(200));
        let start = std::time::Instant::now();
        assert!(!matches(&pattern, &text, true));
        assert!(!matches_tokens(&tokens(&pattern, false), &text, false));
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn resource_stars_and_colons() {
        let m = |p: &str, t: &str| matches_segments(&tokens(p, false), t);
        // A `*` inside a segment stays there; one that ends a segment may run across colons.
        assert!(!m("arn:aws:lambda:us-east-1:1:function:*-fn", "arn:aws:lambda:us-east-1:1:function:app:blue-fn"));
        assert!(m("arn:aws:lambda:us-east-1:1:function:*-fn", "arn:aws:lambda:us-east-1:1:function:blue-fn"));
        assert!(m("arn:aws:lambda:us-east-1:1:function:*", "arn:aws:lambda:us-east-1:1:function:app:blue-fn"));
        assert!(m("arn:aws:lambda:*:1:function:*:blue-fn", "arn:aws:lambda:us-east-1:1:function:app:blue-fn"));
        assert!(m("arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test/3/x.jpg"));
        assert!(m("*:a*b", "x:y:acb"));
        assert!(!m("*:a*b", "x:y:ac:b"));
    }
}
