//! Backslash escapes in PHP's double-quoted strings and Python's string and bytes literals,
//! which share most of them.

use super::{Cur, Res, fail};
use crate::msg;

/// Appends code point `v` (a byte, for a bytes literal) to a decoded string.
fn push_code(c: &Cur, out: &mut Vec<u8>, v: u32, bytes: bool) -> Res<()> {
    if bytes && v < 256 {
        out.push(v as u8);
        return Ok(());
    }
    let Some(ch) = char::from_u32(v) else {
        return fail(c, || {
            msg!(
                "an escape naming a Unicode character",
                "表示 Unicode 字符的转义"
            )
        });
    };
    out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
    Ok(())
}

/// `min..=max` hexadecimal digits at the cursor, as a number.
fn hex_digits(c: &mut Cur, min: usize, max: usize) -> Res<u32> {
    let n = c
        .rest()
        .iter()
        .take(max)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    if n < min {
        return fail(c, || {
            msg!(
                "{min} hexadecimal digits after the backslash",
                "反斜杠后的 {min} 位十六进制数字"
            )
        });
    }
    let v = u32::from_str_radix(&c.t[c.pos..c.pos + n], 16).unwrap_or(0xFFFD);
    c.pos += n;
    Ok(v)
}

/// Decodes an escape after a backslash (the cursor after the backslash) into `out`: PHP
/// double-quoted strings and Python literals share most of them. `bytes` makes `\xNN` a byte.
pub(super) fn escape(c: &mut Cur, out: &mut Vec<u8>, python: bool, bytes: bool) -> Res<()> {
    let Some(e) = c.peek() else {
        return Ok(());
    };
    let simple = match e {
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'r' => Some(b'\r'),
        b'v' => Some(0x0B),
        b'f' => Some(0x0C),
        b'\\' => Some(b'\\'),
        b'"' => Some(b'"'),
        b'\'' if python => Some(b'\''),
        b'$' if !python => Some(b'$'),
        b'e' if !python => Some(0x1B),
        b'a' if python => Some(0x07),
        b'b' if python => Some(0x08),
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        c.pos += 1;
        return Ok(());
    }
    match e {
        b'0'..=b'7' => {
            let n = c
                .rest()
                .iter()
                .take(3)
                .take_while(|b| (b'0'..=b'7').contains(b))
                .count();
            let v = u32::from_str_radix(&c.t[c.pos..c.pos + n], 8).unwrap_or(0);
            c.pos += n;
            push_code(c, out, v & 0xFF, bytes)
        }
        b'x' => {
            c.pos += 1;
            let v = hex_digits(c, if python { 2 } else { 1 }, 2)?;
            push_code(c, out, v, bytes)
        }
        b'u' if python && !bytes => {
            c.pos += 1;
            let v = hex_digits(c, 4, 4)?;
            push_code(c, out, v, false)
        }
        b'U' if python && !bytes => {
            c.pos += 1;
            let v = hex_digits(c, 8, 8)?;
            push_code(c, out, v, false)
        }
        b'u' if !python && c.rest().get(1) == Some(&b'{') => {
            c.pos += 2;
            let v = hex_digits(c, 1, 6)?;
            c.expect("}")?;
            push_code(c, out, v, false)
        }
        b'\n' if python => {
            c.pos += 1;
            Ok(())
        }
        _ => {
            // Not an escape: the backslash stays, and the character is copied as it is.
            out.push(b'\\');
            Ok(())
        }
    }
}
