//! IAM-style wildcard matching (`*` = any run of characters, `?` = one character).
//!
//! Shared by the catalog (action expansion) and the evaluator. The matcher is iterative: it
//! remembers only the last `*` it passed, so it never recurses and runs in O(pattern × text)
//! in the worst case instead of exponential time.

/// Whether `text` matches `pattern`, where `*` matches any run of characters (including none)
/// and `?` matches exactly one character. Every other character matches itself.
///
/// With `case_insensitive`, characters are compared after lowercasing (ASCII fast path,
/// Unicode simple lowercase otherwise), as IAM does for action names.
///
/// ```
/// use iamlint::catalog::glob::wildcard_match;
/// assert!(wildcard_match("s3:Get*", "s3:GetObject", false));
/// assert!(wildcard_match("IAM:*policy*", "iam:PutRolePolicy", true));
/// assert!(!wildcard_match("s3:?et", "s3:Tagging", false));
/// ```
pub fn wildcard_match(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    let (p, t) = (pattern, text);
    let (mut pi, mut ti) = (0usize, 0usize);
    // After a `*`: the pattern index just past it, and the text index it is tried from.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let tc = next_char(t, ti);
        if pi < p.len() {
            let pc = next_char(p, pi);
            if pc == '*' {
                pi += 1;
                if pi == p.len() {
                    // A trailing `*` takes whatever is left.
                    return true;
                }
                star = Some((pi, ti));
                continue;
            }
            if pc == '?' || chars_eq(pc, tc, case_insensitive) {
                pi += pc.len_utf8();
                ti += tc.len_utf8();
                continue;
            }
        }
        // Mismatch: let the last `*` swallow one more character and retry from there.
        let Some((star_p, star_t)) = star else {
            return false;
        };
        let retry = star_t + next_char(t, star_t).len_utf8();
        star = Some((star_p, retry));
        pi = star_p;
        ti = retry;
    }
    p[pi..].bytes().all(|b| b == b'*')
}

/// Whether `s` contains a wildcard character (`*` or `?`).
pub fn has_wildcard(s: &str) -> bool {
    s.bytes().any(|b| b == b'*' || b == b'?')
}

fn next_char(s: &str, at: usize) -> char {
    s[at..].chars().next().unwrap_or('\0')
}

fn chars_eq(a: char, b: char, case_insensitive: bool) -> bool {
    if a == b {
        return true;
    }
    if !case_insensitive {
        return false;
    }
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(&b);
    }
    a.to_lowercase().eq(b.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn literals_and_case() {
        assert!(wildcard_match("s3:GetObject", "s3:GetObject", false));
        assert!(!wildcard_match("s3:getobject", "s3:GetObject", false));
        assert!(wildcard_match("s3:getobject", "S3:GetObject", true));
        assert!(!wildcard_match("s3:GetObject", "s3:GetObjectAcl", true));
        assert!(!wildcard_match("s3:GetObjectAcl", "s3:GetObject", true));
        assert!(wildcard_match("", "", false));
        assert!(!wildcard_match("", "a", false));
        assert!(wildcard_match("ÄB", "äb", true));
    }

    #[test]
    fn stars_and_question_marks() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("*", "anything:at*all", false));
        assert!(wildcard_match("*:*", "s3:GetObject", false));
        assert!(!wildcard_match("*:*", "s3GetObject", false));
        assert!(wildcard_match("iam:*Policy*", "iam:PutRolePolicy", false));
        assert!(wildcard_match("iam:*Policy*", "iam:CreatePolicyVersion", false));
        assert!(!wildcard_match("iam:*Policy*", "iam:PutRolePermissionsBoundary", false));
        assert!(wildcard_match("s3:?etObject", "s3:GetObject", false));
        assert!(!wildcard_match("s3:?GetObject", "s3:GetObject", false));
        assert!(wildcard_match("a*b*c", "aXXbYYc", false));
        assert!(!wildcard_match("a*b*c", "aXXbYY", false));
        assert!(wildcard_match("a**", "a", false));
        assert!(wildcard_match("*a", "aaaa", false));
        assert!(wildcard_match("a?é*", "abéz", false));
    }

    #[test]
    fn pathological_input_is_fast() {
        // Exponential matchers take ages here; ours is quadratic at worst.
        let text = "a".repeat(5_000);
        let pattern = format!("{}b", "*a".repeat(50));
        let start = std::time::Instant::now();
        assert!(!wildcard_match(&pattern, &text, true));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }
}
