//! The JSON writer of the JSON format: the layout of `serde_json`'s pretty printer (two spaces a level,
//! `": "` after keys, `[]` and `{}` when empty) for a value nested in a document, written straight to
//! the output.
//!
//! It exists for speed: a string is checked for anything to escape in one pass and then written whole,
//! rather than a byte at a time. Numbers other than integers are left to `serde_json`, so every byte
//! is the one its pretty printer would write (the tests of `json.rs` compare the two).

use serde::Serialize;
use serde::ser;
use std::fmt;
use std::io::{self, Write};

/// Two spaces a level, for the usual depths in one write.
static SPACES: [u8; 64] = [b' '; 64];

/// Writes values at one place of a document: `newline` is a line break with the indentation of that
/// place, and `depth` counts the levels opened since.
pub(super) struct Pretty<'a, W: Write + ?Sized> {
    out: &'a mut W,
    newline: &'a [u8],
    depth: usize,
}

/// An I/O error, or a value JSON cannot hold (a map key that is not a string or a number).
#[derive(Debug)]
pub(super) struct Error(io::Error);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(io::Error::other(msg.to_string()))
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error(e)
    }
}

impl From<Error> for io::Error {
    fn from(e: Error) -> Self {
        e.0
    }
}

type Result<T = ()> = std::result::Result<T, Error>;

impl<'a, W: Write + ?Sized> Pretty<'a, W> {
    /// A writer for a value at the place whose line breaks are `newline`.
    pub(super) fn new(out: &'a mut W, newline: &'a [u8]) -> Self {
        Pretty { out, newline, depth: 0 }
    }

    /// Write `value`.
    pub(super) fn value(&mut self, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
        value.serialize(&mut *self).map_err(io::Error::from)
    }

    fn line(&mut self) -> io::Result<()> {
        self.out.write_all(self.newline)?;
        let mut left = 2 * self.depth;
        while left > 0 {
            let n = left.min(SPACES.len());
            self.out.write_all(&SPACES[..n])?;
            left -= n;
        }
        Ok(())
    }

    /// Before an item of the container just opened: the comma after the previous one and a new line.
    fn item(&mut self, first: bool) -> io::Result<()> {
        if !first {
            self.out.write_all(b",")?;
        }
        self.line()
    }

    /// Closes a container opened with `bracket`'s partner; `empty` when it got no item.
    fn close(&mut self, empty: bool, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if !empty {
            self.line()?;
        }
        self.out.write_all(bracket)
    }

    fn string(&mut self, s: &str) -> io::Result<()> {
        self.out.write_all(b"\"")?;
        escaped(self.out, s)?;
        self.out.write_all(b"\"")
    }

    fn integer(&mut self, negative: bool, n: u64) -> io::Result<()> {
        let mut buf = [0u8; 21];
        let mut at = buf.len();
        let mut n = n;
        loop {
            at -= 1;
            buf[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        if negative {
            at -= 1;
            buf[at] = b'-';
        }
        self.out.write_all(&buf[at..])
    }
}

/// `s` with `"`, `\` and control characters escaped as `serde_json` escapes them; the runs between
/// are written whole.
fn escaped<W: Write + ?Sized>(out: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    // Most strings need nothing: one pass without early exit (which the compiler can vectorise)
    // tells, and the string is written whole.
    let special = |b: u8| u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\');
    if bytes.iter().fold(0, |any, &b| any | special(b)) == 0 {
        return out.write_all(bytes);
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        if start < i {
            out.write_all(&bytes[start..i])?;
        }
        start = i + 1;
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.write_all(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]])?;
                continue;
            }
        };
        out.write_all(short)?;
    }
    if start < bytes.len() {
        out.write_all(&bytes[start..])?;
    }
    Ok(())
}

impl<'p, 'a, W: Write + ?Sized> ser::Serializer for &'p mut Pretty<'a, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'p, 'a, W>;
    type SerializeTuple = Compound<'p, 'a, W>;
    type SerializeTupleStruct = Compound<'p, 'a, W>;
    type SerializeTupleVariant = Compound<'p, 'a, W>;
    type SerializeMap = Compound<'p, 'a, W>;
    type SerializeStruct = Compound<'p, 'a, W>;
    type SerializeStructVariant = Compound<'p, 'a, W>;

    fn serialize_bool(self, v: bool) -> Result {
        Ok(self.out.write_all(if v { b"true" } else { b"false" })?)
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result {
        Ok(self.integer(v < 0, v.unsigned_abs())?)
    }
    fn serialize_i128(self, v: i128) -> Result {
        Ok(write!(self.out, "{v}")?)
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result {
        Ok(self.integer(false, v)?)
    }
    fn serialize_u128(self, v: u128) -> Result {
        Ok(write!(self.out, "{v}")?)
    }
    fn serialize_f32(self, v: f32) -> Result {
        serde_json::to_writer(&mut *self.out, &v).map_err(|e| Error(e.into()))
    }
    fn serialize_f64(self, v: f64) -> Result {
        serde_json::to_writer(&mut *self.out, &v).map_err(|e| Error(e.into()))
    }
    fn serialize_char(self, v: char) -> Result {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result {
        Ok(self.string(v)?)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        Ok(self.out.write_all(b"null")?)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _name: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.variant_open(variant)?;
        value.serialize(&mut *self)?;
        Ok(self.variant_close()?)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Compound::open(self, *b"[]", false)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        self.variant_open(variant)?;
        Compound::open(self, *b"[]", true)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Compound::open(self, *b"{}", false)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self::SerializeStruct> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        self.variant_open(variant)?;
        Compound::open(self, *b"{}", true)
    }
}

impl<W: Write + ?Sized> Pretty<'_, W> {
    /// `{` and the key of an enum variant's value, as `serde_json` writes a newtype, tuple or struct
    /// variant.
    fn variant_open(&mut self, variant: &str) -> io::Result<()> {
        self.out.write_all(b"{")?;
        self.depth += 1;
        self.item(true)?;
        self.string(variant)?;
        self.out.write_all(b": ")
    }

    /// The `}` that closes [`Pretty::variant_open`].
    fn variant_close(&mut self) -> io::Result<()> {
        self.close(false, b"}")
    }
}

/// An array or object being written.
pub(super) struct Compound<'p, 'a, W: Write + ?Sized> {
    ser: &'p mut Pretty<'a, W>,
    first: bool,
    /// `]` or `}`.
    close: u8,
    /// Whether it is the value of a tuple or struct variant (closed by a `}` too).
    variant: bool,
}

impl<'p, 'a, W: Write + ?Sized> Compound<'p, 'a, W> {
    fn open(ser: &'p mut Pretty<'a, W>, brackets: [u8; 2], variant: bool) -> Result<Self> {
        ser.out.write_all(&brackets[..1])?;
        ser.depth += 1;
        Ok(Compound { ser, first: true, close: brackets[1], variant })
    }

    /// The next item of an array.
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        self.ser.item(self.first)?;
        self.first = false;
        value.serialize(&mut *self.ser)
    }

    /// The key of the next field of an object.
    fn key(&mut self, key: &str) -> Result {
        self.ser.item(self.first)?;
        self.first = false;
        self.ser.string(key)?;
        Ok(self.ser.out.write_all(b": ")?)
    }

    fn finish(self) -> Result {
        self.ser.close(self.first, &[self.close])?;
        if self.variant {
            self.ser.variant_close()?;
        }
        Ok(())
    }
}

/// The serde traits of arrays: each item is an element.
macro_rules! arrays {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<W: Write + ?Sized> ser::$trait for Compound<'_, '_, W> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
                self.element(value)
            }
            fn end(self) -> Result {
                self.finish()
            }
        }
    )*};
}

arrays!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The serde traits of structs: each field is a key and its value.
macro_rules! structs {
    ($($trait:ident),*) => {$(
        impl<W: Write + ?Sized> ser::$trait for Compound<'_, '_, W> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result {
                self.key(key)?;
                value.serialize(&mut *self.ser)
            }
            fn end(self) -> Result {
                self.finish()
            }
        }
    )*};
}

structs!(SerializeStruct, SerializeStructVariant);

impl<W: Write + ?Sized> ser::SerializeMap for Compound<'_, '_, W> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        // Keys are rare here (the maps of request context) and JSON's are text: a string as it is, a
        // number or boolean in its JSON spelling, quoted, as `serde_json` writes them.
        match serde_json::to_value(key).map_err(|e| Error(io::Error::other(e)))? {
            serde_json::Value::String(s) => self.key(&s),
            v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_)) => self.key(&v.to_string()),
            _ => Err(<Error as ser::Error>::custom("a map key must be a string, a number or a boolean")),
        }
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        value.serialize(&mut *self.ser)
    }
    fn end(self) -> Result {
        self.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(i32),
        Tuple(u8, Option<&'static str>),
        Struct { a: Vec<u8>, b: BTreeMap<u32, bool> },
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Pair(i64, f64);

    #[derive(Serialize)]
    struct Everything {
        shapes: Vec<Shape>,
        empty_list: Vec<u8>,
        empty_map: BTreeMap<String, u8>,
        nested_empty: Vec<Vec<u8>>,
        text: String,
        ch: char,
        unit: Unit,
        pair: Pair,
        big: (i128, u128, u64, i64),
        bytes: serde_json::Value,
        none: Option<u8>,
        keys: BTreeMap<i16, Vec<BTreeMap<char, Option<u8>>>>,
    }

    /// Every shape serde has, written as `serde_json`'s pretty printer writes it, at the top of a
    /// document and nested in one.
    #[test]
    fn writes_what_the_pretty_printer_writes() {
        let text: String = (0u8..=0x7f).map(char::from).chain("é\u{2028}😀\"\\".chars()).collect();
        let value = Everything {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(-7),
                Shape::Tuple(3, None),
                Shape::Tuple(4, Some("x")),
                Shape::Struct { a: vec![], b: BTreeMap::from([(1, true), (20, false)]) },
            ],
            empty_list: vec![],
            empty_map: BTreeMap::new(),
            nested_empty: vec![vec![], vec![1], vec![]],
            text: text.clone(),
            ch: '"',
            unit: Unit,
            pair: Pair(i64::MIN, -0.5e-300),
            big: (i128::MIN, u128::MAX, u64::MAX, 0),
            bytes: serde_json::json!([1.5, f64::MAX, 1e21, -0.0, "t\u{0}", {"z": null, "a": []}]),
            none: None,
            keys: BTreeMap::from([(-1, vec![BTreeMap::from([('k', None)])]), (2, vec![])]),
        };
        let expected = serde_json::to_string_pretty(&value).unwrap();
        let mut out = Vec::new();
        Pretty::new(&mut out, b"\n").value(&value).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        // Nested: every line break carries the place's indentation.
        let mut out = Vec::new();
        Pretty::new(&mut out, b"\n    ").value(&value).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected.replace('\n', "\n    "));
        // A map key JSON cannot hold is an error, not a panic.
        let bad = BTreeMap::from([((1, 2), 3)]);
        assert!(Pretty::new(&mut Vec::new(), b"\n").value(&bad).is_err());
    }
}
