//! Building requests for the evaluator: the base context every request carries, sample resources
//! drawn from policy patterns and ARN formats, and witness values that make a condition hold (or fail).

use crate::catalog::arn::SampleArns;
use crate::catalog::{self, ActionRef};
use crate::eval::condition::{CompiledCondition, Family, PolicyValue};
use crate::eval::matcher::{Pattern, Piece, Tok, parse_template};
use crate::eval::{Context, Request, RequestPrincipal};
use crate::model::SetQualifier;
use crate::semantics::{Arn, has_wildcard};

pub use crate::catalog::arn::SAMPLE_NAME as ANY;
pub use crate::catalog::arn::fill_format;

/// Seconds since the epoch, used for `aws:CurrentTime` and `aws:TokenIssueTime`.
fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Keys the analysis never invents: they describe the caller or the clock, not a choice.
pub fn fixed_key(key_lower: &str) -> bool {
    matches!(
        key_lower,
        "aws:currenttime"
            | "aws:epochtime"
            | "aws:tokenissuetime"
            | "aws:principalarn"
            | "aws:principalaccount"
            | "aws:principaltype"
            | "aws:username"
            | "aws:userid"
    )
}

/// Keys that describe one session of a legitimate caller (MFA, network, transport): a grant that
/// needs them holds for some sessions, which is enough for an attacker holding such a session.
pub fn session_key(key_lower: &str) -> bool {
    matches!(
        key_lower,
        "aws:multifactorauthpresent"
            | "aws:multifactorauthage"
            | "aws:sourceip"
            | "aws:sourcevpc"
            | "aws:sourcevpce"
            | "aws:vpcsourceip"
            | "aws:securetransport"
            | "aws:viaawsservice"
            | "aws:calledvia"
            | "aws:calledviafirst"
            | "aws:calledvialast"
            | "aws:sourceidentity"
            | "aws:requestedregion"
    )
}

/// Keys the caller sets through request parameters (tags it sends, the service it passes a role to,
/// the policy it attaches, ...), as opposed to facts about resources and the environment.
pub fn request_key(key_lower: &str) -> bool {
    if let Some(rest) = key_lower.strip_prefix("aws:") {
        return rest.starts_with("requesttag/") || rest == "tagkeys" || rest == "requestedregion";
    }
    !(key_lower.contains("resourcetag")
        || key_lower.contains("existingobjecttag")
        || key_lower.contains("principaltag"))
}

/// A resource-tag key (`aws:ResourceTag/team`, `ssm:resourceTag/team`): the tag name.
pub fn resource_tag(key: &str) -> Option<&str> {
    let (_, rest) = key.split_once(':')?;
    let (head, tag) = rest.split_once('/')?;
    head.eq_ignore_ascii_case("resourcetag").then_some(tag)
}

/// Whether `action` can carry `key` in its request: listed on the action or its resource types.
/// Templated catalog names (`aws:RequestTag/${TagKey}`) match any tag.
pub fn action_supports(action: Option<ActionRef<'_>>, key_lower: &str) -> bool {
    let Some(a) = action else { return true };
    let fits = |k: &str| {
        let k = k.to_ascii_lowercase();
        match k.find("${") {
            Some(i) => key_lower.starts_with(&k[..i]),
            None => k == key_lower,
        }
    };
    a.condition_keys().iter().any(&fits) || a.resource_types().any(|r| r.condition_keys().any(fits))
}

/// A request from `principal` with the base context: the clock, TLS, a region, no AWS-service hop.
///
/// The analysis builds thousands of these for one principal: the last base request of each thread is
/// kept (for the same principal and second) and copied, with the action and resource put in.
pub fn base_request(principal: &RequestPrincipal, action: &str, resource: &str) -> Request {
    with_base_request(principal, action, resource, |r| r.clone())
}

thread_local! {
    /// The last base request of this thread, with the second it was built for.
    static LAST_BASE: std::cell::RefCell<Option<(i64, Request)>> = const { std::cell::RefCell::new(None) };
}

/// Call `f` with [`base_request`]`(principal, action, resource)` lent, not copied: the thread's
/// remembered request with the action and resource put in. Keys `f` sets or removes are dropped
/// afterwards. Called again from inside `f`, it lends a fresh request instead.
pub fn with_base_request<T>(
    principal: &RequestPrincipal,
    action: &str,
    resource: &str,
    f: impl FnOnce(&mut Request) -> T,
) -> T {
    let now = now_secs();
    LAST_BASE.with(|last| {
        let Ok(mut last) = last.try_borrow_mut() else {
            let mut r = fresh_base_request(principal, now, action, resource);
            return f(&mut r);
        };
        if last.as_ref().is_some_and(|(t, r)| *t != now || r.principal != *principal) {
            *last = None;
        }
        let (_, r) = last.get_or_insert_with(|| {
            let mut r = fresh_base_request(principal, now, "", "*");
            // Every copy shares the keys; a copy sets its few own on top.
            r.context.share();
            (now, r)
        });
        r.action.clear();
        r.action.push_str(action);
        r.resource.clear();
        r.resource.push_str(resource);
        r.resource_account = Request::resource_account_of(resource);
        let out = f(r);
        r.context.clear_own();
        out
    })
}

/// [`base_request`] built from scratch at time `now`.
fn fresh_base_request(principal: &RequestPrincipal, now: i64, action: &str, resource: &str) -> Request {
    let mut r = Request::new(principal.clone(), action, resource);
    let c: &mut Context = &mut r.context;
    c.insert("aws:CurrentTime", vec![now.to_string()]);
    c.insert("aws:EpochTime", vec![now.to_string()]);
    c.insert("aws:TokenIssueTime", vec![(now - 3600).to_string()]);
    c.insert("aws:SecureTransport", vec!["true".into()]);
    c.insert("aws:RequestedRegion", vec!["us-east-1".into()]);
    c.insert("aws:ViaAWSService", vec!["false".into()]);
    c.insert("aws:PrincipalIsAWSService", vec!["false".into()]);
    r
}

/// A pattern back as policy text (`*`/`?` kept, variables as `${key}`).
pub fn pattern_text(p: &Pattern) -> String {
    match p {
        Pattern::Any => "*".into(),
        Pattern::Exact(s) => s.to_string(),
        Pattern::Prefix(s) => format!("{s}*"),
        Pattern::Glob(t) => crate::semantics::wildcard::text_of(t),
        Pattern::Template(pieces) => pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Literal(t) => t.clone(),
                Piece::Var { display, .. } => format!("${{{display}}}"),
            })
            .collect(),
    }
}

/// Whether policy text has a wildcard in the part after the account (a name pattern).
pub fn has_name_wildcard(text: &str) -> bool {
    text == "*" || text.rsplit(':').next().is_some_and(has_wildcard)
}

/// Turn a resource pattern into one concrete ARN in the caller's account: wildcards become a sample
/// name, variables take the caller's values. `None` for `*` and non-ARNs.
pub fn instantiate<'a>(text: &'a str, account: &'a str, vars: &Context) -> Option<String> {
    let arn = Arn::parse(text)?;
    let or = |field: &'a str, sample: &'a str| if has_wildcard(field) { sample } else { field };
    // Variables take the caller's values (as the evaluator substitutes them, defaults included).
    let res = match parse_template(arn.resource) {
        Some(pieces) => fill_vars(&pieces, vars, str::to_string),
        None => arn.resource.to_string(),
    };
    let resource = res.replace('*', ANY).replace('?', "x");
    let filled = Arn {
        partition: or(arn.partition, "aws"),
        region: or(arn.region, "us-east-1"),
        account: or(arn.account, account),
        resource: &resource,
        ..arn
    };
    Some(filled.to_string())
}

/// The text of template pieces: each variable takes the caller's single value, else its default, else
/// a sample; policy text goes through `text`, literal pieces stay as written.
fn fill_vars(pieces: &[Piece], vars: &Context, text: impl Fn(&str) -> String) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => text(t),
            Piece::Literal(t) => t.clone(),
            Piece::Var { key, default, .. } => match vars.get(key) {
                Some([v]) => v.clone(),
                _ => default.clone().unwrap_or_else(|| ANY.into()),
            },
        })
        .collect()
}

/// Sample ARNs of every resource type of an action (one per type).
///
/// Remembered per thread for the last accounts and actions asked (the escalation rules ask for the
/// same few hundred actions in every policy of a run).
pub fn generic_resources(action: &str, account: &str) -> Vec<String> {
    shared_generic_resources(action, account).to_vec()
}

/// [`generic_resources`] as the remembered list itself (a reference count, no copy of the strings).
pub fn shared_generic_resources(action: &str, account: &str) -> std::sync::Arc<[String]> {
    with_samples(action, account, |s| s.all.clone())
}

/// [`shared_generic_resources`] with the account of each resource
/// ([`crate::eval::Request::resource_account_of`]), worked out once per list.
pub fn shared_generic_resources_and_accounts(action: &str, account: &str) -> (std::sync::Arc<[String]>, Accounts) {
    with_samples(action, account, |s| (s.all.clone(), s.accounts.clone()))
}

/// The account of each resource of a list of sample resources, in order (`None`: of no account).
pub type Accounts = std::sync::Arc<[Option<String>]>;

/// The [`generic_resources`] that `action` can name ([`catalog::ActionRef::can_name_arn`]; all of them
/// for an action the catalog lacks), remembered alike.
pub fn nameable_generic_resources(action: &str, account: &str) -> std::sync::Arc<[String]> {
    with_samples(action, account, |s| {
        let (all, compiled) = (&s.all, s.compiled);
        s.nameable.get_or_insert_with(|| fresh_nameable(action, compiled, account, all)).clone()
    })
}

/// [`nameable_generic_resources`] of `all`, the filled `samples` of `action` (`None`: the catalog
/// lacks it), not remembered.
fn fresh_nameable(
    action: &str,
    samples: Option<SampleArns>,
    account: &str,
    all: &[String],
) -> std::sync::Arc<[String]> {
    let Some(samples) = samples else { return all.into() };
    if samples.is_empty() {
        // `all` is `*`: the action has no resource type with an ARN format, so it names nothing.
        return std::sync::Arc::new([]);
    }
    let mut flagged: Vec<(String, Option<bool>)> =
        samples.iter().map(|s| (s.fill(account), s.nameable(account))).collect();
    // Equal samples get equal answers, so dropping repeats as `all` did keeps the same ones.
    flagged.dedup_by(|a, b| a.0 == b.0);
    if flagged.iter().any(|(_, n)| n.is_none()) {
        // Not an account id: the compiled answers do not hold, ask the catalog.
        let a = catalog::catalog().action(action).expect("an action with samples is in the catalog");
        return all.iter().filter(|r| a.can_name_arn(r)).cloned().collect();
    }
    flagged.into_iter().filter(|(_, n)| *n == Some(true)).map(|(r, _)| r).collect()
}

/// The remembered samples of an action in one account.
struct Samples {
    /// [`generic_resources`]; actions with equal compiled samples share one list.
    all: std::sync::Arc<[String]>,
    /// The account of each of `all`, shared alike.
    accounts: Accounts,
    /// The compiled samples `all` was filled from; `None` for an action the catalog lacks.
    compiled: Option<SampleArns>,
    /// [`nameable_generic_resources`], once asked.
    nameable: Option<std::sync::Arc<[String]>>,
}

/// What is remembered for one account.
#[derive(Default)]
struct AccountSamples {
    /// Per action (looked up by `&str`, so a hit allocates no key).
    by_action: foldhash::HashMap<String, Samples>,
    /// Every distinct list of compiled samples, filled once (with the resources' accounts): most
    /// actions of a service share theirs.
    filled: foldhash::HashMap<SampleArns, (std::sync::Arc<[String]>, Accounts)>,
}

/// `f` of the samples of `action` in `account`, remembered per thread.
fn with_samples<T>(action: &str, account: &str, f: impl FnOnce(&mut Samples) -> T) -> T {
    /// Per account, with the count of answers.
    type Memo = (foldhash::HashMap<String, AccountSamples>, usize);
    /// Answers kept per thread at most; the memo starts over when full.
    const LIMIT: usize = 50_000;
    thread_local! {
        static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
    }
    MEMO.with(|memo| {
        let (memo, count) = &mut *memo.borrow_mut();
        if let Some(hit) = memo.get_mut(account).and_then(|m| m.by_action.get_mut(action)) {
            return f(hit);
        }
        if *count >= LIMIT {
            memo.clear();
            *count = 0;
        }
        if !memo.contains_key(account) {
            memo.insert(account.to_string(), AccountSamples::default());
        }
        let here = memo.get_mut(account).expect("the account was just remembered");
        let compiled = compiled_samples(action);
        let (all, accounts) = here
            .filled
            .entry(compiled.unwrap_or_default())
            .or_insert_with(|| {
                let all: std::sync::Arc<[String]> = fill_samples(compiled.unwrap_or_default(), account).into();
                let accounts = all.iter().map(|r| crate::eval::Request::resource_account_of(r)).collect();
                (all, accounts)
            })
            .clone();
        let mut answer = Samples { all, accounts, compiled, nameable: None };
        let out = f(&mut answer);
        here.by_action.insert(action.to_string(), answer);
        *count += 1;
        out
    })
}

/// The compiled samples of `action`; `None` when the catalog lacks it. No service is decoded.
fn compiled_samples(action: &str) -> Option<SampleArns> {
    let cat = catalog::catalog();
    cat.action_id(action).map(|id| cat.sample_arns(id))
}

/// [`generic_resources`] of the compiled `samples`: each filled in `account`, repeats dropped, `*`
/// when there is none.
fn fill_samples(samples: SampleArns, account: &str) -> Vec<String> {
    let mut out: Vec<String> = samples.iter().map(|s| s.fill(account)).collect();
    if out.is_empty() {
        out.push("*".into());
    }
    out.dedup();
    out
}

/// [`generic_resources`], not remembered.
#[cfg(test)]
fn fresh_generic_resources(action: &str, account: &str) -> Vec<String> {
    fill_samples(compiled_samples(action).unwrap_or_default(), account)
}

/// A value that makes `c` evaluate to `want`: `Some(None)` means "leave the key out", `None` means
/// no witness could be built.
pub fn witness(c: &CompiledCondition, want: bool, vars: &Context) -> Option<Option<Vec<String>>> {
    if c.family == Family::Unknown || c.values.is_empty() {
        return None;
    }
    if c.family == Family::Null {
        let absent_holds = c.values.contains(&PolicyValue::Bool(true));
        return Some(if want == absent_holds { None } else { Some(vec!["iamlint".into()]) });
    }
    let positive = want != c.negated;
    let v = if positive { sample(c.family, &c.values[0], vars)? } else { miss(c.family, &c.values[0]) };
    let _ = c.set.map(|q| q == SetQualifier::ForAllValues);
    Some(Some(vec![v]))
}

fn glob_sample(t: &[Tok]) -> String {
    t.iter()
        .map(|t| match t {
            Tok::Lit(c) => *c,
            Tok::One | Tok::Star => 'x',
        })
        .collect()
}

fn sample(family: Family, v: &PolicyValue, vars: &Context) -> Option<String> {
    use crate::eval::condition::Cmp;
    Some(match v {
        PolicyValue::Str(s) => s.to_string(),
        PolicyValue::Bool(b) => b.to_string(),
        PolicyValue::Glob(t) => glob_sample(t),
        PolicyValue::Template(pieces) => fill_vars(pieces, vars, |t| t.replace(['*', '?'], "x")),
        PolicyValue::Num(n) => {
            let x = match family {
                Family::Numeric(Cmp::Lt) => n - 1.0,
                Family::Numeric(Cmp::Gt) => n + 1.0,
                _ => *n,
            };
            format!("{x}")
        }
        PolicyValue::Date(ms) => {
            let s = ms.div_euclid(1000);
            match family {
                Family::Date(Cmp::Lt) => s - 1,
                Family::Date(Cmp::Gt) => s + 1,
                _ => s,
            }
            .to_string()
        }
        PolicyValue::Ip(net) => net.addr().to_string(),
        PolicyValue::Bytes(_) | PolicyValue::Invalid => return None,
    })
}

fn miss(family: Family, v: &PolicyValue) -> String {
    use crate::eval::condition::Cmp;
    match (family, v) {
        (Family::Bool, PolicyValue::Bool(b)) => (!b).to_string(),
        (Family::Numeric(c), PolicyValue::Num(n)) => {
            let x = match c {
                Cmp::Eq | Cmp::Le | Cmp::Lt => n + 1.0,
                Cmp::Gt | Cmp::Ge => n - 1.0,
            };
            format!("{x}")
        }
        (Family::Date(c), PolicyValue::Date(ms)) => {
            let s = ms.div_euclid(1000);
            match c {
                Cmp::Eq | Cmp::Le | Cmp::Lt => s + 1,
                Cmp::Gt | Cmp::Ge => s - 1,
            }
            .to_string()
        }
        (Family::Ip, _) => "192.0.2.255".into(),
        (Family::Arn, _) => "arn:aws:iam::000000000000:role/iamlint-other".into(),
        _ => "iamlint-other".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_resources_are_remembered_alike() {
        for (action, account) in [
            ("iam:PutRolePolicy", "111122223333"),
            ("iam:PutRolePolicy", "444455556666"),
            ("s3:GetObject", "111122223333"),
            ("sts:GetCallerIdentity", "111122223333"),
            ("nosuch:Action", "111122223333"),
        ] {
            let want = fresh_generic_resources(action, account);
            assert_eq!(generic_resources(action, account), want, "{action}");
            assert_eq!(generic_resources(action, account), want, "{action}, remembered");
        }
        assert_eq!(
            generic_resources("iam:PutRolePolicy", "444455556666"),
            ["arn:aws:iam::444455556666:role/iamlint-any"]
        );
        assert_eq!(generic_resources("sts:GetCallerIdentity", "1"), ["*"]);
        // Equal answers are one shared list; different ones are not.
        let put = shared_generic_resources("iam:PutRolePolicy", "111122223333");
        let attach = shared_generic_resources("iam:AttachRolePolicy", "111122223333");
        assert_eq!(put, attach);
        assert!(std::sync::Arc::ptr_eq(&put, &attach));
        let other = shared_generic_resources("iam:PutRolePolicy", "444455556666");
        assert!(!std::sync::Arc::ptr_eq(&put, &other));
    }

    /// For every action, the samples and the nameable samples from the compiled tables are those the
    /// decoded catalog gives: its resource types' first formats, filled, and of them the ones
    /// `can_name_arn` accepts; in an account id (compiled answers) and in another account (the catalog's).
    #[test]
    fn samples_from_tables_are_the_decoded_catalogs() {
        let cat = catalog::catalog();
        let decoded = |action: &str, account: &str| -> (Vec<String>, Vec<String>) {
            let Some(a) = cat.action(action) else { return (vec!["*".into()], vec!["*".into()]) };
            let mut all: Vec<String> = a
                .resource_types()
                .filter_map(|r| r.arn_formats().first().map(|f| fill_format(f, account, ANY)))
                .collect();
            if all.is_empty() {
                all.push("*".into());
            }
            all.dedup();
            let nameable = all.iter().filter(|r| a.can_name_arn(r)).cloned().collect();
            (all, nameable)
        };
        let mut names: Vec<String> = cat.actions().map(|a| a.full_name()).collect();
        names.extend(["nosuch:Action".into(), "s3:Get*".into(), String::new()]);
        let mut empty = 0;
        for account in ["111122223333", "aws"] {
            for name in &names {
                let (all, nameable) = decoded(name, account);
                assert_eq!(generic_resources(name, account), all, "{name} in {account}");
                assert_eq!(nameable_generic_resources(name, account)[..], nameable[..], "{name} in {account}");
                empty += usize::from(nameable.is_empty());
            }
        }
        // Actions without a resource type name nothing; the others name their samples.
        assert!(empty > 1_000 && empty < names.len(), "{empty}");
        assert!(nameable_generic_resources("sts:GetCallerIdentity", "1").is_empty());
    }

    #[test]
    fn base_requests_are_built_afresh_or_copied_alike() {
        let alice = RequestPrincipal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
        let bob = RequestPrincipal::from_arn("arn:aws:iam::444455556666:role/bob").unwrap();
        for (p, action, resource) in [
            (&alice, "iam:PutRolePolicy", "arn:aws:iam::111122223333:role/x"),
            (&alice, "s3:GetObject", "arn:aws:s3:::bucket/key"),
            (&bob, "kms:Decrypt", "arn:aws:kms:us-east-1:777788889999:key/k"),
            (&alice, "sts:AssumeRole", "*"),
        ] {
            let mut got = base_request(p, action, resource);
            let mut want = fresh_base_request(p, now_secs(), action, resource);
            // The clock may tick between the two calls.
            for k in ["aws:currenttime", "aws:epochtime", "aws:tokenissuetime"] {
                got.context.remove(k);
                want.context.remove(k);
            }
            assert_eq!(got, want, "{action} on {resource}");
            assert_eq!(got.action, action);
            assert_eq!(got.resource_account.as_deref(), Request::resource_account_of(resource).as_deref());
        }
    }

    #[test]
    fn instantiates_patterns_in_the_callers_account() {
        let mut vars = Context::new();
        vars.insert("aws:username", vec!["bob".into()]);
        assert_eq!(
            instantiate("arn:aws:iam::*:user/${aws:username}", "111122223333", &vars).unwrap(),
            "arn:aws:iam::111122223333:user/bob"
        );
        assert_eq!(
            instantiate("arn:aws:iam::111122223333:role/lambda-*", "1", &vars).unwrap(),
            "arn:aws:iam::111122223333:role/lambda-iamlint-any"
        );
        // A variable the caller has no value for takes its default, as the evaluator substitutes it.
        assert_eq!(
            instantiate("arn:aws:s3:::b/${aws:PrincipalTag/nope, 'shared'}/*", "1", &vars).unwrap(),
            "arn:aws:s3:::b/shared/iamlint-any"
        );
        assert!(instantiate("*", "1", &vars).is_none());
        assert!(has_name_wildcard("arn:aws:iam::1:role/lambda-*"));
        assert!(!has_name_wildcard("arn:aws:iam::*:role/x"));
    }

    #[test]
    fn key_classes() {
        assert!(request_key("aws:requesttag/team"));
        assert!(request_key("iam:passedtoservice"));
        assert!(!request_key("ssm:resourcetag/team"));
        assert!(!request_key("aws:sourceip"));
        assert_eq!(resource_tag("ssm:resourceTag/team"), Some("team"));
        let put = catalog::catalog().action("iam:PutRolePolicy");
        assert!(!action_supports(put, "aws:requesttag/team"));
        assert!(action_supports(catalog::catalog().action("iam:CreateRole"), "aws:requesttag/team"));
    }
}
