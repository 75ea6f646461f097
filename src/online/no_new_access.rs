//! `iamlint diff --online`: every document pair the offline diff compared is sent to IAM Access
//! Analyzer's `CheckNoNewAccess` (NEW as `newPolicyDocument`, OLD as `existingPolicyDocument`), and the
//! two answers are set side by side in an agreement table. Documented in docs/diff.md ("Online
//! confirmation").
//!
//! What is sent is built here without the SDK (rendering, merging, the reference policy of a new
//! document), so the table and the JSON exist in every build; only [`check`] needs the `aws` feature.

use super::{OnlineError, Options, column_widths, write_columns};
use crate::diff::Verdict;
use crate::parse::{LineIndex, Node, Value};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The existing policy of an identity-side document that did not exist before: one statement that
/// denies everything, so it allows nothing. (AWS rejects an empty `Statement` array, rule E004.)
pub const NO_ACCESS_IDENTITY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoAccess","Effect":"Deny","Action":"*","Resource":"*"}]}"#;

/// The same for a resource or trust policy, whose statements must name a principal.
pub const NO_ACCESS_RESOURCE: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoAccess","Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}"#;

/// `policyType` of `CheckNoNewAccess`. The operation has no resource-type parameter: a trust policy,
/// a bucket policy and a key policy are all `RESOURCE_POLICY`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PolicyType {
    /// Identity policies (with the boundaries, SCPs and session policies compared with them).
    #[serde(rename = "IDENTITY_POLICY")]
    Identity,
    /// Resource-based, trust and resource control policies.
    #[serde(rename = "RESOURCE_POLICY")]
    Resource,
}

impl PolicyType {
    /// The API's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "IDENTITY_POLICY",
            PolicyType::Resource => "RESOURCE_POLICY",
        }
    }

    /// The policy that allows nothing, for a document that did not exist before.
    pub fn no_access(self) -> &'static str {
        match self {
            PolicyType::Identity => NO_ACCESS_IDENTITY,
            PolicyType::Resource => NO_ACCESS_RESOURCE,
        }
    }
}

/// One policy document of a version: where it is shown, its file's text, its JSON tree.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// The path as shown.
    pub path: &'a str,
    /// The text of the file (for line and column).
    pub text: &'a str,
    /// The policy document.
    pub root: &'a Node,
}

/// A statement of the document sent as NEW, so that Access Analyzer's reasons (which name a
/// statement by index) point at the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementAt {
    /// `path:line:column`.
    pub at: String,
    /// The `Sid`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// The request for one pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `newPolicyDocument`.
    pub new: String,
    /// `existingPolicyDocument`.
    pub existing: String,
    /// `policyType`.
    pub policy_type: PolicyType,
    /// The statements of `new`, in order.
    pub statements: Vec<StatementAt>,
}

/// One document pair of the offline diff and what to send for it.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The NEW document's path.
    pub path: String,
    /// The owner inside a template or dump (empty for a policy file).
    pub owner: String,
    /// The offline verdict before `--allow-new` / `[[diff.allow]]` took anything away.
    pub offline: Verdict,
    /// Whether all the new access found offline was accepted.
    pub accepted: bool,
    /// The request, or why none can be sent.
    pub request: Result<Request, String>,
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// `node` as compact JSON. A number is written as it was when it is a JSON number, else as a string.
pub fn render(node: &Node) -> String {
    let mut out = String::new();
    render_into(node, &mut out);
    out
}

fn render_into(node: &Node, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if serde_json::from_str::<serde_json::Number>(n).is_ok() {
                out.push_str(n);
            } else {
                out.push_str(&json_string(n));
            }
        }
        Value::String(s) => out.push_str(&json_string(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render_into(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(&m.key));
                out.push(':');
                render_into(&m.value, out);
            }
            out.push('}');
        }
    }
}

/// The statements of a policy document (`Statement` may be one object or an array).
fn statements(root: &Node) -> Vec<&Node> {
    match root.get("Statement").map(|m| &m.value) {
        Some(Node { value: Value::Array(items), .. }) => items.iter().collect(),
        Some(one @ Node { value: Value::Object(_), .. }) => vec![one],
        _ => Vec::new(),
    }
}

/// The first string under a `Principal`/`NotPrincipal` that holds a value known only at deploy time.
fn principal_placeholder(root: &Node) -> Option<String> {
    fn strings<'a>(n: &'a Node, out: &mut Vec<&'a str>) {
        match &n.value {
            Value::String(s) => out.push(s),
            Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
            Value::Object(members) => members.iter().for_each(|m| strings(&m.value, out)),
            _ => {}
        }
    }
    statements(root).into_iter().find_map(|st| {
        let mut found = Vec::new();
        for key in ["Principal", "NotPrincipal"] {
            if let Some(m) = st.get(key) {
                strings(&m.value, &mut found);
            }
        }
        found.into_iter().find(|s| s.find("{{").is_some_and(|i| s[i + 2..].contains("}}"))).map(str::to_string)
    })
}

/// One document for the API from the documents of one version: a single document as it is, several
/// identity policies (compared together offline) as one policy holding all their statements, which
/// allows exactly what they allow together. Also returns where each statement sits.
pub fn document(docs: &[Source<'_>]) -> Result<(String, Vec<StatementAt>), String> {
    let mut at = Vec::new();
    for d in docs {
        if let Some(p) = principal_placeholder(d.root) {
            return Err(format!(
                "{}: the principal `{p}` is known only at deploy time; Access Analyzer needs a real one",
                d.path
            ));
        }
        let index = LineIndex::new(d.text);
        for st in statements(d.root) {
            let lc = index.line_col(d.text, st.span.start);
            at.push(StatementAt {
                at: format!("{}:{}:{}", d.path, lc.line, lc.column),
                sid: st.get_str("Sid").map(str::to_string),
            });
        }
    }
    if let [one] = docs {
        return Ok((render(one.root), at));
    }
    let versions: Vec<Option<&str>> = docs.iter().map(|d| d.root.get_str("Version")).collect();
    if versions.windows(2).any(|w| w[0] != w[1]) {
        return Err(format!(
            "{}: its policies have different `Version`s and cannot be sent as one document",
            docs.first().map_or("", |d| d.path)
        ));
    }
    let mut text = String::from("{");
    if let Some(v) = versions.first().copied().flatten() {
        let _ = write!(text, "\"Version\":{},", json_string(v));
    }
    text.push_str("\"Statement\":[");
    let all: Vec<String> = docs.iter().flat_map(|d| statements(d.root)).map(render).collect();
    text.push_str(&all.join(","));
    text.push_str("]}");
    Ok((text, at))
}

/// The request for one pair: NEW against OLD, or against a policy that allows nothing when the
/// document is new.
pub fn request(old: &[Source<'_>], new: &[Source<'_>], policy_type: PolicyType) -> Result<Request, String> {
    let (new, statements) = document(new)?;
    let existing = if old.is_empty() { policy_type.no_access().to_string() } else { document(old)?.0 };
    Ok(Request { new, existing, policy_type, statements })
}

/// One of Access Analyzer's reasons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// `description`.
    pub description: String,
    /// `statementIndex` (0-based, in the document sent as NEW).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_index: Option<i32>,
    /// `statementId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_id: Option<String>,
    /// Where that statement is in the files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

impl Reason {
    fn line(&self) -> String {
        let mut s = String::new();
        if let Some(i) = self.statement_index {
            let _ = write!(s, "statement {}", i + 1);
            if let Some(id) = &self.statement_id {
                let _ = write!(s, " `{id}`");
            }
            if let Some(at) = &self.at {
                let _ = write!(s, " at {at}");
            }
            s.push_str(": ");
        }
        s.push_str(&self.description);
        s
    }
}

/// Access Analyzer's answer to one pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// `result`: `PASS` (no new access) or `FAIL`.
    pub pass: bool,
    /// `message`.
    pub message: Option<String>,
    /// `reasons`.
    pub reasons: Vec<Reason>,
}

/// One row of the agreement table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The NEW document's path.
    pub path: String,
    /// The owner inside a template or dump.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub owner: String,
    /// `policyType` sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<PolicyType>,
    /// iamlint's verdict (before accepted grants were taken away).
    pub offline: Verdict,
    /// Whether all the new access found offline was accepted.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub accepted: bool,
    /// `PASS` or `FAIL`, when asked and answered.
    pub aws: Option<&'static str>,
    /// `agree`, `disagree`, `not comparable: <why>`, `not sent: <why>` or `error: <message>`.
    pub agreement: String,
    /// Access Analyzer's `message`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Access Analyzer's `reasons`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
}

impl Row {
    fn document(&self) -> String {
        if self.owner.is_empty() { self.path.clone() } else { format!("{} ({})", self.path, self.owner) }
    }

    fn offline_text(&self) -> &'static str {
        match (&self.offline, self.accepted) {
            (Verdict::NewAccess, true) => "new access (accepted)",
            (Verdict::NewAccess, false) => "new access",
            (Verdict::NoNewAccess, _) => "no new access",
            (Verdict::Unknown, _) => "unknown",
        }
    }

    /// Whether the answers disagree.
    pub fn disagrees(&self) -> bool {
        self.agreement == "disagree"
    }

    /// Whether Access Analyzer found new access that iamlint did not report (and so did not gate).
    pub fn new_access_only_online(&self) -> bool {
        self.aws == Some("FAIL") && self.offline == Verdict::NoNewAccess
    }

    /// Whether the pair could not be checked because of an error.
    pub fn is_error(&self) -> bool {
        self.agreement.starts_with("error: ")
    }
}

/// The row for a pair and its answer (`Err`: the request failed for this pair alone).
pub fn row(pair: &Pair, answer: Option<Result<Answer, String>>) -> Row {
    let mut row = Row {
        path: pair.path.clone(),
        owner: pair.owner.clone(),
        policy_type: pair.request.as_ref().ok().map(|r| r.policy_type),
        offline: pair.offline.clone(),
        accepted: pair.accepted,
        aws: None,
        agreement: String::new(),
        message: None,
        reasons: Vec::new(),
    };
    row.agreement = match (&pair.request, answer) {
        (Err(why), _) => format!("not sent: {why}"),
        (Ok(_), None) => "not sent".into(),
        (Ok(_), Some(Err(e))) => format!("error: {e}"),
        (Ok(req), Some(Ok(a))) => {
            row.aws = Some(if a.pass { "PASS" } else { "FAIL" });
            row.message = a.message;
            row.reasons = a
                .reasons
                .into_iter()
                .map(|mut r| {
                    let at =
                        r.statement_index.and_then(|i| usize::try_from(i).ok()).and_then(|i| req.statements.get(i));
                    r.at = at.map(|s| s.at.clone());
                    if r.statement_id.is_none() {
                        r.statement_id = at.and_then(|s| s.sid.clone());
                    }
                    r
                })
                .collect();
            match pair.offline {
                Verdict::Unknown => "not comparable: iamlint could not decide offline".into(),
                Verdict::NewAccess if !a.pass => "agree".into(),
                Verdict::NoNewAccess if a.pass => "agree".into(),
                _ => "disagree".into(),
            }
        }
    };
    row
}

/// The result of `diff --online`.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// One row per compared pair.
    pub rows: Vec<Row>,
    /// `CheckNoNewAccess` calls made (retries not counted).
    pub requests: usize,
}

impl Report {
    /// `online: N agree, N disagree, N not compared; N requests to IAM Access Analyzer`.
    pub fn summary(&self) -> String {
        let agree = self.rows.iter().filter(|r| r.agreement == "agree").count();
        let disagree = self.rows.iter().filter(|r| r.disagrees()).count();
        let errors = self.rows.iter().filter(|r| r.is_error()).count();
        let other = self.rows.len() - agree - disagree - errors;
        let mut s = format!("online: {agree} agree, {disagree} disagree, {other} not compared");
        if errors > 0 {
            let _ = write!(s, ", {errors} failed");
        }
        let _ = write!(
            s,
            "; {} request{} to IAM Access Analyzer",
            self.requests,
            if self.requests == 1 { "" } else { "s" }
        );
        s
    }

    /// Whether some pair failed.
    pub fn has_errors(&self) -> bool {
        self.rows.iter().any(Row::is_error)
    }

    /// Whether Access Analyzer found new access that the offline verdict let through.
    pub fn new_access_only_online(&self) -> bool {
        self.rows.iter().any(Row::new_access_only_online)
    }

    /// The agreement table, Access Analyzer's reasons under each row, every disagreement again in
    /// full, and the summary.
    pub fn write_table(&self, out: &mut dyn Write) -> io::Result<()> {
        let head = ["document", "offline", "Access Analyzer", "agreement"];
        let cells: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|r| [r.document(), r.offline_text().into(), r.aws.unwrap_or("-").into(), r.agreement.clone()])
            .collect();
        let width = column_widths(head, &cells);
        let line = |out: &mut dyn Write, c: [&str; 4]| write_columns(out, width, c);
        writeln!(out, "Access Analyzer CheckNoNewAccess:")?;
        line(out, head)?;
        for (r, c) in self.rows.iter().zip(&cells) {
            line(out, [c[0].as_str(), c[1].as_str(), c[2].as_str(), c[3].as_str()])?;
            for reason in &r.reasons {
                writeln!(out, "    reason: {}", reason.line())?;
            }
        }
        for r in self.rows.iter().filter(|r| r.disagrees()) {
            let aws = if r.aws == Some("PASS") { "no new access (PASS)" } else { "new access (FAIL)" };
            let message = r.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
            writeln!(
                out,
                "DISAGREEMENT: {}: iamlint says {} offline, Access Analyzer says {aws}{message}",
                r.document(),
                r.offline_text()
            )?;
        }
        writeln!(out, "{}", self.summary())
    }

    /// The rows and the counters as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "api": "CheckNoNewAccess",
            "rows": self.rows,
            "requests": self.requests,
            "summary": self.summary(),
        })
    }
}

/// `iamlint diff --online`: ask Access Analyzer about every pair that has a request.
#[cfg(feature = "aws")]
pub fn check(pairs: &[Pair], opts: &Options) -> Result<Report, OnlineError> {
    let checker = Checker::connect(opts)?;
    checker.check_all(pairs)
}

/// `iamlint diff --online` without the `aws` feature.
#[cfg(not(feature = "aws"))]
pub fn check(_pairs: &[Pair], _opts: &Options) -> Result<Report, OnlineError> {
    Err(OnlineError::NotBuilt)
}

/// A configured Access Analyzer client and a request counter.
#[cfg(feature = "aws")]
pub struct Checker {
    client: aws_sdk_accessanalyzer::Client,
    runtime: tokio::runtime::Runtime,
    requests: std::cell::Cell<usize>,
}

#[cfg(feature = "aws")]
impl Checker {
    /// The same credential chain, retries and timeouts as the IAM client.
    pub fn connect(opts: &Options) -> Result<Checker, OnlineError> {
        let (runtime, sdk) = super::client::sdk_config(opts)?;
        let mut conf = aws_sdk_accessanalyzer::config::Builder::from(&sdk);
        if sdk.region().is_none() {
            conf = conf.region(aws_sdk_accessanalyzer::config::Region::new(super::client::DEFAULT_REGION));
        }
        Ok(Checker {
            client: aws_sdk_accessanalyzer::Client::from_conf(conf.build()),
            runtime,
            requests: std::cell::Cell::new(0),
        })
    }

    /// Wrap an already configured client (tests: mocks).
    pub fn from_client(client: aws_sdk_accessanalyzer::Client) -> Checker {
        Checker { client, runtime: super::client::runtime(), requests: std::cell::Cell::new(0) }
    }

    /// Send one request. `Ok(Err(..))`: Access Analyzer refused this pair (a document it does not
    /// accept); `Err(..)`: the run cannot go on (credentials, permissions, network).
    pub fn ask(&self, req: &Request) -> Result<Result<Answer, String>, OnlineError> {
        use aws_sdk_accessanalyzer::types::{AccessCheckPolicyType, CheckNoNewAccessResult};
        self.requests.set(self.requests.get() + 1);
        let policy_type = match req.policy_type {
            PolicyType::Identity => AccessCheckPolicyType::IdentityPolicy,
            PolicyType::Resource => AccessCheckPolicyType::ResourcePolicy,
        };
        let sent = self.runtime.block_on(
            self.client
                .check_no_new_access()
                .new_policy_document(&req.new)
                .existing_policy_document(&req.existing)
                .policy_type(policy_type)
                .send(),
        );
        let out = match sent {
            Ok(out) => out,
            Err(e) => {
                return match super::client::classify(e) {
                    OnlineError::Service(text) => Ok(Err(text)),
                    fatal => Err(fatal),
                };
            }
        };
        let pass = match out.result() {
            Some(CheckNoNewAccessResult::Pass) => true,
            Some(CheckNoNewAccessResult::Fail) => false,
            other => {
                let what = other.map_or("no result", CheckNoNewAccessResult::as_str);
                return Ok(Err(format!("Access Analyzer answered `{what}`, neither PASS nor FAIL")));
            }
        };
        let reasons = out
            .reasons()
            .iter()
            .map(|r| Reason {
                description: r.description().unwrap_or_default().to_string(),
                statement_index: r.statement_index(),
                statement_id: r.statement_id().map(str::to_string),
                at: None,
            })
            .collect();
        Ok(Ok(Answer { pass, message: out.message().map(str::to_string), reasons }))
    }

    /// Ask about every pair with a request, in order.
    pub fn check_all(&self, pairs: &[Pair]) -> Result<Report, OnlineError> {
        let mut rows = Vec::new();
        for p in pairs {
            let answer = match &p.request {
                Ok(req) => Some(self.ask(req)?),
                Err(_) => None,
            };
            rows.push(row(p, answer));
        }
        Ok(Report { rows, requests: self.requests.get() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::{self, InputType};

    fn parsed(text: &str) -> Node {
        crate::parse::parse(text).root.expect("valid JSON")
    }

    fn src<'a>(path: &'a str, text: &'a str, root: &'a Node) -> Source<'a> {
        Source { path, text, root }
    }

    #[test]
    fn a_document_is_sent_as_compact_json_with_numbers_and_escapes_kept() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Sid\": \"A\", \"Effect\": \"Allow\", \"Action\": \"s3:Get*\",\n    \"Resource\": \"arn:aws:s3:::a\\\"b/*\", \"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": 10}}}\n}";
        let root = parsed(text);
        let (doc, at) = document(&[src("p.json", text, &root)]).unwrap();
        assert_eq!(
            doc,
            r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::a\"b/*","Condition":{"NumericLessThan":{"s3:max-keys":10}}}}"#
        );
        let back: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(back["Statement"]["Condition"]["NumericLessThan"]["s3:max-keys"], 10);
        assert_eq!(at, [StatementAt { at: "p.json:3:16".into(), sid: Some("A".into()) }]);
    }

    #[test]
    fn a_yaml_template_policy_is_rendered_as_json() {
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: { Service: lambda.amazonaws.com }\n            Action: sts:AssumeRole\n";
        let t = sources::extract(InputType::Cloudformation, text, crate::parse::Limits::default());
        let root = &t.policies[0].root;
        let (doc, at) = document(&[src("t.yaml", text, root)]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&doc).unwrap_or_else(|e| panic!("{e}: {doc}"));
        assert_eq!(v["Statement"][0]["Principal"]["Service"], "lambda.amazonaws.com");
        assert_eq!(v["Statement"][0]["Action"], "sts:AssumeRole");
        assert_eq!(at[0].at, "t.yaml:8:13");
    }

    #[test]
    fn identity_policies_compared_together_become_one_document() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Sid":"One","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let b = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}}"#;
        let (ra, rb) = (parsed(a), parsed(b));
        let (doc, at) = document(&[src("t.json [1]", a, &ra), src("t.json [2]", b, &rb)]).unwrap();
        assert_eq!(
            doc,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"One","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}"#
        );
        assert_eq!(at.iter().map(|s| s.at.as_str()).collect::<Vec<_>>(), ["t.json [1]:1:38", "t.json [2]:1:37"]);
        let old = r#"{"Version":"2008-10-17","Statement":[]}"#;
        let ro = parsed(old);
        let e = document(&[src("t.json [1]", a, &ra), src("t.json [2]", old, &ro)]).unwrap_err();
        assert!(e.contains("different `Version`s"), "{e}");
    }

    #[test]
    fn a_new_document_is_compared_with_a_policy_that_allows_nothing() {
        let new = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#;
        let rn = parsed(new);
        let r = request(&[], &[src("trust.json", new, &rn)], PolicyType::Resource).unwrap();
        assert_eq!(r.existing, NO_ACCESS_RESOURCE);
        assert_eq!(r.new, new);
        let r = request(&[], &[src("trust.json", new, &rn)], PolicyType::Identity).unwrap();
        assert_eq!(r.existing, NO_ACCESS_IDENTITY);
        // Both reference policies are valid policies that allow nothing.
        for text in [NO_ACCESS_IDENTITY, NO_ACCESS_RESOURCE] {
            let built = crate::model::Policy::from_json(&parsed(text), None);
            let policy = built.policy.expect("a policy");
            assert!(built.issues.is_empty());
            assert!(
                policy
                    .statements
                    .iter()
                    .all(|s| s.effect.as_ref().is_some_and(|e| e.value == crate::model::Effect::Deny))
            );
        }
    }

    #[test]
    fn a_principal_known_only_at_deploy_time_is_not_sent() {
        let new = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","{{Role.Arn}}"]},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:eu-west-1:{{AWS::AccountId}}:q"}]}"#;
        let rn = parsed(new);
        let e = request(&[], &[src("q.json", new, &rn)], PolicyType::Resource).unwrap_err();
        assert_eq!(
            e,
            "q.json: the principal `{{Role.Arn}}` is known only at deploy time; Access Analyzer needs a real one"
        );
        // A placeholder elsewhere stands for one fixed value on both sides and is sent as written.
        let ok = new.replace(r#","{{Role.Arn}}""#, "");
        let ro = parsed(&ok);
        assert!(request(&[], &[src("q.json", &ok, &ro)], PolicyType::Resource).is_ok());
    }

    fn pair(offline: Verdict, accepted: bool) -> Pair {
        Pair {
            path: "p.json".into(),
            owner: String::new(),
            offline,
            accepted,
            request: Ok(Request {
                new: "{}".into(),
                existing: "{}".into(),
                policy_type: PolicyType::Identity,
                statements: vec![StatementAt { at: "p.json:4:5".into(), sid: Some("Grant".into()) }],
            }),
        }
    }

    fn answered(pass: bool) -> Answer {
        Answer {
            pass,
            message: Some(if pass { "no new access" } else { "new access" }.into()),
            reasons: if pass {
                Vec::new()
            } else {
                vec![Reason {
                    description: "New access in the statement with index: 0.".into(),
                    statement_index: Some(0),
                    statement_id: None,
                    at: None,
                }]
            },
        }
    }

    #[test]
    fn rows_set_both_answers_side_by_side() {
        let cases = [
            (Verdict::NewAccess, false, false, "agree", false),
            (Verdict::NoNewAccess, false, true, "agree", false),
            (Verdict::NewAccess, false, true, "disagree", false),
            (Verdict::NoNewAccess, false, false, "disagree", true),
            (Verdict::NewAccess, true, false, "agree", false),
            (Verdict::Unknown, false, false, "not comparable: iamlint could not decide offline", false),
        ];
        for (offline, accepted, pass, agreement, only_online) in cases {
            let r = row(&pair(offline.clone(), accepted), Some(Ok(answered(pass))));
            assert_eq!(r.agreement, agreement, "{offline:?} {pass}");
            assert_eq!(r.new_access_only_online(), only_online, "{offline:?} {pass}");
            assert_eq!(r.aws, Some(if pass { "PASS" } else { "FAIL" }));
        }
        let r = row(&pair(Verdict::NoNewAccess, false), Some(Ok(answered(false))));
        assert_eq!(r.reasons[0].at.as_deref(), Some("p.json:4:5"));
        assert_eq!(r.reasons[0].statement_id.as_deref(), Some("Grant"));
        let e = row(&pair(Verdict::NoNewAccess, false), Some(Err("ValidationException: bad".into())));
        assert!(e.is_error() && e.aws.is_none(), "{e:?}");
        let mut skipped = pair(Verdict::NewAccess, false);
        skipped.request = Err("why".into());
        assert_eq!(row(&skipped, None).agreement, "not sent: why");
    }

    #[test]
    fn the_table_prints_reasons_and_disagreements_prominently() {
        let report = Report {
            rows: vec![
                row(&pair(Verdict::NewAccess, false), Some(Ok(answered(false)))),
                Row { path: "q.json".into(), ..row(&pair(Verdict::NoNewAccess, false), Some(Ok(answered(false)))) },
            ],
            requests: 2,
        };
        let mut out = Vec::new();
        report.write_table(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        assert_eq!(lines[0], "Access Analyzer CheckNoNewAccess:");
        assert_eq!(lines[1], "document  offline        Access Analyzer  agreement");
        assert_eq!(lines[2], "p.json    new access     FAIL             agree");
        assert_eq!(
            lines[3],
            "    reason: statement 1 `Grant` at p.json:4:5: New access in the statement with index: 0."
        );
        assert_eq!(lines[4], "q.json    no new access  FAIL             disagree");
        assert_eq!(
            lines[6],
            "DISAGREEMENT: q.json: iamlint says no new access offline, Access Analyzer says new access (FAIL): new access"
        );
        assert_eq!(lines[7], "online: 1 agree, 1 disagree, 0 not compared; 2 requests to IAM Access Analyzer");
        let json = report.to_json();
        assert_eq!(json["rows"][1]["agreement"], "disagree");
        assert_eq!(json["rows"][1]["offline"], "no-new-access");
        assert_eq!(json["rows"][1]["policy_type"], "IDENTITY_POLICY");
        assert_eq!(json["rows"][0]["reasons"][0]["at"], "p.json:4:5");
    }
}
