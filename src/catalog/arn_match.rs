// Included by build.rs (which decides at build time which sample resources an action can name) and by
// src/catalog/arn.rs (which decides it for policy ARNs at run time), so both match ARNs alike. Not a
// module of its own.

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
