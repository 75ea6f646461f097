//! One grammar per condition-operator family. The evaluator compiles policy values and reads request
//! values with these functions, and the rules that judge values (W004 IP, W005 date, W006 number,
//! W007 bool) call the same ones, so "invalid" in a lint means "the evaluator can never match it".

use super::arn::Arn;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The value type of a condition-operator family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `String*`: any text.
    String,
    /// `Numeric*`
    Numeric,
    /// `Date*`
    Date,
    /// `IpAddress`, `NotIpAddress`
    Ip,
    /// `Arn*`
    Arn,
    /// `Bool`, `Null`
    Bool,
    /// `BinaryEquals`
    Binary,
}

/// Why a value does not parse as its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueError {
    /// The kind that was expected.
    pub kind: ValueKind,
    /// What is wrong, in a few words.
    pub reason: &'static str,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason)
    }
}

impl std::error::Error for ValueError {}

fn err<T>(kind: ValueKind, reason: &'static str) -> Result<T, ValueError> {
    Err(ValueError { kind, reason })
}

/// A string value: every text is one.
pub fn string(s: &str) -> Result<&str, ValueError> {
    Ok(s)
}

/// `-?digits(.digits)?` in ASCII, the shape shared by numbers and epoch seconds.
fn decimal_shape(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// A number: an optional `-`, ASCII digits, optionally `.` and more digits (`3600`, `-1.5`); surrounding
/// whitespace is ignored. No exponent, `+`, `inf` or `NaN`.
pub fn number(text: &str) -> Result<f64, ValueError> {
    let s = text.trim();
    if !decimal_shape(s) {
        return err(ValueKind::Numeric, "not an integer or decimal");
    }
    s.parse::<f64>().or_else(|_| err(ValueKind::Numeric, "not an integer or decimal"))
}

/// A date, in milliseconds since the epoch: epoch seconds (the [`number`] shape) or the W3C profile
/// of ISO 8601 (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s+]][Z|±hh:mm]`), ASCII digits
/// only. A bare four-digit number is epoch seconds. A time without a zone is read as UTC.
#[expect(clippy::many_single_char_names, reason = "field names follow the ISO 8601 grammar")]
pub fn date(text: &str) -> Result<i64, ValueError> {
    const K: ValueKind = ValueKind::Date;
    let s = text.trim();
    if decimal_shape(s) {
        let n: f64 = s.parse().or_else(|_| err(K, "not a number of seconds"))?;
        return Ok((n * 1000.0) as i64);
    }
    let b = s.as_bytes();
    let bad = || ValueError { kind: K, reason: "not an ISO 8601 date or epoch seconds" };
    let num = |from: usize, len: usize| -> Result<i64, ValueError> {
        let part = s.get(from..from + len).ok_or_else(bad)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse().map_err(|_| bad())
    };
    let year = num(0, 4)?;
    let (mut month, mut day) = (1, 1);
    let mut i = 4;
    if b.get(i) == Some(&b'-') {
        month = num(5, 2)?;
        i = 7;
        if b.get(i) == Some(&b'-') {
            day = num(8, 2)?;
            i = 10;
        }
    }
    if !(1..=12).contains(&month) {
        return err(K, "the month is not 01 to 12");
    }
    if !(1..=31).contains(&day) {
        return err(K, "the day is not 01 to 31");
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    let mut millis = 0;
    if i == 10 && matches!(b.get(i), Some(b'T' | b't')) {
        let (h, m) = (num(11, 2)?, num(14, 2)?);
        if b.get(13) != Some(&b':') {
            return Err(bad());
        }
        if h > 24 || m > 59 {
            return err(K, "the time is out of range");
        }
        secs += h * 3600 + m * 60;
        i = 16;
        if b.get(i) == Some(&b':') {
            let sec = num(17, 2)?;
            if sec > 60 {
                return err(K, "the time is out of range");
            }
            secs += sec;
            i = 19;
            if b.get(i) == Some(&b'.') {
                let frac_end = b[i + 1..].iter().position(|c| !c.is_ascii_digit()).map_or(b.len(), |e| e + i + 1);
                let frac = &s[i + 1..frac_end];
                if frac.is_empty() {
                    return Err(bad());
                }
                let f3: String = frac.chars().chain("000".chars()).take(3).collect();
                millis = f3.parse::<i64>().map_err(|_| bad())?;
                i = frac_end;
            }
        }
        match b.get(i) {
            Some(b'Z' | b'z') if i + 1 == b.len() => {}
            Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
                let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
                if oh > 23 || om > 59 {
                    return err(K, "the zone offset is out of range");
                }
                let off = oh * 3600 + om * 60;
                secs -= if sign == b'+' { off } else { -off };
            }
            None => {}
            _ => return Err(bad()),
        }
    } else if i != b.len() {
        return Err(bad());
    }
    Ok(secs * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An IPv4 or IPv6 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cidr {
    /// IPv4 address and prefix length.
    V4(u32, u8),
    /// IPv6 address and prefix length.
    V6(u128, u8),
}

impl Cidr {
    /// The address as written (host bits included).
    pub fn addr(self) -> IpAddr {
        match self {
            Cidr::V4(a, _) => IpAddr::V4(Ipv4Addr::from(a)),
            Cidr::V6(a, _) => IpAddr::V6(Ipv6Addr::from(a)),
        }
    }

    /// The prefix length (32 or 128 for a bare address).
    pub fn prefix(self) -> u8 {
        match self {
            Cidr::V4(_, l) | Cidr::V6(_, l) => l,
        }
    }

    /// The network itself: the address with its host bits cleared.
    #[must_use]
    pub fn network(self) -> Cidr {
        match self {
            Cidr::V4(a, l) => Cidr::V4(a & u32::MAX.checked_shl(32 - u32::from(l)).unwrap_or(0), l),
            Cidr::V6(a, l) => Cidr::V6(a & u128::MAX.checked_shl(128 - u32::from(l)).unwrap_or(0), l),
        }
    }

    /// Whether `self` (a network) contains the address of `other`. IPv4 never contains IPv6 and vice versa.
    pub fn contains(self, other: Cidr) -> bool {
        match (self.network(), other) {
            (Cidr::V4(net, l), Cidr::V4(a, _)) => Cidr::V4(a, l).network() == Cidr::V4(net, l),
            (Cidr::V6(net, l), Cidr::V6(a, _)) => Cidr::V6(a, l).network() == Cidr::V6(net, l),
            _ => false,
        }
    }
}

/// An IP address or CIDR range: `a.b.c.d[/n]` or an IPv6 address `[/n]`, `n` one to three ASCII
/// digits; a bare address is `/32` or `/128`. Surrounding whitespace is ignored.
pub fn ip(text: &str) -> Result<Cidr, ValueError> {
    const K: ValueKind = ValueKind::Ip;
    let s = text.trim();
    let (addr, len) = match s.split_once('/') {
        Some((a, l)) => {
            if l.is_empty() || l.len() > 3 || !l.bytes().all(|b| b.is_ascii_digit()) {
                return err(K, "the prefix length is not a number");
            }
            (a, Some(l.parse::<u8>().or_else(|_| err(K, "the prefix length is too long"))?))
        }
        None => (s, None),
    };
    if let Ok(v4) = addr.parse::<Ipv4Addr>() {
        let l = len.unwrap_or(32);
        return if l <= 32 { Ok(Cidr::V4(u32::from(v4), l)) } else { err(K, "the prefix length is too long") };
    }
    let v6 = addr.parse::<Ipv6Addr>().or_else(|_| err(K, "not an IPv4 or IPv6 address"))?;
    let l = len.unwrap_or(128);
    if l <= 128 { Ok(Cidr::V6(u128::from(v6), l)) } else { err(K, "the prefix length is too long") }
}

/// `true` or `false`, ASCII case-insensitively.
pub fn boolean(s: &str) -> Result<bool, ValueError> {
    if s.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if s.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        err(ValueKind::Bool, "not `true` or `false`")
    }
}

/// Standard or URL-safe base64 (padding optional, whitespace ignored, anything after `=` ignored).
pub fn binary(s: &str) -> Result<Vec<u8>, ValueError> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => return err(ValueKind::Binary, "not base64"),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Ok(out)
}

/// An `Arn*` value: six `:`-separated fields (`ArnLike` compares field by field, so a value with
/// fewer never matches).
pub fn arn(s: &str) -> Result<Arn<'_>, ValueError> {
    Arn::split(s).ok_or(ValueError { kind: ValueKind::Arn, reason: "fewer than six `:`-separated fields" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(date("1970-01-02"), Ok(86_400_000));
        assert_eq!(date("86400"), Ok(86_400_000));
        assert_eq!(date("1700000000.5"), Ok(1_700_000_000_500));
        assert_eq!(date(" 86400 "), Ok(86_400_000));
        assert_eq!(date("2020-01-01T01:00:00+01:00"), date("2020-01-01T00:00:00Z"));
        assert_eq!(date("2020-01-01T00:00:00.5Z"), Ok(date("2020-01-01").unwrap() + 500));
        assert_eq!(date("2020-01-01t00:00z"), date("2020-01-01"));
        assert_eq!(date("2020-01-01T00:00"), date("2020-01-01"));
        assert_eq!(date("2026").unwrap(), 2_026_000, "a bare year is epoch seconds");
        for bad in [
            "2020-13-01",
            "2020-01-32",
            "yesterday",
            "",
            "03/01/2024",
            "2026-01-31 10:00",
            "٢٠٢٦",
            "٢٠٢٦-01-01",
            "2026-٠1-01",
            "1e9",
            "+86400",
            ".5",
            "2020-01-01T10:00:61Z",
            "2020-01-01T10:00+24:00",
            "2020-01-01T25:00Z",
            "2020-01-01T10:00:00.Z",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert_eq!(date("2020-13-01").unwrap_err().reason, "the month is not 01 to 12");
    }

    #[test]
    fn numbers() {
        assert_eq!(number("3600"), Ok(3600.0));
        assert_eq!(number("-1.25"), Ok(-1.25));
        assert_eq!(number(" 7 "), Ok(7.0));
        for bad in ["", "one hour", "1e3", "inf", "NaN", "+5", ".5", "5.", "١٢", "1.2.3", "-"] {
            assert_eq!(number(bad).unwrap_err().kind, ValueKind::Numeric, "{bad}");
        }
    }

    #[test]
    fn cidrs() {
        let n = ip("203.0.113.0/24").unwrap();
        assert!(n.contains(ip("203.0.113.77").unwrap()));
        assert!(!n.contains(ip("203.0.114.1").unwrap()));
        let v6 = ip("2001:db8::/32").unwrap();
        assert!(v6.contains(ip("2001:db8:1::5").unwrap()));
        assert!(!v6.contains(ip("2001:db9::1").unwrap()));
        assert!(!v6.contains(ip("203.0.113.1").unwrap()));
        assert!(ip("0.0.0.0/0").unwrap().contains(ip("8.8.8.8").unwrap()));
        assert_eq!(ip("10.0.0.1/8").map(|c| (c.addr().to_string(), c.prefix())), Ok(("10.0.0.1".into(), 8)));
        assert_eq!(ip("10.1.2.3/8").unwrap().network(), ip("10.0.0.0/8").unwrap());
        assert_eq!(ip("10.1.2.3/0").unwrap().network(), ip("0.0.0.0/0").unwrap());
        assert_eq!(ip("2001:db8::1/32").unwrap().network(), ip("2001:db8::/32").unwrap());
        assert_eq!(ip("2001:db8::1").unwrap().network(), ip("2001:db8::1/128").unwrap());
        for bad in ["1.2.3.4/33", "1.2.3.4/+8", "1.2.3.4/", "1.2.3.4/0008", "localhost", "::1/129", "1.2.3"] {
            assert!(ip(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bools_binary_arns() {
        assert_eq!(boolean("TRUE"), Ok(true));
        assert_eq!(boolean("false"), Ok(false));
        assert!(boolean("yes").is_err() && boolean(" true").is_err());
        assert_eq!(binary("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(binary("aGVsbG8").unwrap(), b"hello");
        assert!(binary("a$b").is_err());
        assert_eq!(arn("arn:aws:s3:::b/*").map(|a| a.resource), Ok("b/*"));
        assert!(arn("arn:aws:s3").is_err());
        assert_eq!(string("anything"), Ok("anything"));
    }
}
