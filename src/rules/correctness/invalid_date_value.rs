//! W005 invalid-date-value. The docs are in rules/W005.toml.
use crate::model::{ConditionBlock, Statement};
use crate::rules::util::{OpFamily, operator};
use crate::rules::{Check, Cx};
use regex::Regex;
use std::sync::OnceLock;

pub(crate) struct InvalidDateValue;
impl Check for InvalidDateValue {
    fn check_condition(&self, cond: &ConditionBlock, _stmt: &Statement, cx: &mut Cx<'_>) {
        for (op, entry) in cond.entries() {
            if !matches!(operator(&op.op.base), Some((_, OpFamily::Date, _))) {
                continue;
            }
            for v in &entry.values {
                if !is_date(&v.value) {
                    cx.report(v.span, format!("`{}` is not a date", v.value))
                        .label(op.name.span, "a date operator")
                        .help("write an ISO 8601 date or time such as `2026-01-31` or `2026-01-31T23:59:59Z`, or epoch seconds");
                }
            }
        }
    }
}

/// The W3C profile of ISO 8601 that AWS documents, plus epoch seconds.
pub(crate) fn is_date(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))?)?)?)?$",
        )
        .expect("valid regex")
    });
    if !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        return true; // epoch seconds (a bare 4-digit year also lands here)
    }
    let Some(c) = re.captures(s) else { return false };
    let n = |i: usize| c.get(i).map(|m| m.as_str().parse::<u32>().unwrap_or(99));
    let in_range = |i: usize, lo: u32, hi: u32| n(i).is_none_or(|v| (lo..=hi).contains(&v));
    in_range(2, 1, 12)
        && in_range(3, 1, 31)
        && in_range(4, 0, 24)
        && in_range(5, 0, 59)
        && in_range(6, 0, 60)
        && in_range(7, 0, 23)
        && in_range(8, 0, 59)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates() {
        for ok in ["2026", "2026-01", "2026-01-31", "2026-01-31T23:59Z", "2026-01-31T23:59:59.5+01:00", "1700000000"] {
            assert!(super::is_date(ok), "{ok}");
        }
        for bad in ["03/01/2024", "2026-13-01", "2026-01-32", "tomorrow", "", "2026-01-31 10:00"] {
            assert!(!super::is_date(bad), "{bad}");
        }
    }
}
