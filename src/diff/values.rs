//! Representatives of one condition key: absent, and one value per region that the literals of every
//! operator on the key (in both versions) cut its values into; sets of them for multi-valued keys.

use super::glob::{self, Glob, Mode};
use crate::eval::condition::{CompiledCondition, PolicyValue};
use crate::semantics::operator::Family;
use crate::semantics::value::Cidr;
use crate::semantics::wildcard::Tok;

/// The request values to try for one key: `None` is "absent".
pub type KeyValues = Vec<Option<Vec<String>>>;

/// Why a key's regions could not be decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Undecided(pub String);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Category {
    Str,
    Num,
    Date,
    Bool,
    Ip,
    Binary,
}

fn category(f: Family) -> Option<Category> {
    match f {
        Family::StringEquals { .. } | Family::StringLike | Family::Arn => Some(Category::Str),
        Family::Numeric(_) => Some(Category::Num),
        Family::Date(_) => Some(Category::Date),
        Family::Bool => Some(Category::Bool),
        Family::Ip => Some(Category::Ip),
        Family::Binary => Some(Category::Binary),
        Family::Null | Family::Unknown => None,
    }
}

/// The largest number of single values whose every subset is tried for a multi-valued key.
const MAX_SUBSET_BASE: usize = 6;
/// The product-state budget of the string search of one key.
const MAX_STATES: usize = 20_000;

/// What is known about a key besides the conditions on it.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyTraits {
    /// Some condition uses `ForAllValues` or `ForAnyValue` on it.
    pub set_key: bool,
    /// A request may send several values (not known to be single-valued).
    pub multi: bool,
    /// The request always carries the key (principal-derived keys), so "absent" is not tried.
    pub always_sent: bool,
    /// The catalog types the key `Bool`, so a request sends `true` or `false` and no other text.
    pub boolean: bool,
}

/// The values to try for a key tested by `conds`.
pub fn key_values(conds: &[&CompiledCondition], traits: KeyTraits) -> (KeyValues, Option<Undecided>) {
    let KeyTraits { set_key, multi, always_sent, boolean } = traits;
    let mut undecided = None;
    let cats: Vec<Category> = {
        let mut v: Vec<Category> = conds.iter().filter_map(|c| category(c.family)).collect();
        v.dedup();
        v.sort_by_key(|c| *c as u8);
        v.dedup();
        v
    };
    if cats.len() > 1 {
        undecided = Some(Undecided(format!(
            "`{}` is compared as {} at once; regions across value grammars are not decided",
            conds[0].key,
            cats.iter().map(|c| format!("{c:?}").to_ascii_lowercase()).collect::<Vec<_>>().join(" and ")
        )));
    }
    let mut singles: Vec<String> = Vec::new();
    let push = |s: String, singles: &mut Vec<String>| {
        if !singles.contains(&s) {
            singles.push(s);
        }
    };
    for cat in &cats {
        match cat {
            Category::Str => {
                // One list per condition entry: its values are alternatives.
                let mut globs: Vec<Vec<Glob>> = Vec::new();
                for c in conds {
                    let mut list = Vec::new();
                    for v in &c.values {
                        let (toks, mode) = match (c.family, v) {
                            (Family::StringEquals { ci }, PolicyValue::Str(s)) => (
                                s.chars().map(|ch| Tok::Lit(if ci { ch.to_ascii_lowercase() } else { ch })).collect(),
                                if ci { Mode::CaseInsensitive } else { Mode::Plain },
                            ),
                            (Family::StringLike, PolicyValue::Glob(t)) => (t.to_vec(), Mode::Plain),
                            (Family::Arn, PolicyValue::Glob(t)) => (t.to_vec(), Mode::Arn),
                            _ => continue,
                        };
                        let g = Glob { toks, mode };
                        if !list.contains(&g) {
                            list.push(g);
                        }
                    }
                    if !list.is_empty() && !globs.contains(&list) {
                        globs.push(list);
                    }
                }
                match glob::representatives(&globs, MAX_STATES) {
                    Ok(reps) => reps.into_iter().for_each(|r| push(r, &mut singles)),
                    Err(e) => {
                        undecided = Some(Undecided(format!(
                            "the patterns on `{}` need more than {} automaton states",
                            conds[0].key, e.states
                        )));
                    }
                }
            }
            Category::Num => {
                let mut lits: Vec<f64> = conds
                    .iter()
                    .flat_map(|c| &c.values)
                    .filter_map(|v| if let PolicyValue::Num(n) = v { Some(*n) } else { None })
                    .collect();
                lits.sort_by(f64::total_cmp);
                lits.dedup();
                for n in points(&lits, 1.0, |a, b| Some(f64::midpoint(a, b))) {
                    push(number_text(n), &mut singles);
                }
                push("not-a-number".into(), &mut singles);
            }
            Category::Date => {
                let mut lits: Vec<i64> = conds
                    .iter()
                    .flat_map(|c| &c.values)
                    .filter_map(|v| if let PolicyValue::Date(d) = v { Some(*d) } else { None })
                    .collect();
                lits.sort_unstable();
                lits.dedup();
                for d in points(&lits, 1000, |a, b| (b - a >= 2).then_some(a + (b - a) / 2)) {
                    push(date_text(d), &mut singles);
                }
                push("not-a-date".into(), &mut singles);
            }
            Category::Bool => {
                for v in ["true", "false"] {
                    push(v.into(), &mut singles);
                }
                if !boolean {
                    push("not-a-boolean".into(), &mut singles);
                }
            }
            Category::Ip => {
                for p in ip_points(conds) {
                    push(p, &mut singles);
                }
                push("not-an-ip".into(), &mut singles);
            }
            Category::Binary => {
                for c in conds {
                    for v in &c.values {
                        if let PolicyValue::Bytes(b) = v {
                            push(base64(b), &mut singles);
                        }
                    }
                }
                push("aWFtbGludA==".into(), &mut singles);
                push("not base64".into(), &mut singles);
            }
        }
    }
    if singles.is_empty() {
        // Only `Null` (or unknown operators) test the key: any value stands for "present".
        singles.push("x".into());
    }
    let mut out: KeyValues = Vec::new();
    if !always_sent {
        out.push(None);
    }
    out.extend(singles.iter().map(|s| Some(vec![s.clone()])));
    if set_key {
        if singles.len() <= MAX_SUBSET_BASE {
            for mask in 1u32..(1 << singles.len()) {
                if mask.count_ones() >= 2 {
                    out.push(Some(
                        singles
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .map(|(_, s)| s.clone())
                            .collect(),
                    ));
                }
            }
        } else {
            for i in 0..singles.len() {
                for j in i + 1..singles.len() {
                    out.push(Some(vec![singles[i].clone(), singles[j].clone()]));
                }
            }
            undecided.get_or_insert_with(|| {
                Undecided(format!(
                    "`{}` is multi-valued and its values fall into {} regions; only sets of up to two values were tried",
                    conds[0].key,
                    singles.len()
                ))
            });
        }
    } else if multi && singles.len() >= 2 {
        // A plain operator on several values: every such request is decided alike.
        out.push(Some(vec![singles[0].clone(), singles[1].clone()]));
    }
    (out, undecided)
}

/// Each literal, a point between neighbours, and one below the least and above the greatest.
fn points<T: Copy + PartialOrd + std::ops::Sub<Output = T> + std::ops::Add<Output = T>>(
    lits: &[T],
    step: T,
    between: impl Fn(T, T) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    if let Some(first) = lits.first() {
        out.push(*first - step);
    }
    for (i, l) in lits.iter().enumerate() {
        out.push(*l);
        if let Some(next) = lits.get(i + 1)
            && let Some(m) = between(*l, *next)
        {
            out.push(m);
        }
    }
    if let Some(last) = lits.last() {
        out.push(*last + step);
    }
    out
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// Epoch milliseconds as an ISO 8601 UTC date-time with milliseconds.
pub fn date_text(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // H. Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The first address of every elementary interval the CIDRs cut each address family into.
fn ip_points(conds: &[&CompiledCondition]) -> Vec<String> {
    let mut v4: Vec<u64> = vec![0];
    let mut v6: Vec<u128> = vec![0];
    for c in conds {
        for v in &c.values {
            if let PolicyValue::Ip(net) = v {
                match net.network() {
                    Cidr::V4(a, l) => {
                        let size = 1u64 << (32 - u32::from(l));
                        v4.push(u64::from(a));
                        v4.push(u64::from(a) + size);
                    }
                    Cidr::V6(a, l) => {
                        v6.push(a);
                        if l > 0 {
                            v6.push(a.saturating_add(1u128 << (128 - u32::from(l))));
                        }
                    }
                }
            }
        }
    }
    v4.sort_unstable();
    v4.dedup();
    v6.sort_unstable();
    v6.dedup();
    let mut out: Vec<String> = v4
        .into_iter()
        .filter(|a| u32::try_from(*a).is_ok())
        .map(|a| std::net::Ipv4Addr::from(a as u32).to_string())
        .collect();
    out.extend(v6.into_iter().map(|a| std::net::Ipv6Addr::from(a).to_string()));
    out
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::semantics::value;

    #[test]
    fn dates_round_trip() {
        for ms in [0, 1_700_000_000_123, 951_782_400_000, -86_400_000] {
            assert_eq!(value::date(&date_text(ms)), Ok(ms), "{}", date_text(ms));
        }
    }

    #[test]
    fn base64_round_trips() {
        for b in [&b""[..], b"a", b"ab", b"abc", b"abcd"] {
            assert_eq!(value::binary(&base64(b)).unwrap(), b.to_vec());
        }
    }
}
