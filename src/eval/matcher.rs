//! Matching primitives: the iterative glob (§2.1), action and resource patterns (§2.2, §2.3),
//! policy variables (§2.4) and principals (§1.3).
//!
//! Every matcher is iterative and allocation-free on the hot path; the glob is the classic two-pointer
//! backtracking algorithm, O(|pattern|·|text|) in the worst case, so a hostile pattern such as
//! `*a*a*a*a*b` cannot blow up (no regex, no recursion).

use super::context::{PrincipalKind, RequestPrincipal};

/// One token of a compiled glob.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// A literal character (already ASCII-lowercased for case-insensitive patterns).
    Lit(char),
    /// `?`: exactly one character.
    One,
    /// `*`: any sequence, including the empty one.
    Star,
}

fn tokens_into(text: &str, ci: bool, out: &mut Vec<Tok>) {
    for c in text.chars() {
        out.push(match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            c if ci => Tok::Lit(c.to_ascii_lowercase()),
            c => Tok::Lit(c),
        });
    }
}

fn literal_into(text: &str, ci: bool, out: &mut Vec<Tok>) {
    out.extend(text.chars().map(|c| Tok::Lit(if ci { c.to_ascii_lowercase() } else { c })));
}

#[inline]
fn char_at(t: &str, i: usize) -> Option<char> {
    t.get(i..).and_then(|s| s.chars().next())
}

/// Match `text` against glob tokens. `ci` folds ASCII case (tokens must already be lowercased).
pub fn glob_tokens(p: &[Tok], t: &str, ci: bool) -> bool {
    let (mut pi, mut ti) = (0usize, 0usize);
    // Where to resume after the most recent `*`: (token after the star, text position it covers up to).
    let mut star: Option<(usize, usize)> = None;
    loop {
        if let Some(tok) = p.get(pi) {
            match *tok {
                Tok::Star => {
                    pi += 1;
                    star = Some((pi, ti));
                    continue;
                }
                Tok::One => {
                    if let Some(c) = char_at(t, ti) {
                        pi += 1;
                        ti += c.len_utf8();
                        continue;
                    }
                }
                Tok::Lit(pc) => {
                    if let Some(c) = char_at(t, ti)
                        && (c == pc || (ci && c.to_ascii_lowercase() == pc))
                    {
                        pi += 1;
                        ti += c.len_utf8();
                        continue;
                    }
                }
            }
        } else if ti >= t.len() {
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

/// `glob(pattern, text, ci)` of §2.1 on plain text (no policy variables).
pub fn glob(pattern: &str, text: &str, ci: bool) -> bool {
    let mut toks = Vec::with_capacity(pattern.len());
    tokens_into(pattern, ci, &mut toks);
    glob_tokens(&toks, text, ci)
}

/// Where policy variables come from: the request context, by lowercased key.
pub trait Vars {
    /// The single value of `key` (lowercased), or `None` when it is absent or multivalued.
    fn single(&self, key: &str) -> Option<&str>;
}

/// A piece of a pattern that contains policy variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Policy text: `*` and `?` are wildcards.
    Text(String),
    /// Text that must match literally (`${*}`, `${?}`, `${$}`, and text before the fifth colon of a
    /// resource, where variables are not allowed).
    Literal(String),
    /// `${key}` or `${key, 'default'}`; the key is lowercased (variable names are case-insensitive).
    Var {
        /// Lowercased key.
        key: String,
        /// Written spelling, for `MissingContextValues`.
        display: String,
        /// The default after `, '`.
        default: Option<String>,
    },
}

/// Split `text` into pieces at `${...}` tokens. Returns `None` when there is no well-formed variable,
/// so callers keep their fast path. A malformed token (`${foo`, `${}`) stays literal text (⚙IMPL §2.4).
pub fn parse_template(text: &str) -> Option<Vec<Piece>> {
    if !text.contains("${") {
        return None;
    }
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut buf = String::new();
    let mut any = false;
    while let Some(at) = rest.find("${") {
        let after = &rest[at + 2..];
        let Some(close) = after.find('}') else { break };
        let inner = &after[..close];
        let piece = match inner {
            "*" | "?" | "$" => Some(Piece::Literal(inner.to_string())),
            "" => None,
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => {
                        let d = d.trim();
                        match d.strip_prefix('\'').and_then(|d| d.strip_suffix('\'')) {
                            Some(d) => (k.trim(), Some(d.to_string())),
                            None => ("", None),
                        }
                    }
                    None => (inner.trim(), None),
                };
                (!key.is_empty() && !key.contains(char::is_whitespace)).then(|| Piece::Var {
                    key: key.to_ascii_lowercase(),
                    display: key.to_string(),
                    default,
                })
            }
        };
        if let Some(p) = piece {
            any = true;
            buf.push_str(&rest[..at]);
            if !buf.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut buf)));
            }
            pieces.push(p);
            rest = &after[close + 1..];
        } else {
            buf.push_str(&rest[..at + 2]);
            rest = after;
        }
    }
    if !any {
        return None;
    }
    buf.push_str(rest);
    if !buf.is_empty() {
        pieces.push(Piece::Text(buf));
    }
    Some(pieces)
}

/// Resolve pieces into glob tokens; `None` when a variable has no value and no default (the entry then
/// matches nothing, §2.4). Unresolved keys are reported through `missing`.
pub fn resolve_tokens(pieces: &[Piece], ci: bool, vars: &dyn Vars, missing: &mut dyn FnMut(&str)) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut ok = true;
    for p in pieces {
        match p {
            Piece::Text(t) => tokens_into(t, ci, &mut out),
            Piece::Literal(t) => literal_into(t, ci, &mut out),
            Piece::Var { key, display, default } => {
                // Substituted text is literal: a `*` inside a tag value is not a wildcard (⚙IMPL §2.1).
                if let Some(v) = vars.single(key).or(default.as_deref()) {
                    literal_into(v, ci, &mut out);
                } else {
                    missing(display);
                    ok = false;
                }
            }
        }
    }
    ok.then_some(out)
}

/// Resolve pieces into a plain string (for exact-match operators); `None` if unresolved.
pub fn resolve_string(pieces: &[Piece], vars: &dyn Vars, missing: &mut dyn FnMut(&str)) -> Option<String> {
    let mut out = String::new();
    let mut ok = true;
    for p in pieces {
        match p {
            Piece::Text(t) | Piece::Literal(t) => out.push_str(t),
            Piece::Var { key, display, default } => {
                if let Some(v) = vars.single(key).or(default.as_deref()) {
                    out.push_str(v);
                } else {
                    missing(display);
                    ok = false;
                }
            }
        }
    }
    ok.then_some(out)
}

/// A compiled action or resource pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// `*`
    Any,
    /// No wildcard: exact (case-folded when `ci`).
    Exact(Box<str>),
    /// `prefix*` with no other wildcard.
    Prefix(Box<str>),
    /// A general glob.
    Glob(Box<[Tok]>),
    /// Contains policy variables, resolved per request.
    Template(Box<[Piece]>),
}

impl Pattern {
    /// Compile `text`. `ci` folds ASCII case (actions); `vars` enables policy variables (Version
    /// `2012-10-17`); `var_from` is the byte offset where variables become legal (after the fifth colon of
    /// a resource ARN, §2.4; 0 for condition values).
    pub fn compile(text: &str, ci: bool, vars: bool, var_from: usize) -> Pattern {
        if vars
            && var_from <= text.len()
            && text.is_char_boundary(var_from)
            && let Some(mut pieces) = parse_template(&text[var_from..])
        {
            if var_from > 0 {
                pieces.insert(0, Piece::Text(text[..var_from].to_string()));
            }
            return Pattern::Template(pieces.into_boxed_slice());
        }
        if text == "*" {
            return Pattern::Any;
        }
        let folded = if ci { text.to_ascii_lowercase() } else { text.to_string() };
        let wild = |c: char| c == '*' || c == '?';
        if !text.contains(wild) {
            return Pattern::Exact(folded.into());
        }
        if let Some(prefix) = folded.strip_suffix('*')
            && !prefix.contains(wild)
        {
            return Pattern::Prefix(prefix.into());
        }
        let mut toks = Vec::with_capacity(text.len());
        tokens_into(text, ci, &mut toks);
        Pattern::Glob(toks.into_boxed_slice())
    }

    /// Does the pattern match `text`? `None` means "an unresolvable variable": the entry matches nothing.
    pub fn matches(&self, text: &str, ci: bool, vars: &dyn Vars, missing: &mut dyn FnMut(&str)) -> Option<bool> {
        Some(match self {
            Pattern::Any => true,
            Pattern::Exact(e) => {
                if ci {
                    e.len() == text.len() && text.eq_ignore_ascii_case(e)
                } else {
                    **e == *text
                }
            }
            Pattern::Prefix(p) => {
                text.len() >= p.len()
                    && text.is_char_boundary(p.len())
                    && if ci { text[..p.len()].eq_ignore_ascii_case(p) } else { text.starts_with(&**p) }
            }
            Pattern::Glob(t) => glob_tokens(t, text, ci),
            Pattern::Template(pieces) => glob_tokens(&resolve_tokens(pieces, ci, vars, missing)?, text, ci),
        })
    }
}

impl Pattern {
    /// Match a `Resource`/`NotResource` entry against a resource ARN with the segment rule of the IAM
    /// documentation: a `*` that ends a colon-separated segment (followed by `:` or the end of the entry)
    /// may run across colons; any other `*` stays inside its segment. `None` as for [`Pattern::matches`].
    pub fn matches_resource(&self, text: &str, vars: &dyn Vars, missing: &mut dyn FnMut(&str)) -> Option<bool> {
        match self {
            Pattern::Glob(t) => Some(glob_segments(t, text)),
            Pattern::Template(pieces) => Some(glob_segments(&resolve_tokens(pieces, false, vars, missing)?, text)),
            _ => self.matches(text, false, vars, missing),
        }
    }
}

/// Whether the `*` at `i` is inside a segment: something other than `:` follows it.
fn inner_star(p: &[Tok], i: usize) -> bool {
    p[i] == Tok::Star && p.get(i + 1).is_some_and(|t| *t != Tok::Lit(':'))
}

/// [`glob_tokens`] where a `*` followed by anything but `:` cannot match a `:` (case-sensitive). Patterns
/// without such a star take the two-pointer glob; the others a row-by-row table, O(|p|·|t|).
pub fn glob_segments(p: &[Tok], t: &str) -> bool {
    if !(0..p.len()).any(|i| inner_star(p, i)) {
        return glob_tokens(p, t, false);
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

/// Byte offset just after the fifth `:` of an ARN, or the length when there are fewer.
pub fn after_fifth_colon(arn: &str) -> usize {
    arn.match_indices(':').nth(4).map_or(arn.len(), |(i, _)| i + 1)
}

/// Split at the first five colons into six parts (the sixth may contain `:`); `None` for fewer parts.
pub fn arn_parts(s: &str) -> Option<[&str; 6]> {
    let mut it = s.splitn(6, ':');
    let parts = [it.next()?, it.next()?, it.next()?, it.next()?, it.next()?, it.next()?];
    Some(parts)
}

/// Per-segment ARN glob of `ArnLike` (§3.2): both sides split at their first five colons into six
/// parts (the sixth may contain `:`), equal arity required, then each part globbed case-sensitively.
pub fn arn_like(pattern: &[Tok], value: &str) -> bool {
    let Some(vparts) = arn_parts(value) else { return false };
    let mut cuts = [0usize; 5];
    let mut n = 0;
    for (i, t) in pattern.iter().enumerate() {
        if n < 5 && *t == Tok::Lit(':') {
            cuts[n] = i;
            n += 1;
        }
    }
    if n < 5 {
        return false;
    }
    let mut from = 0;
    for (i, v) in vparts.iter().enumerate() {
        let to = if i < 5 { cuts[i] } else { pattern.len() };
        if !glob_tokens(&pattern[from..to], v, false) {
            return false;
        }
        from = to + 1;
    }
    true
}

/// Tokenize a plain string (no variables) with wildcards, case-sensitively.
pub fn tokens(text: &str) -> Vec<Tok> {
    let mut v = Vec::with_capacity(text.len());
    tokens_into(text, false, &mut v);
    v
}

/// Tokenize a plain string as literal characters.
pub fn literal_tokens(text: &str) -> Vec<Tok> {
    let mut v = Vec::with_capacity(text.len());
    literal_into(text, false, &mut v);
    v
}

/// How a resource-policy `Principal` matched the request principal; decides which other layers still
/// gate the request (§4.3). Ordered from "needs the most" to "needs the least".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    /// The account (`123456789012` or `arn:aws:iam::123456789012:root`): delegation, the identity
    /// policy must allow too.
    Account,
    /// `"*"`: no identity permission needed for same-account principals; boundary and session gate (⚙IMPL).
    Star,
    /// The role ARN, matching a session of that role: boundary and session gate.
    Role,
    /// `"*"` with an `aws:PrincipalArn` condition: only explicit denies gate.
    StarWithPrincipalArn,
    /// The exact user, session, federated user, service, provider or canonical user.
    Named,
}

impl PrincipalMatch {
    /// Whether the permissions boundary and session policy still gate a same-account grant (§4.3).
    pub fn gated(self) -> bool {
        matches!(self, PrincipalMatch::Star | PrincipalMatch::Role)
    }
}

/// A compiled `Principal` / `NotPrincipal` value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrincipalSet {
    /// `"*"` or `{"AWS":"*"}`.
    pub star: bool,
    /// Account IDs (from `123456789012` or `arn:...:iam::123456789012:root`).
    pub accounts: Vec<String>,
    /// Other AWS ARNs (users, roles, sessions, federated users), exact.
    pub arns: Vec<String>,
    /// Service principals, lowercased.
    pub services: Vec<String>,
    /// Federated providers (exact).
    pub federated: Vec<String>,
    /// Canonical user IDs.
    pub canonical: Vec<String>,
}

/// The account ID of an account-form AWS principal value, if it is one.
pub fn account_of_principal_value(v: &str) -> Option<&str> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(v);
    }
    let p = arn_parts(v)?;
    (p[0] == "arn" && p[2] == "iam" && p[5] == "root" && !p[4].is_empty()).then_some(p[4])
}

impl PrincipalSet {
    /// Add a `(type, value)` pair from the policy.
    pub fn add(&mut self, kind: &str, value: &str) {
        match kind {
            "AWS" | "Service" if value == "*" => self.star = true,
            "AWS" => match account_of_principal_value(value) {
                Some(a) => self.accounts.push(a.to_string()),
                None => self.arns.push(value.to_string()),
            },
            "Service" => self.services.push(value.to_ascii_lowercase()),
            "Federated" => self.federated.push(value.to_string()),
            "CanonicalUser" => self.canonical.push(value.to_string()),
            _ => {}
        }
    }

    /// The strongest way this set names the request principal (§1.3, §4.3). A wildcard never
    /// matches part of a principal (`arn:aws:iam::1:user/*` matches nobody) because comparison is exact.
    pub fn matches(&self, p: &RequestPrincipal, principal_arn_condition: bool) -> Option<PrincipalMatch> {
        let mut best: Option<PrincipalMatch> = None;
        let mut see = |m: PrincipalMatch| best = best.max(Some(m));
        if self.star {
            see(if principal_arn_condition { PrincipalMatch::StarWithPrincipalArn } else { PrincipalMatch::Star });
        }
        match p.kind {
            PrincipalKind::Service => {
                if self.services.iter().any(|s| s.eq_ignore_ascii_case(&p.arn)) {
                    see(PrincipalMatch::Named);
                }
            }
            PrincipalKind::WebIdentity | PrincipalKind::Saml => {
                if self.federated.contains(&p.arn) {
                    see(PrincipalMatch::Named);
                }
            }
            PrincipalKind::CanonicalUser => {
                if self.canonical.contains(&p.arn) {
                    see(PrincipalMatch::Named);
                }
            }
            PrincipalKind::Anonymous => {}
            PrincipalKind::User
            | PrincipalKind::Role
            | PrincipalKind::AssumedRole
            | PrincipalKind::FederatedUser
            | PrincipalKind::Root => {
                if self.accounts.contains(&p.account) {
                    see(PrincipalMatch::Account);
                }
                for a in &self.arns {
                    if *a == p.arn {
                        // A role ARN naming the role itself (a simulation of "the role") gates like a session.
                        see(if p.kind == PrincipalKind::Role { PrincipalMatch::Role } else { PrincipalMatch::Named });
                    } else if p.role_arn.as_deref() == Some(a.as_str()) {
                        see(PrincipalMatch::Role);
                    }
                    // The IAM user that called GetFederationToken is another principal than its
                    // federated-user session: naming the user does not name the session.
                }
            }
        }
        best
    }

    /// For `NotPrincipal` (⚙IMPL, conservative, §4.5): is *every* identity in the caller's chain
    /// (account, role, session or user) listed? Only then is the caller exempt from the Deny.
    pub fn lists_whole_chain(&self, p: &RequestPrincipal) -> bool {
        if self.star {
            return true;
        }
        match p.kind {
            PrincipalKind::Service => self.services.iter().any(|s| s.eq_ignore_ascii_case(&p.arn)),
            PrincipalKind::WebIdentity | PrincipalKind::Saml => self.federated.contains(&p.arn),
            PrincipalKind::CanonicalUser => self.canonical.contains(&p.arn),
            PrincipalKind::Anonymous => false,
            _ => {
                let account = self.accounts.contains(&p.account);
                let own = p.kind == PrincipalKind::Root || self.arns.contains(&p.arn);
                let role = p.role_arn.as_ref().is_none_or(|r| self.arns.contains(r));
                account && own && role
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoVars;
    impl Vars for NoVars {
        fn single(&self, _: &str) -> Option<&str> {
            None
        }
    }

    #[test]
    fn glob_basics() {
        assert!(glob("s3:Get*", "s3:GetObject", false));
        assert!(glob("iam:*AccessKey*", "iam:createaccesskey", true));
        assert!(!glob("iam:*AccessKey*", "iam:createaccesskey", false));
        assert!(glob("a?c", "abc", false));
        assert!(!glob("a?c", "ac", false));
        assert!(glob("*", "", false));
        assert!(glob("a*b*c", "a-b-x-c", false));
        assert!(glob("é?", "éè", false));
    }

    #[test]
    fn glob_is_not_exponential() {
        let text = "a".repeat(5000);
        let pat = format!("{}b", "*a".repeat(200));
        let start = std::time::Instant::now();
        assert!(!glob(&pat, &text, false));
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn templates() {
        let p = parse_template("arn:aws:s3:::b/${aws:username}/${*}x").unwrap();
        assert_eq!(p.len(), 5);
        assert!(matches!(&p[1], Piece::Var { key, .. } if key == "aws:username"));
        let d = parse_template("x-${aws:PrincipalTag/team, 'company-wide'}").unwrap();
        assert!(matches!(&d[1], Piece::Var { default: Some(v), .. } if v == "company-wide"));
        assert!(parse_template("${foo").is_none());
        assert!(parse_template("${}").is_none());
        let pat = Pattern::compile("arn:aws:s3:::b/${aws:username}", false, true, 0);
        assert_eq!(pat.matches("arn:aws:s3:::b/x", false, &NoVars, &mut |_| {}), None);
    }

    #[test]
    fn resource_stars_and_colons() {
        let m = |p: &str, t: &str| glob_segments(&tokens(p), t);
        // A `*` inside a segment stays there; one that ends a segment may run across colons.
        assert!(!m("arn:aws:lambda:us-east-1:1:function:*-fn", "arn:aws:lambda:us-east-1:1:function:app:blue-fn"));
        assert!(m("arn:aws:lambda:us-east-1:1:function:*-fn", "arn:aws:lambda:us-east-1:1:function:blue-fn"));
        assert!(m("arn:aws:lambda:us-east-1:1:function:*", "arn:aws:lambda:us-east-1:1:function:app:blue-fn"));
        assert!(m("arn:aws:lambda:*:1:function:*:blue-fn", "arn:aws:lambda:us-east-1:1:function:app:blue-fn"));
        assert!(m("arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test/3/x.jpg"));
        assert!(m("*:a*b", "x:y:acb"));
        assert!(!m("*:a*b", "x:y:ac:b"));
    }

    #[test]
    fn arn_like_per_segment() {
        let p = tokens("arn:aws:someservice:*:111122223333:finance/*");
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!arn_like(&p, v));
        assert!(glob("arn:aws:someservice:*:111122223333:finance/*", v, false));
        assert!(arn_like(&p, "arn:aws:someservice:us-east-2:111122223333:finance/x:y"));
    }
}
