//! N003 duplicate-statement. The docs are in rules/N003.toml.
use crate::model::{Policy, Statement, StringList};
use crate::parse::Span;
use crate::rules::{Check, Cx};
use std::borrow::Cow;
use std::collections::HashMap;

pub(crate) struct DuplicateStatement;
impl Check for DuplicateStatement {
    fn check_policy(&self, policy: &Policy, cx: &mut Cx<'_>) {
        if policy.statements.len() < 2 {
            return; // nothing to repeat: no shape is worth writing out
        }
        // Two statements with different effects, or with different elements present, are never the
        // same: only statements that share both with another one have their shape written out.
        let outline = |s: &Statement| {
            (
                s.effect.as_ref().map(|e| e.value.clone()),
                [
                    s.action.is_some(),
                    s.not_action.is_some(),
                    s.resource.is_some(),
                    s.not_resource.is_some(),
                    s.principal.is_some(),
                    s.not_principal.is_some(),
                    s.condition.is_some(),
                ],
            )
        };
        let outlines: Vec<_> = policy.statements.iter().map(outline).collect();
        let mut seen: HashMap<Shape<'_>, &Statement> = HashMap::new();
        for (i, stmt) in policy.statements.iter().enumerate() {
            if outlines.iter().filter(|o| **o == outlines[i]).count() < 2 {
                continue;
            }
            let key = shape(stmt);
            if let Some(first) = seen.get(&key) {
                let at = stmt.sid.as_ref().map_or(Span::new(stmt.span.start, stmt.span.start + 1), |s| s.span);
                let first_at = first.sid.as_ref().map_or(Span::new(first.span.start, first.span.start + 1), |s| s.span);
                cx.report(at, format!("{} repeats {}", stmt.label(), first.label()))
                    .label(first_at, "the same statement is here")
                    .help("delete one of the two statements");
            } else {
                seen.insert(key, stmt);
            }
        }
    }
}

/// Everything but the `Sid`, with lists sorted (and actions and condition operators and keys in
/// lowercase), so that reordered copies compare equal.
#[derive(PartialEq, Eq, Hash)]
pub(crate) struct Shape<'a> {
    effect: Option<&'a crate::model::Effect>,
    /// `Action`, `NotAction`, `Resource`, `NotResource`.
    lists: [Option<Vec<Cow<'a, str>>>; 4],
    /// `Principal`, `NotPrincipal`: each type and value.
    principals: [Option<Vec<(&'a str, &'a str)>>; 2],
    /// Each operator, key and its values.
    condition: Option<Vec<Test<'a>>>,
}

/// A condition test of a [`Shape`]: operator and key (in lowercase), and its values, sorted.
type Test<'a> = (Cow<'a, str>, Cow<'a, str>, Vec<&'a str>);

/// `s`, in lowercase when it has an uppercase letter.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(s.to_ascii_lowercase()) } else { Cow::Borrowed(s) }
}

pub(crate) fn shape(stmt: &Statement) -> Shape<'_> {
    fn list(l: Option<&StringList>, ci: bool) -> Option<Vec<Cow<'_, str>>> {
        l.map(|l| {
            let mut v: Vec<Cow<'_, str>> = l.strs().map(|s| if ci { lower(s) } else { Cow::Borrowed(s) }).collect();
            v.sort();
            v.dedup();
            v
        })
    }
    fn principal(p: Option<&crate::model::Principal>) -> Option<Vec<(&str, &str)>> {
        p.map(|p| {
            let mut v: Vec<(&str, &str)> = p.values().map(|(k, v)| (k, v.value.as_str())).collect();
            v.sort_unstable();
            v
        })
    }
    let condition = stmt.condition.as_ref().map(|c| {
        let mut v: Vec<_> = c
            .entries()
            .map(|(o, e)| {
                let mut vals: Vec<&str> = e.values.iter().map(|v| v.value.as_str()).collect();
                vals.sort_unstable();
                (lower(&o.name.value), lower(&e.key.value), vals)
            })
            .collect();
        v.sort();
        v
    });
    Shape {
        effect: stmt.effect.as_ref().map(|e| &e.value),
        lists: [
            list(stmt.action.as_ref(), true),
            list(stmt.not_action.as_ref(), true),
            list(stmt.resource.as_ref(), false),
            list(stmt.not_resource.as_ref(), false),
        ],
        principals: [principal(stmt.principal.as_ref()), principal(stmt.not_principal.as_ref())],
        condition,
    }
}

#[cfg(test)]
mod tests {
    /// How many statements of `statements` repeat an earlier one.
    fn repeats(statements: &str) -> usize {
        let policy = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
        crate::lint(&policy, &crate::Settings::default()).iter().filter(|f| f.code() == "N003").count()
    }

    /// Copies compare equal whatever the order and case of their actions and condition keys and
    /// operators; a different effect, resource case, principal or condition value keeps them apart.
    #[test]
    fn copies_are_the_same_shape_whatever_their_order_and_case() {
        let a = r#"{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalTag/team":["x","y"]}}}"#;
        let same = r#"{"Sid":"B","Effect":"Allow","Action":["S3:PutObject","s3:getobject","s3:GetObject"],"Resource":"arn:aws:s3:::b/*","Condition":{"stringequals":{"AWS:PrincipalTag/team":["y","x"]}}}"#;
        assert_eq!(repeats(&format!("{a},{same}")), 1);
        for other in [
            same.replace("\"Allow\"", "\"Deny\""),
            same.replace("b/*", "B/*"),
            same.replace("[\"y\",\"x\"]", "[\"y\",\"X\"]"),
            same.replace("\"Resource\"", "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Resource\""),
        ] {
            assert_eq!(repeats(&format!("{a},{other}")), 0, "{other}");
        }
    }
}
