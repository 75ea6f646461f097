//! Matching primitives: the iterative glob (spec §2.1), action and resource patterns (§2.2, §2.3),
//! policy variables (§2.4) and principals (§1.3).
//!
//! The glob itself and the ARN splitter live in [`crate::semantics`]; this module compiles policy
//! patterns (exact, prefix, glob, template) on top of them.

use super::context::{PrincipalKind, RequestPrincipal};
use crate::semantics::{Arn, has_wildcard};

pub use crate::semantics::wildcard::{Tok, tokens};
use crate::semantics::wildcard::{literal_into, matches_segments, matches_tokens, tokens_into};

/// `glob(pattern, text, ci)` of spec §2.1 on plain text (no policy variables): the semantics core's
/// wildcard matcher, ASCII case-insensitive when `ci`.
pub use crate::semantics::wildcard::matches as glob;

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
        if !has_wildcard(text) {
            return Pattern::Exact(folded.into());
        }
        if let Some(prefix) = folded.strip_suffix('*')
            && !has_wildcard(prefix)
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
            Pattern::Glob(t) => matches_tokens(t, text, ci),
            Pattern::Template(pieces) => matches_tokens(&resolve_tokens(pieces, ci, vars, missing)?, text, ci),
        })
    }
}

impl Pattern {
    /// Match a `Resource`/`NotResource` entry against a resource ARN with the segment rule of the IAM
    /// documentation: a `*` that ends a colon-separated segment (followed by `:` or the end of the entry)
    /// may run across colons; any other `*` stays inside its segment. `None` as for [`Pattern::matches`].
    pub fn matches_resource(&self, text: &str, vars: &dyn Vars, missing: &mut dyn FnMut(&str)) -> Option<bool> {
        match self {
            Pattern::Glob(t) => Some(matches_segments(t, text)),
            Pattern::Template(pieces) => Some(matches_segments(&resolve_tokens(pieces, false, vars, missing)?, text)),
            _ => self.matches(text, false, vars, missing),
        }
    }
}

/// The six fields of an ARN-shaped string ([`Arn::split`]), as an array.
pub fn arn_parts(s: &str) -> Option<[&str; 6]> {
    Arn::split(s).map(|a| a.fields())
}

/// Per-segment ARN glob of `ArnLike` (spec §3.2): both sides split at their first five colons into six
/// parts (the sixth may contain `:`), equal arity required, then each part globbed case-sensitively.
pub fn arn_like(pattern: &[Tok], value: &str) -> bool {
    let Some(vparts) = Arn::split(value).map(|a| a.fields()) else { return false };
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
        if !matches_tokens(&pattern[from..to], v, false) {
            return false;
        }
        from = to + 1;
    }
    true
}

/// How a resource-policy `Principal` matched the request principal; decides which other layers still
/// gate the request (spec §4.3). Ordered from "needs the most" to "needs the least".
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
    if crate::semantics::arn::is_account_id(v) {
        return Some(v);
    }
    let p = Arn::parse(v)?;
    (p.service == "iam" && p.resource == "root" && !p.account.is_empty()).then_some(p.account)
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

    /// The strongest way this set names the request principal (spec §1.3, §4.3). A wildcard never
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

    /// For `NotPrincipal` (⚙IMPL, conservative, spec §4.5): is *every* identity in the caller's chain
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
    fn arn_like_per_segment() {
        let p = tokens("arn:aws:someservice:*:111122223333:finance/*", false);
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
        assert!(!arn_like(&p, v));
        assert!(glob("arn:aws:someservice:*:111122223333:finance/*", v, false));
        assert!(arn_like(&p, "arn:aws:someservice:us-east-2:111122223333:finance/x:y"));
    }
}
