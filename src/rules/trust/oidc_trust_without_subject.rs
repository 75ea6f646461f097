//! S105 oidc-trust-without-subject. The docs are in rules/S105.toml.
//!
//! Each federated grant is evaluated for strangers of the identity provider: tokens whose identifying
//! claims (`sub`, `repository`, ...) are absent or a stranger's, with the audience as the caller likes
//! (GitHub, EKS, other OIDC); then a stranger of the same GitHub organization or EKS namespace; then
//! tokens for another audience. Cognito grants are evaluated for another identity pool and for
//! unauthenticated identities, SAML grants for assertions meant for another recipient.
use super::{example_details, when};
use crate::finding::Severity;
use crate::model::Policy;
use crate::parse::Span;
use crate::rules::{Check, Cx};
use crate::trust::keys::{OTHER_VALUE, controllable};
use crate::trust::probe::{Domain, KeyValue, Outcome, Run};
use crate::trust::{Analysis, Grant, Mode, Who};

pub(crate) struct OidcTrustWithoutSubject;

const GITHUB: &str = "token.actions.githubusercontent.com";
const COGNITO: &str = "cognito-identity.amazonaws.com";
const PUBLIC_IDPS: &[&str] = &["accounts.google.com", "graph.facebook.com", "www.amazon.com"];

#[expect(clippy::unnecessary_wraps, reason = "a present context value, next to `None` for absent")]
fn one(s: impl Into<String>) -> KeyValue {
    Some(vec![s.into()])
}

/// How claims that a profile does not fix are treated.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rest {
    /// Absent or a stranger's value.
    Outsider,
    /// Any value, the policy's own included.
    Free,
}

/// A probe profile: fixed candidates for some claims of `host`, the rest per `rest`; `free` claims are
/// always controllable.
struct Profile<'a> {
    fixed: Vec<(&'a str, Vec<KeyValue>)>,
    free: &'a [&'a str],
    rest: Rest,
}

fn claim<'k>(key: &'k str, host: &str) -> Option<&'k str> {
    let (h, c) = key.rsplit_once(':')?;
    h.eq_ignore_ascii_case(host).then_some(c)
}

fn run_profile(a: &Analysis<'_>, g: &Grant<'_>, host: &str, profile: &Profile<'_>) -> Option<(Outcome, usize)> {
    let mut overrides = Vec::new();
    for k in &a.keys {
        let Some(c) = claim(&k.key, host) else { continue };
        if let Some((_, vals)) = profile.fixed.iter().find(|(f, _)| f.eq_ignore_ascii_case(c)) {
            overrides.push(Domain::new(&k.key, vals.clone()));
        } else if profile.free.iter().any(|f| f.eq_ignore_ascii_case(c)) || profile.rest == Rest::Free {
            overrides.push(controllable(k));
        } else {
            overrides.push(Domain::new(&k.key, vec![None, one(OTHER_VALUE)]));
        }
    }
    let idx = g.stmt.index;
    a.callers(g, false).into_iter().find_map(|caller| {
        let outcome = a.probe(g, caller, a.domains(Mode::Insider, overrides.clone()));
        let run = outcome.witness_for(idx).and_then(|w| outcome.runs.iter().position(|r| std::ptr::eq(r, w)))?;
        Some((outcome, run))
    })
}

fn has_claim(a: &Analysis<'_>, host: &str, c: &str) -> bool {
    a.keys.iter().any(|k| claim(&k.key, host).is_some_and(|x| x.eq_ignore_ascii_case(c)))
}

fn claim_values(a: &Analysis<'_>, host: &str, c: &str) -> Vec<String> {
    a.keys
        .iter()
        .filter(|k| claim(&k.key, host).is_some_and(|x| x.eq_ignore_ascii_case(c)))
        .flat_map(|k| k.values.clone())
        .collect()
}

/// The claim entry to point a label at.
fn claim_span(g: &Grant<'_>, host: &str, c: &str) -> Option<Span> {
    g.stmt
        .condition
        .as_ref()?
        .entries()
        .find(|(_, e)| claim(&e.key.value, host).is_some_and(|x| x.eq_ignore_ascii_case(c)))
        .map(|(_, e)| e.key.span)
}

struct Verdict {
    severity: Option<Severity>,
    message: String,
    help: String,
    label: Option<(Span, &'static str)>,
    outcome: Outcome,
    run: usize,
}

fn shown_claim(o: &Outcome, r: &Run, key_suffix: &str) -> Option<String> {
    o.probe.domains.iter().enumerate().find_map(|(i, d)| {
        let c = d.key.rsplit_once(':').map(|(_, c)| c)?;
        if !c.eq_ignore_ascii_case(key_suffix) {
            return None;
        }
        match o.value(r, i) {
            Some(Some(v)) => v.first().cloned(),
            _ => None,
        }
    })
}

fn prefixed_names(values: &[String], prefix: &str, sep: char) -> Vec<String> {
    let mut out: Vec<String> = values
        .iter()
        .filter_map(|v| v.strip_prefix(prefix))
        .filter_map(|rest| rest.split(sep).next())
        .filter(|n| !n.is_empty() && !n.contains(['*', '?', '$']))
        .map(str::to_string)
        .collect();
    out.dedup();
    out
}

/// GitHub Actions or EKS: subject first, then organization/namespace, then audience.
fn subject_checks(a: &Analysis<'_>, g: &Grant<'_>, host: &str, github: bool) -> Option<Verdict> {
    let sub_key = format!("{host}:sub");
    let action = a.action(g);
    let (stranger_sub, what_any, example_sub) = if github {
        (
            "repo:iamlint-other-org/iamlint-repo:ref:refs/heads/main",
            "a workflow in any GitHub repository",
            "repo:<org>/<repo>:ref:refs/heads/main",
        )
    } else {
        (
            "system:serviceaccount:iamlint-other:iamlint-sa",
            "any service account of the cluster",
            "system:serviceaccount:<namespace>:<service-account>",
        )
    };
    let help_sub = format!("add `\"StringEquals\": {{\"{sub_key}\": \"{example_sub}\"}}`");
    // 1. A stranger of the provider.
    let mut fixed: Vec<(&str, Vec<KeyValue>)> = vec![("sub", vec![None, one(stranger_sub)])];
    if github {
        fixed.push(("repository", vec![None, one("iamlint-other-org/iamlint-repo")]));
        fixed.push(("repository_owner", vec![None, one("iamlint-other-org")]));
    }
    let p1 = Profile { fixed, free: &["aud"], rest: Rest::Outsider };
    if let Some((o, run)) = run_profile(a, g, host, &p1) {
        let message = match shown_claim(&o, &o.runs[run], "sub") {
            _ if !has_claim(a, host, "sub") => {
                format!("no `{sub_key}` condition: {what_any} is allowed to `{action}`{}", when(&o, &o.runs[run]))
            }
            Some(s) => format!("the `{sub_key}` condition does not pin the subject: `{s}` is allowed to `{action}`"),
            None => format!(
                "the `{sub_key}` condition passes without a subject: a token with no `sub` is allowed to `{action}`"
            ),
        };
        return Some(Verdict {
            severity: None,
            message,
            help: help_sub,
            label: claim_span(g, host, "sub").map(|s| (s, "does not pin the subject")),
            outcome: o,
            run,
        });
    }
    // 2. Another repository of the same organization, another service account of the same namespace.
    let subs = claim_values(a, host, "sub");
    let groups = if github {
        let mut v = prefixed_names(&subs, "repo:", '/');
        v.extend(claim_values(a, host, "repository_owner").into_iter().filter(|o| !crate::semantics::has_wildcard(o)));
        v
    } else {
        prefixed_names(&subs, "system:serviceaccount:", ':')
    };
    for grp in groups {
        let (sub, fixed): (String, Vec<(&str, Vec<KeyValue>)>) = if github {
            let sub = format!("repo:{grp}/iamlint-other-repo:ref:refs/heads/main");
            let fixed = vec![
                ("sub", vec![one(sub.clone())]),
                ("repository", vec![one(format!("{grp}/iamlint-other-repo"))]),
                ("repository_owner", vec![one(grp.clone())]),
            ];
            (sub, fixed)
        } else {
            let sub = format!("system:serviceaccount:{grp}:iamlint-other-sa");
            (sub.clone(), vec![("sub", vec![one(sub)])])
        };
        let p2 = Profile { fixed, free: &["aud"], rest: Rest::Outsider };
        if let Some((o, run)) = run_profile(a, g, host, &p2) {
            let scope = if github {
                format!("every repository of `{grp}`")
            } else {
                format!("every service account of namespace `{grp}`")
            };
            return Some(Verdict {
                severity: Some(Severity::Warning),
                message: format!("the `{sub_key}` condition matches {scope}: `{sub}` is allowed to `{action}`"),
                help: format!("{help_sub}, naming one repository and branch or environment"),
                label: claim_span(g, host, "sub").map(|s| (s, "matches too much")),
                outcome: o,
                run,
            });
        }
    }
    // 3. Tokens for another audience.
    audience_check(a, g, host, "aud", "sts.amazonaws.com")
}

fn audience_check(a: &Analysis<'_>, g: &Grant<'_>, host: &str, aud: &str, expected: &str) -> Option<Verdict> {
    let p3 = Profile { fixed: vec![(aud, vec![None, one(OTHER_VALUE)])], free: &[], rest: Rest::Free };
    let (o, run) = run_profile(a, g, host, &p3)?;
    let key = if host == "saml" { format!("SAML:{aud}") } else { format!("{host}:{aud}") };
    Some(Verdict {
        severity: Some(Severity::Warning),
        message: format!("no `{key}` condition: tokens issued for any audience are allowed to `{}`", o.probe.action),
        help: format!("add `\"StringEquals\": {{\"{key}\": \"{expected}\"}}`"),
        label: None,
        outcome: o,
        run,
    })
}

fn generic_checks(a: &Analysis<'_>, g: &Grant<'_>, host: &str) -> Option<Verdict> {
    let action = a.action(g);
    let p1 = Profile { fixed: Vec::new(), free: &[], rest: Rest::Outsider };
    if let Some((o, run)) = run_profile(a, g, host, &p1) {
        return Some(Verdict {
            severity: None,
            message: format!(
                "no condition on the claims of `{host}`: any identity of the provider, for any client, is allowed to `{action}`"
            ),
            help: format!("add `\"StringEquals\": {{\"{host}:aud\": \"<client ID>\", \"{host}:sub\": \"<subject>\"}}`"),
            label: None,
            outcome: o,
            run,
        });
    }
    if PUBLIC_IDPS.iter().any(|p| p.eq_ignore_ascii_case(host)) {
        return None;
    }
    let p2 = Profile { fixed: vec![("sub", vec![None, one(OTHER_VALUE)])], free: &[], rest: Rest::Free };
    let (o, run) = run_profile(a, g, host, &p2)?;
    Some(Verdict {
        severity: None,
        message: format!(
            "no `{host}:sub` condition: any subject the provider issues tokens for is allowed to `{action}`"
        ),
        help: format!("add `\"StringEquals\": {{\"{host}:sub\": \"<subject>\"}}`"),
        label: None,
        outcome: o,
        run,
    })
}

fn cognito_checks(a: &Analysis<'_>, g: &Grant<'_>) -> Option<Verdict> {
    let action = a.action(g);
    let authenticated = || Some(vec!["authenticated".to_string(), COGNITO.to_string()]);
    let unauthenticated = || one("unauthenticated");
    let p1 = Profile {
        fixed: vec![
            ("aud", vec![None, one("us-east-1:00000000-0000-0000-0000-000000000000")]),
            ("amr", vec![None, authenticated(), unauthenticated()]),
        ],
        free: &[],
        rest: Rest::Outsider,
    };
    if let Some((o, run)) = run_profile(a, g, COGNITO, &p1) {
        return Some(Verdict {
            severity: None,
            message: format!("no `{COGNITO}:aud` condition: identities of any identity pool are allowed to `{action}`"),
            help: format!("add `\"StringEquals\": {{\"{COGNITO}:aud\": \"<region>:<identity pool ID>\"}}`"),
            label: None,
            outcome: o,
            run,
        });
    }
    let auth = Profile { fixed: vec![("amr", vec![authenticated()])], free: &[], rest: Rest::Free };
    let unauth = Profile { fixed: vec![("amr", vec![unauthenticated()])], free: &[], rest: Rest::Free };
    let (o, run) = run_profile(a, g, COGNITO, &unauth)?;
    run_profile(a, g, COGNITO, &auth)?;
    Some(Verdict {
        severity: Some(Severity::Warning),
        message: format!(
            "no `{COGNITO}:amr` condition: both authenticated and unauthenticated identities are allowed to `{action}`"
        ),
        help: format!("add `\"ForAnyValue:StringLike\": {{\"{COGNITO}:amr\": \"authenticated\"}}`"),
        label: None,
        outcome: o,
        run,
    })
}

impl Check for OidcTrustWithoutSubject {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        let Some(a) = cx.model.trust(cx.source, policy) else { return };
        // Only a role trust policy can admit a token; a `Federated` principal elsewhere is E026.
        if !a.is_trust() {
            return;
        }
        for g in &a.grants {
            let verdict = match &g.who {
                Who::GitHub => subject_checks(&a, g, GITHUB, true),
                Who::Eks(host) => subject_checks(&a, g, host, false),
                Who::Oidc(host) => generic_checks(&a, g, host),
                Who::Cognito => cognito_checks(&a, g),
                Who::Saml => audience_check(&a, g, "saml", "aud", "https://signin.aws.amazon.com/saml"),
                _ => None,
            };
            let Some(v) = verdict else { continue };
            let run = &v.outcome.runs[v.run];
            let mut r = cx.report(g.value.span, v.message);
            r.help(v.help).details(example_details(&v.outcome, run));
            if let Some(s) = v.severity {
                r.severity(s);
            }
            match (v.label, &g.stmt.condition) {
                (Some((span, text)), _) => {
                    r.label(span, text);
                }
                (None, Some(c)) => {
                    r.label(c.key_span, "no condition here pins the caller");
                }
                (None, None) => {}
            }
        }
    }
}
