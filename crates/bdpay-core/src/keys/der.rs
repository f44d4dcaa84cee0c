//! A minimal DER reader, enough to tell what a key blob is (PKCS#1, PKCS#8, encrypted PKCS#8,
//! SPKI, a certificate) and to say exactly where a damaged one stops making sense.

use crate::message::Msg;
use crate::msg;

/// Tags used in keys.
pub const SEQUENCE: u8 = 0x30;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const NULL: u8 = 0x05;
pub const OID: u8 = 0x06;
/// `[0]` constructed: the version of a certificate's tbsCertificate.
pub const CONTEXT_0: u8 = 0xA0;

/// rsaEncryption, 1.2.840.113549.1.1.1.
pub const OID_RSA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];

/// Where DER reading failed and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerError {
    pub at: usize,
    pub why: Msg,
    /// A well-formed key of an algorithm other than RSA.
    pub not_rsa: bool,
}

/// One tag-length-value element.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    pub tag: u8,
    /// Offset of the tag byte in the whole blob.
    pub start: usize,
    /// Offset of the content in the whole blob.
    pub content_start: usize,
    pub content: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// The elements inside a constructed element.
    #[must_use]
    pub fn children(&self) -> Reader<'a> {
        Reader {
            b: self.content,
            pos: 0,
            base: self.content_start,
        }
    }

    /// The whole element, tag and length included.
    #[must_use]
    pub fn end(&self) -> usize {
        self.content_start + self.content.len()
    }
}

/// Reads consecutive elements from a byte slice that starts at `base` in the whole blob.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    #[must_use]
    pub const fn new(b: &'a [u8]) -> Self {
        Self { b, pos: 0, base: 0 }
    }

    #[must_use]
    pub const fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    /// Offset in the whole blob of the next element.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// The next element.
    pub fn next_tlv(&mut self) -> Result<Tlv<'a>, DerError> {
        let start = self.pos;
        let err = |at: usize, why: Msg| DerError {
            at: self.base + at,
            why,
            not_rsa: false,
        };
        let Some(&tag) = self.b.get(start) else {
            return Err(err(
                start,
                msg!(
                    "the data ends where another element should start",
                    "数据在下一个元素开始处就结束了"
                ),
            ));
        };
        let Some(&l0) = self.b.get(start + 1) else {
            return Err(err(
                start + 1,
                msg!(
                    "the data ends inside an element header",
                    "数据在元素头部中间就结束了"
                ),
            ));
        };
        let (len, hdr) = if l0 < 0x80 {
            (usize::from(l0), 2)
        } else {
            let n = usize::from(l0 & 0x7F);
            if n == 0 || n > 4 {
                return Err(err(
                    start + 1,
                    msg!("invalid length byte 0x{l0:02X}", "长度字节 0x{l0:02X} 无效"),
                ));
            }
            let Some(bytes) = self.b.get(start + 2..start + 2 + n) else {
                return Err(err(
                    start + 2,
                    msg!(
                        "the data ends inside an element length",
                        "数据在元素长度字段中间就结束了"
                    ),
                ));
            };
            (
                bytes.iter().fold(0usize, |a, &b| (a << 8) | usize::from(b)),
                2 + n,
            )
        };
        let content_start = start + hdr;
        let Some(content) = self.b.get(content_start..content_start + len) else {
            let left = self.b.len().saturating_sub(content_start);
            return Err(err(
                start,
                msg!(
                    "an element of {len} bytes runs past the end of the data ({left} bytes left): the key is truncated",
                    "一个 {len} 字节的元素超出了数据末尾（只剩 {left} 字节）：密钥被截断了"
                ),
            ));
        };
        self.pos = content_start + len;
        Ok(Tlv {
            tag,
            start: self.base + start,
            content_start: self.base + content_start,
            content,
        })
    }

    /// The next element, which must have `tag`.
    /// `what` names the element in English and Chinese.
    pub fn expect(&mut self, tag: u8, what: [&str; 2]) -> Result<Tlv<'a>, DerError> {
        let at = self.offset();
        let t = self.next_tlv()?;
        if t.tag == tag {
            Ok(t)
        } else {
            let ([en, zh], found) = (what, t.tag);
            Err(DerError {
                at,
                why: Msg::new(
                    format!("expected {en} (tag 0x{tag:02X}), found tag 0x{found:02X}"),
                    format!("此处应为{zh}（标签 0x{tag:02X}），实际是标签 0x{found:02X}"),
                ),
                not_rsa: false,
            })
        }
    }
}

/// An INTEGER's magnitude without leading zero bytes.
#[must_use]
pub fn unsigned(content: &[u8]) -> &[u8] {
    let first = content
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(content.len());
    &content[first..]
}

/// Bit length of an unsigned big-endian number.
#[must_use]
pub fn bit_len(mag: &[u8]) -> usize {
    mag.first().map_or(0, |&b| {
        (mag.len() - 1) * 8 + (8 - b.leading_zeros() as usize)
    })
}

/// Dotted form of an OID's content bytes.
#[must_use]
pub fn oid_string(c: &[u8]) -> String {
    let mut parts = Vec::new();
    if let Some(&f) = c.first() {
        parts.push(u64::from(f / 40).min(2));
        parts.push(u64::from(f) - parts[0] * 40);
    }
    let mut v: u64 = 0;
    for &b in c.iter().skip(1) {
        v = (v << 7) | u64::from(b & 0x7F);
        if b & 0x80 == 0 {
            parts.push(v);
            v = 0;
        }
    }
    parts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A readable name for well-known key and hash algorithm OIDs.
#[must_use]
pub fn oid_name(c: &[u8]) -> String {
    let dotted = oid_string(c);
    let name = match dotted.as_str() {
        "1.2.840.113549.1.1.1" => "rsaEncryption",
        "1.2.840.10045.2.1" => "EC (ecPublicKey)",
        "1.3.101.112" => "Ed25519",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.156.10197.1.301" => "SM2",
        "1.2.840.113549.1.5.13" => "PBES2",
        "1.2.840.113549.1.5.3" => "pbeWithMD5AndDES-CBC",
        "1.2.840.113549.1.12.1.3" => "pbeWithSHAAnd3-KeyTripleDES-CBC",
        _ => return dotted,
    };
    format!("{name} ({dotted})")
}
