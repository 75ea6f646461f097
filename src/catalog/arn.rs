//! Matching policy ARNs against the ARN formats of the service reference.
//!
//! A format looks like `arn:${Partition}:s3:::${BucketName}/${ObjectName}`; a policy ARN may
//! hold `*` and `?`. Both sides are patterns, so "can this policy ARN name a resource of this
//! type?" is a question of whether two patterns share a string. We decide it exactly by
//! walking the product of the two patterns (O(n × m) states, no recursion).

/// One element of a pattern.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tok {
    Lit(char),
    /// `?`: exactly one character.
    One,
    /// `*` or `${...}`: any run of characters; `colon` says whether it may contain `:`.
    Any {
        colon: bool,
    },
}

/// Tokenise a service-reference ARN format. `${...}` becomes a wildcard; in the first five
/// `:`-separated fields (partition, service, region, account) it cannot span a `:`.
fn format_tokens(format: &str) -> Vec<Tok> {
    let mut toks = Vec::with_capacity(format.len());
    let mut colons = 0;
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${")
            && let Some(end) = after.find('}')
        {
            toks.push(Tok::Any { colon: colons >= 5 });
            rest = &after[end + 1..];
            continue;
        }
        if c == ':' {
            colons += 1;
        }
        toks.push(Tok::Lit(c));
        rest = &rest[c.len_utf8()..];
    }
    toks
}

/// Tokenise a policy ARN: `*` and `?` are wildcards, everything else is literal. A `*` in one
/// of the first five fields stays inside its field, unless no `:` follows it (so `*` and
/// `arn:aws:s3:*` still reach into the resource part).
fn policy_tokens(arn: &str) -> Vec<Tok> {
    let last_colon = arn.rfind(':');
    let mut colons = 0;
    arn.char_indices()
        .map(|(at, c)| match c {
            '*' => Tok::Any { colon: colons >= 5 || last_colon.is_none_or(|last| at > last) },
            '?' => Tok::One,
            c => {
                if c == ':' {
                    colons += 1;
                }
                Tok::Lit(c)
            }
        })
        .collect()
}

/// Whether the policy resource `arn` (which may contain `*` and `?`) can name a resource
/// described by the service-reference ARN `format` (with `${...}` placeholders).
///
/// Literal characters compare case-sensitively, as ARNs do.
///
/// ```
/// use iamlint::catalog::arn::arn_matches_format;
/// let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
/// assert!(arn_matches_format(object, "arn:aws:s3:::my-bucket/*"));
/// assert!(!arn_matches_format(object, "arn:aws:s3:::my-bucket"));
/// assert!(arn_matches_format(object, "*"));
/// ```
pub fn arn_matches_format(format: &str, arn: &str) -> bool {
    ArnPattern::format(format).intersects(&ArnPattern::policy(arn))
}

/// A tokenised ARN pattern, built once and matched many times: a resource type's formats are
/// tokenised when first used, and a policy ARN once per check instead of once per format.
#[derive(Clone, Debug)]
pub struct ArnPattern {
    toks: Vec<Tok>,
    /// The service field when it is plain text (see [`literal_service`]).
    service: Option<Box<str>>,
}

impl ArnPattern {
    /// A service-reference format (`arn:${Partition}:s3:::${BucketName}`).
    pub fn format(format: &str) -> ArnPattern {
        ArnPattern { toks: format_tokens(format), service: literal_service(format).map(Into::into) }
    }

    /// An ARN as written in a policy (may hold `*` and `?`).
    pub fn policy(arn: &str) -> ArnPattern {
        ArnPattern { toks: policy_tokens(arn), service: literal_service(arn).map(Into::into) }
    }

    /// Whether some ARN matches both patterns.
    pub fn intersects(&self, other: &ArnPattern) -> bool {
        // Most pairs differ in the service field (`s3` against `logs`): tell without walking.
        if let (Some(a), Some(b)) = (&self.service, &other.service)
            && a != b
        {
            return false;
        }
        patterns_intersect(&self.toks, &other.toks)
    }
}

/// The third field of an ARN (its service) when it is plain text (no `${...}`, `*` or `?`) and a
/// `:` follows it. Neither a placeholder nor a wildcard in the first fields can span a `:` (see
/// [`policy_tokens`]), so field three of a matching string is field three of both patterns.
fn literal_service(arn: &str) -> Option<&str> {
    let service = crate::semantics::arn::field(arn, 2)?;
    crate::semantics::arn::field(arn, 3)?;
    (!service.contains(['$', '{', '}', '*', '?'])).then_some(service)
}

/// Whether some string matches both `a` and `b`.
fn patterns_intersect(a: &[Tok], b: &[Tok]) -> bool {
    let width = b.len() + 1;
    let mut seen = vec![false; (a.len() + 1) * width];
    let mut stack = vec![(0usize, 0usize)];
    while let Some((i, j)) = stack.pop() {
        let slot = i * width + j;
        if seen[slot] {
            continue;
        }
        seen[slot] = true;
        if i == a.len() && j == b.len() {
            return true;
        }
        let (ta, tb) = (a.get(i).copied(), b.get(j).copied());
        // A wildcard may stand for nothing.
        if let Some(Tok::Any { .. }) = ta {
            stack.push((i + 1, j));
        }
        if let Some(Tok::Any { .. }) = tb {
            stack.push((i, j + 1));
        }
        if let (Some(x), Some(y)) = (ta, tb) {
            if let Tok::Any { colon } = x
                && absorbs(colon, y)
            {
                // `x` keeps going and eats what `y` stands for.
                stack.push((i, j + 1));
            }
            if let Tok::Any { colon } = y
                && absorbs(colon, x)
            {
                stack.push((i + 1, j));
            }
            if single_compatible(x, y) {
                stack.push((i + 1, j + 1));
            }
        }
    }
    false
}

/// Whether a wildcard (that may or may not span `:`) can absorb the text `t` stands for.
fn absorbs(colon: bool, t: Tok) -> bool {
    match t {
        Tok::Lit(':') => colon,
        // Another wildcard can always stand for nothing.
        Tok::Lit(_) | Tok::One | Tok::Any { .. } => true,
    }
}

/// Whether two single-character tokens can be the same character.
fn single_compatible(x: Tok, y: Tok) -> bool {
    match (x, y) {
        (Tok::Lit(p), Tok::Lit(q)) => p == q,
        (Tok::One, Tok::Lit(_) | Tok::One) | (Tok::Lit(_), Tok::One) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::arn_matches_format;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const ROLE: &str = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
    const FUNCTION: &str = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";

    #[test]
    fn concrete_arns() {
        assert!(arn_matches_format(OBJECT, "arn:aws:s3:::b/k/x.txt"));
        assert!(!arn_matches_format(OBJECT, "arn:aws:s3:::b"));
        assert!(arn_matches_format(BUCKET, "arn:aws:s3:::b"));
        // `${BucketName}` is in the resource part, so it could contain `/`: a format match
        // does not exclude the object; the object format is the precise one.
        assert!(arn_matches_format(ROLE, "arn:aws:iam::123456789012:role/a/b"));
        assert!(!arn_matches_format(ROLE, "arn:aws:iam::123456789012:user/a"));
        assert!(!arn_matches_format(ROLE, "arn:aws:s3:::b"));
        assert!(arn_matches_format(FUNCTION, "arn:aws:lambda:us-east-1:1:function:f:PROD"));
        // The account placeholder may not swallow `:`.
        assert!(!arn_matches_format("arn:${Partition}:sqs:${Region}:${Account}:${QueueName}", "arn:aws:sqs:us-east-1"));
    }

    #[test]
    fn wildcard_arns() {
        assert!(arn_matches_format(OBJECT, "*"));
        assert!(arn_matches_format(OBJECT, "arn:aws:s3:::*"));
        assert!(arn_matches_format(BUCKET, "arn:aws:s3:::*"));
        assert!(arn_matches_format(OBJECT, "arn:aws:s3:::bucket/*"));
        assert!(arn_matches_format(OBJECT, "arn:*:s3:::b?/*"));
        assert!(!arn_matches_format(OBJECT, "arn:aws:iam::*"));
        assert!(arn_matches_format(ROLE, "arn:aws:iam::*:role/*"));
        assert!(!arn_matches_format(ROLE, "arn:aws:iam::*:user/*"));
        assert!(arn_matches_format(OBJECT, "arn:aws:s3:*"));
        assert!(arn_matches_format(ROLE, "arn:aws:iam::*"));
        assert!(arn_matches_format(FUNCTION, "arn:aws:lambda:*:*:function:*"));
        assert!(!arn_matches_format(FUNCTION, "arn:aws:lambda:*:*:layer:*"));
    }

    #[test]
    fn service_field_shortcut_agrees_with_the_full_match() {
        // The shortcut decides only when both service fields are plain; these pairs go through it.
        for (format, arn, expected) in [
            (OBJECT, "arn:aws:logs:us-east-1:1:log-group:x", false),
            (OBJECT, "arn:*:s3:::b/k", true),
            (OBJECT, "arn:aws:s3x:::b/k", false),
            (FUNCTION, "arn:aws-cn:lambda:*:*:function:f", true),
            (ROLE, "arn:aws:iam:", false),
            (ROLE, "arn:aws:s3*:::b", false),
            (BUCKET, "arn:aws:s?:::b", true),
        ] {
            assert_eq!(arn_matches_format(format, arn), expected, "{format} vs {arn}");
            assert_eq!(
                super::patterns_intersect(&super::format_tokens(format), &super::policy_tokens(arn)),
                expected,
                "{format} vs {arn} without the shortcut"
            );
        }
    }
}
