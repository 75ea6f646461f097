//! Percent-decoding, for URL-encoded policy documents (`get-account-authorization-details` through
//! the raw API) and `file:` URIs.

/// How strict decoding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `application/x-www-form-urlencoded`: `+` is a space, and a malformed `%` escape or a result
    /// that is not UTF-8 fails.
    Form,
    /// URI paths: `+` is itself, a malformed `%` stays as written, and bytes that are not UTF-8 are
    /// replaced with U+FFFD.
    Lenient,
}

/// Decode `%XX` escapes of `s`.
pub fn decode(s: &str, mode: Mode) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => match s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                None if mode == Mode::Form => return None,
                None => out.push(b'%'),
            },
            b'+' if mode == Mode::Form => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    match mode {
        Mode::Form => String::from_utf8(out).ok(),
        Mode::Lenient => Some(String::from_utf8_lossy(&out).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_and_lenient() {
        assert_eq!(decode("%7B%22a%22%3A1%7D+x", Mode::Form).as_deref(), Some("{\"a\":1} x"));
        assert_eq!(decode("100%", Mode::Form), None);
        assert_eq!(decode("%zz", Mode::Form), None);
        assert_eq!(decode("%FF", Mode::Form), None);
        assert_eq!(decode("/a%20b+c/100%", Mode::Lenient).as_deref(), Some("/a b+c/100%"));
        assert_eq!(decode("%C3%A9", Mode::Lenient).as_deref(), Some("é"));
    }
}
