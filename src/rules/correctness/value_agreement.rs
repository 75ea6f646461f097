//! The value rules and the evaluator read a value with one grammar: for any text, W004/W005/W006/W007
//! report it iff the evaluator compiles it to a value that can never match. Both sides are driven
//! through their public entry points (lint a policy, compile it for evaluation), not the grammar.

use crate::eval::condition::PolicyValue;
use crate::eval::{CompiledPolicy, SourceType};
use crate::model::PolicyKind;
use proptest::prelude::*;

/// A policy with one condition `operator: {key: value}`.
fn policy(operator: &str, key: &str, value: &str) -> String {
    versioned("2012-10-17", operator, key, value)
}

fn versioned(version: &str, operator: &str, key: &str, value: &str) -> String {
    let value = serde_json::to_string(value).unwrap();
    format!(
        r#"{{"Version":"{version}","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"{operator}":{{"{key}":{value}}}}}}}]}}"#
    )
}

/// Whether rule `code` reports the value.
fn lint_rejects(code: &str, text: &str) -> bool {
    let rule = crate::rules::Rule::find(code).expect("a registered rule");
    let mut settings = crate::rules::LinterSettings::default();
    settings.rules = std::iter::once(rule).collect();
    crate::linter::Linter::new(settings).lint_policy(text).iter().any(|f| f.rule == rule)
}

/// Whether the evaluator compiles the (only) condition value to `Invalid`.
fn evaluator_rejects(text: &str) -> bool {
    let p = CompiledPolicy::from_source(text, "p", SourceType::User, Some(PolicyKind::Identity)).unwrap();
    let values = &p.statements[0].conditions[0].values;
    assert_eq!(values.len(), 1);
    values[0] == PolicyValue::Invalid
}

fn agree(code: &str, operator: &str, key: &str, value: &str) -> Result<(), TestCaseError> {
    let text = policy(operator, key, value);
    let (lint, eval) = (lint_rejects(code, &text), evaluator_rejects(&text));
    prop_assert_eq!(lint, eval, "{} on {:?}: lint rejects {}, evaluator rejects {}", code, value, lint, eval);
    Ok(())
}

/// Digits from several scripts (ASCII, Arabic-Indic, fullwidth, Devanagari) and date/number punctuation.
fn noisy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('0', '9'),
            1 => proptest::sample::select(vec!['٠', '٢', '٩', '０', '７', '३']),
            2 => proptest::sample::select(vec!['-', ':', '.', 'T', 't', 'Z', 'z', '+', '/', ' ', 'e', 'E', 'a', 'f', 'x']),
        ],
        0..24,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn dates() -> impl Strategy<Value = String> {
    prop_oneof![
        noisy(),
        "-?[0-9]{1,12}(\\.[0-9]{0,4})?",
        "[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2}([Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{0,3})?)?([Zz]|[+-][0-9]{2}:[0-9]{2})?)?)?)?",
        "[٠-٩]{4}(-[٠-٩]{2}(-[٠-٩]{2})?)?",
        " ?[0-9]{4}-[01][0-9]-[0-3][0-9] ?",
    ]
}

fn numbers() -> impl Strategy<Value = String> {
    prop_oneof![
        noisy(),
        "[-+]?[0-9]{0,6}(\\.[0-9]{0,3})?([eE][-+]?[0-9]{1,3})?",
        "(inf|NaN|infinity|-inf| 7|7 |[٠-٩]{1,3})",
    ]
}

fn ips() -> impl Strategy<Value = String> {
    prop_oneof![
        noisy(),
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(/[+]?[0-9]{0,4})?",
        "([0-9a-f]{0,4}:){1,7}[0-9a-f]{0,4}(/[0-9]{1,3})?",
        " ?(10\\.0\\.0\\.0|::1|localhost)(/[0-9]{1,3})? ?",
    ]
}

fn bools() -> impl Strategy<Value = String> {
    prop_oneof![noisy(), "(true|false|TRUE|False|tRuE|yes|no|1|0| true|false |truee|)"]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn w005_reports_exactly_the_dates_the_evaluator_cannot_read(v in dates()) {
        agree("W005", "DateLessThan", "aws:CurrentTime", &v)?;
    }

    #[test]
    fn w006_reports_exactly_the_numbers_the_evaluator_cannot_read(v in numbers()) {
        agree("W006", "NumericLessThan", "aws:MultiFactorAuthAge", &v)?;
    }

    #[test]
    fn w004_reports_exactly_the_addresses_the_evaluator_cannot_read(v in ips()) {
        agree("W004", "IpAddress", "aws:SourceIp", &v)?;
    }

    #[test]
    fn w007_reports_exactly_the_booleans_the_evaluator_cannot_read(v in bools()) {
        agree("W007", "Bool", "aws:SecureTransport", &v)?;
    }

    #[test]
    fn w007_reports_exactly_the_null_values_the_evaluator_cannot_read(v in bools()) {
        agree("W007", "Null", "aws:MultiFactorAuthAge", &v)?;
    }
}

/// The two defects that started this: a fractional epoch is a date, non-ASCII digits are not.
#[test]
fn fixed_disagreements() {
    for (value, rejected) in
        [("1700000000.5", false), ("٢٠٢٦", true), ("٢٠٢٦-٠١-٠١", true), ("2026-01-31t10:00z", false)]
    {
        let text = policy("DateGreaterThan", "aws:CurrentTime", value);
        assert_eq!(lint_rejects("W005", &text), rejected, "{value}");
        assert_eq!(evaluator_rejects(&text), rejected, "{value}");
    }
}

/// A policy variable is substituted in `Bool` under Version 2012-10-17 only, and never in `Null`: where
/// it is not, the text is compared as written and can never be `true` or `false`.
#[test]
fn variables_in_bool_and_null() {
    for (version, operator, rejected) in
        [("2012-10-17", "Bool", false), ("2008-10-17", "Bool", true), ("2012-10-17", "Null", true)]
    {
        let text = versioned(version, operator, "aws:SecureTransport", "${aws:PrincipalTag/secure}");
        assert_eq!(lint_rejects("W007", &text), rejected, "{version} {operator}");
        let p = CompiledPolicy::from_source(&text, "p", SourceType::User, Some(PolicyKind::Identity)).unwrap();
        let value = &p.statements[0].conditions[0].values[0];
        assert_eq!(*value == PolicyValue::Invalid, rejected, "{version} {operator}: {value:?}");
    }
}
