//! The signature itself: its text decoded, undoing the transport damage found on the way, and
//! the digest one RSA public operation recovers from it, named by its DigestInfo.

use base64::Engine as _;
use sha1::{Digest as _, Sha1};

use super::Cause;
use crate::fastrsa::PublicKey;
use crate::message::Msg;
use crate::msg;

/// What had to be undone to read the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Repair {
    None,
    PlusBecameSpace,
    UrlSafe,
    PercentEncoded,
    Hex,
}

impl Repair {
    pub(super) fn cause(self, verifies: bool) -> Cause {
        match self {
            Self::None => Cause::Valid,
            Self::PlusBecameSpace => Cause::PlusBecameSpace,
            Self::UrlSafe => Cause::UrlSafe,
            Self::PercentEncoded => Cause::Malformed {
                looks_like: msg!(
                    "still URL-encoded (%2B, %2F, %3D): it was encoded twice, or never decoded",
                    "仍是 URL 编码（%2B、%2F、%3D）：被编码了两次，或从未解码"
                ),
                verifies,
            },
            Self::Hex => Cause::Malformed {
                looks_like: msg!("hex, not base64", "十六进制，不是 base64"),
                verifies,
            },
        }
    }
}

/// Decodes a signature of `k` bytes, undoing known transport damage.
pub(super) fn decode_signature(text: &str, k: usize) -> Result<(Vec<u8>, Repair), Msg> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let b64_len = k.div_ceil(3) * 4;
    let ok = |v: Vec<u8>| (v.len() == k).then_some(v);
    if let Some(v) = STANDARD.decode(text).ok().and_then(ok) {
        return Ok((v, Repair::None));
    }
    if text.contains(' ')
        && let Some(v) = STANDARD.decode(text.replace(' ', "+")).ok().and_then(ok)
    {
        return Ok((v, Repair::PlusBecameSpace));
    }
    if text.contains(['-', '_'])
        && let Some(v) = URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .ok()
            .and_then(ok)
    {
        return Ok((v, Repair::UrlSafe));
    }
    if text.contains('%') {
        let decoded = crate::payload::form::percent_decode(&text.replace('+', "%2B"));
        if let Some(v) = STANDARD.decode(decoded).ok().and_then(ok) {
            return Ok((v, Repair::PercentEncoded));
        }
    }
    if text.len() == 2 * k && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        let v: Vec<u8> = (0..k)
            .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap_or(0))
            .collect();
        return Ok((v, Repair::Hex));
    }
    // Say what it looks like.
    let n = text.chars().count();
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        let at = text[..i].chars().count() + 1;
        return Err(msg!(
            "{n} characters with {c:?} at position {at} — not base64",
            "{n} 个字符，第 {at} 个是 {c:?}：不是 base64"
        ));
    }
    let bytes = STANDARD
        .decode(text)
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(text.trim_end_matches('='))
        })
        .map(|v| v.len());
    let bits = k * 8;
    Err(match bytes {
        Ok(got) if got < k => msg!(
            "{n} base64 characters decoding to {got} bytes; a {bits}-bit key's signature is {k} bytes ({b64_len} characters): it is truncated",
            "{n} 个 base64 字符，解码为 {got} 字节；{bits} 位密钥的签名应为 {k} 字节（{b64_len} 个字符）：签名被截断了"
        ),
        Ok(got) => msg!(
            "{n} base64 characters decoding to {got} bytes; a {bits}-bit key's signature is {k} bytes ({b64_len} characters): it was made with a key of another size",
            "{n} 个 base64 字符，解码为 {got} 字节；{bits} 位密钥的签名应为 {k} 字节（{b64_len} 个字符）：签名是用另一种长度的密钥生成的"
        ),
        Err(_) => msg!(
            "{n} characters that do not decode as base64 (a {bits}-bit key's signature is {b64_len} characters)",
            "{n} 个字符，无法按 base64 解码（{bits} 位密钥的签名是 {b64_len} 个字符）"
        ),
    })
}

/// The digest recovered from a signature.
pub(super) enum Digest {
    Sha1(Vec<u8>),
    Other { hash: &'static str, digest: Vec<u8> },
}

const PREFIXES: &[(&str, &[u8])] = &[
    ("SHA-1", &crate::fastrsa::SHA1_PREFIX),
    // SHA-1 without the NULL parameters, which some signers write.
    ("SHA-1", &crate::fastrsa::SHA1_PREFIX_NO_NULL),
    (
        "SHA-256",
        &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x01, 0x05, 0x00, 0x04, 0x20,
        ],
    ),
    (
        "SHA-512",
        &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x03, 0x05, 0x00, 0x04, 0x40,
        ],
    ),
    (
        "SHA-384",
        &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x02, 0x05, 0x00, 0x04, 0x30,
        ],
    ),
    (
        "SHA-224",
        &[
            0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
            0x04, 0x05, 0x00, 0x04, 0x1c,
        ],
    ),
    (
        "MD5",
        &[
            0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05,
            0x05, 0x00, 0x04, 0x10,
        ],
    ),
    (
        "SM3",
        &[
            0x30, 0x30, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x83, 0x11,
            0x05, 0x00, 0x04, 0x20,
        ],
    ),
];

/// One RSA public operation: the PKCS#1 v1.5 type-1 block's payload, or `None` when the
/// padding is invalid (another key made the signature).
pub(super) fn recover(key: &PublicKey, sig: &[u8]) -> Option<Digest> {
    let em = key.public_op(sig)?;
    if em.first() != Some(&0) || em.get(1) != Some(&1) {
        return None;
    }
    let zero = em[2..].iter().position(|&b| b != 0xFF)? + 2;
    if em[zero] != 0 || zero < 10 {
        return None;
    }
    let t = &em[zero + 1..];
    for (name, prefix) in PREFIXES {
        if let Some(d) = t.strip_prefix(*prefix) {
            return Some(if *name == "SHA-1" {
                Digest::Sha1(d.to_vec())
            } else {
                Digest::Other {
                    hash: name,
                    digest: d.to_vec(),
                }
            });
        }
    }
    Some(match t.len() {
        20 => Digest::Other {
            hash: "a raw SHA-1 digest without DigestInfo (NONEwithRSA)",
            digest: t.to_vec(),
        },
        32 => Digest::Other {
            hash: "a raw 32-byte digest without DigestInfo",
            digest: t.to_vec(),
        },
        36 => Digest::Other {
            hash: "MD5+SHA-1 without DigestInfo",
            digest: t.to_vec(),
        },
        _ => Digest::Other {
            hash: "an unknown digest",
            digest: t.to_vec(),
        },
    })
}

pub(super) fn other_hash(hash: &str, msg: &[u8]) -> Option<Vec<u8>> {
    use rsa::sha2::{Sha224, Sha256, Sha384, Sha512};
    Some(match hash {
        "MD5" => md5::Md5::digest(msg).to_vec(),
        "SHA-224" => Sha224::digest(msg).to_vec(),
        "SHA-256" => Sha256::digest(msg).to_vec(),
        "SHA-384" => Sha384::digest(msg).to_vec(),
        "SHA-512" => Sha512::digest(msg).to_vec(),
        "a raw SHA-1 digest without DigestInfo (NONEwithRSA)" => Sha1::digest(msg).to_vec(),
        _ => return None,
    })
}

/// A hash named by the recovered DigestInfo, for people.
#[must_use]
pub fn describe_hash(hash: &str) -> Msg {
    match hash {
        "a raw SHA-1 digest without DigestInfo (NONEwithRSA)" => msg!(
            "a raw SHA-1 digest without DigestInfo (NONEwithRSA)",
            "不带 DigestInfo 的裸 SHA-1 摘要（NONEwithRSA）"
        ),
        "a raw 32-byte digest without DigestInfo" => msg!(
            "a raw 32-byte digest without DigestInfo",
            "不带 DigestInfo 的 32 字节裸摘要"
        ),
        "MD5+SHA-1 without DigestInfo" => msg!(
            "MD5+SHA-1 without DigestInfo",
            "不带 DigestInfo 的 MD5+SHA-1"
        ),
        "an unknown digest" => msg!("an unknown digest", "未知的摘要"),
        named => Msg::same(named),
    }
}

/// Decodes standard base64 signatures for callers that already know they are well formed.
#[must_use]
pub fn b64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}
