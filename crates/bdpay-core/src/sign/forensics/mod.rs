//! Why a signature does not verify. One RSA public operation on the signature recovers the
//! padded digest: invalid padding means another key made it; a non-SHA-1 DigestInfo names the
//! hash; a SHA-1 digest of some other string is matched against candidate strings built from the
//! mistakes merchants make, by hashing alone.
//!
//! This module names the cause; `signature` reads the signature and recovers its digest,
//! `candidates` builds the strings tried, `encode` holds the URL encodings they use.

mod candidates;
mod encode;
mod signature;

use sha1::{Digest as _, Sha1};

use super::Plan;
use crate::fastrsa::PublicKey;
use crate::message::Msg;
use crate::msg;
use crate::payload::Payload;
use crate::source::Span;
pub use candidates::NOTIFY_FIELDS;
use candidates::candidates;
pub use encode::{form_encode, rfc3986_encode};
use signature::{Digest, Repair, decode_signature, other_hash, recover};
pub use signature::{b64, describe_hash};

/// The named cause of a verification result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    Valid,
    /// No signature, an empty one, or one under `sign` instead of `rsaSign`.
    Missing {
        under_sign: bool,
        empty: bool,
    },
    /// Not a base64 signature of the key's size; `verifies` when it does after the repair named.
    Malformed {
        looks_like: Msg,
        verifies: bool,
    },
    PlusBecameSpace,
    UrlSafe,
    /// The padding is invalid under the key used; `verified_by` names another key that verifies it.
    WrongKey {
        verified_by: Option<Msg>,
    },
    /// Another hash; `string_ok` says whether it was over the right string.
    HashNotSha1 {
        hash: &'static str,
        string_ok: bool,
    },
    FieldsWrong {
        how: Msg,
        signed: Vec<String>,
    },
    Unsorted {
        how: Msg,
    },
    UrlEncoded {
        how: Msg,
    },
    /// `before_verify`: the payload as given lacks empty fields the platform sent and signed.
    EmptyDropped {
        dropped: Vec<String>,
        before_verify: bool,
    },
    /// `after_signing`: the signer is the platform, which signs what it sends; a value that
    /// differs was changed after it signed (a forgery, a proxy, the merchant's framework).
    ValuesAltered {
        how: Msg,
        after_signing: bool,
    },
    /// None of the known causes: the canonical string to compare against is in the diagnosis.
    Unknown,
}

/// The outcome of verifying one payload.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub cause: Cause,
    /// The canonical string that should have been signed.
    pub expected: String,
    /// The string that was signed, when it was found and differs from `expected`.
    pub signed: Option<String>,
    /// The signature value in the source, or where it should be.
    pub span: Span,
}

/// Another key to try when the expected one rejects the signature's padding.
pub struct OtherKey<'a> {
    pub name: &'a Msg,
    pub key: &'a PublicKey,
}

/// Verifies a payload's signature with `key` and names the cause when it fails.
#[must_use]
pub fn diagnose(p: &Payload, plan: &Plan, key: &PublicKey, others: &[OtherKey<'_>]) -> Verdict {
    let expected = plan.canonical();
    let (cause, signed, span) = judge(p, plan, key, others, &expected);
    Verdict {
        cause,
        expected,
        signed,
        span,
    }
}

/// [`diagnose`] without the canonical string it is given: the cause, the string signed when
/// found, and the place.
fn judge(
    p: &Payload,
    plan: &Plan,
    key: &PublicKey,
    others: &[OtherKey<'_>],
    expected: &str,
) -> (Cause, Option<String>, Span) {
    let start = Span::new(p.root.span.start, p.root.span.start + 1);
    let Some(m) = p.get(plan.sig_field) else {
        let under_sign = plan.sig_field == "rsaSign" && p.get("sign").is_some();
        let span = p.get("sign").map_or(start, |m| m.key_span);
        return (
            Cause::Missing {
                under_sign,
                empty: false,
            },
            None,
            span,
        );
    };
    let span = m.value.span;
    let text = m.value.scalar_text().unwrap_or("");
    if text.trim().is_empty() {
        return (
            Cause::Missing {
                under_sign: false,
                empty: true,
            },
            None,
            span,
        );
    }
    let k = key.size();
    let (sig, repair) = match decode_signature(text, k) {
        Ok(x) => x,
        Err(looks_like) => {
            return (
                Cause::Malformed {
                    looks_like,
                    verifies: false,
                },
                None,
                span,
            );
        }
    };
    let Some(info) = recover(key, &sig) else {
        let verified_by = others
            .iter()
            .find(|o| o.key.size() == sig.len() && recover(o.key, &sig).is_some())
            .map(|o| o.name.clone());
        let cause = match repair {
            Repair::None => Cause::WrongKey { verified_by },
            r => r.cause(false),
        };
        return (cause, None, span);
    };
    let digest = match info {
        Digest::Sha1(d) => d,
        Digest::Other { hash, digest } => {
            let string_ok = other_hash(hash, expected.as_bytes()).is_some_and(|h| h == digest);
            return (Cause::HashNotSha1 { hash, string_ok }, None, span);
        }
    };
    if Sha1::digest(expected.as_bytes()).as_slice() == digest {
        let cause = match repair {
            Repair::None => Cause::Valid,
            r => r.cause(true),
        };
        return (cause, None, span);
    }
    for c in candidates(p, plan) {
        if Sha1::digest(&c.bytes).as_slice() == digest {
            // GBK bytes show as the same characters: the cause says it, the string would not.
            let signed = String::from_utf8(c.bytes).ok();
            let cause = match repair {
                Repair::None => c.cause,
                r => r.cause(false),
            };
            return (cause, signed, span);
        }
    }
    let cause = match repair {
        Repair::None => Cause::Unknown,
        r => r.cause(false),
    };
    (cause, None, span)
}

/// What can be said of a signature without a key: missing, or visibly damaged.
#[must_use]
pub fn syntax_only(p: &Payload, plan: &Plan) -> Option<Verdict> {
    let start = Span::new(p.root.span.start, p.root.span.start + 1);
    let expected = plan.canonical();
    let make = |cause, span| {
        Some(Verdict {
            cause,
            expected: expected.clone(),
            signed: None,
            span,
        })
    };
    let Some(m) = p.get(plan.sig_field) else {
        let under_sign = plan.sig_field == "rsaSign" && p.get("sign").is_some();
        let span = p.get("sign").map_or(start, |m| m.key_span);
        return make(
            Cause::Missing {
                under_sign,
                empty: false,
            },
            span,
        );
    };
    let text = m.value.scalar_text().unwrap_or("");
    let span = m.value.span;
    if text.trim().is_empty() {
        return make(
            Cause::Missing {
                under_sign: false,
                empty: true,
            },
            span,
        );
    }
    if text.trim().contains(' ') {
        return make(Cause::PlusBecameSpace, span);
    }
    if text.contains(['-', '_']) && !text.contains(['+', '/']) {
        return make(Cause::UrlSafe, span);
    }
    if text.contains('%') {
        return make(Repair::PercentEncoded.cause(false), span);
    }
    if let Some((i, c)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
    {
        let (n, at) = (text.chars().count(), text[..i].chars().count() + 1);
        return make(
            Cause::Malformed {
                looks_like: msg!(
                    "{n} characters with {c:?} at position {at} — not base64",
                    "{n} 个字符，第 {at} 个是 {c:?}：不是 base64"
                ),
                verifies: false,
            },
            span,
        );
    }
    // Without a key the size is unknown, but an RSA signature of 1024 to 4096 bits decodes to
    // 128, 256, 384 or 512 bytes; anything else cannot be one.
    let decoded = {
        use base64::Engine as _;
        let t = text.trim();
        base64::engine::general_purpose::STANDARD
            .decode(t)
            .or_else(|_| {
                base64::engine::general_purpose::STANDARD_NO_PAD.decode(t.trim_end_matches('='))
            })
            .map(|v| v.len())
    };
    let n = text.trim().chars().count();
    match decoded {
        Ok(128 | 256 | 384 | 512) => None,
        Ok(got) => make(
            Cause::Malformed {
                looks_like: msg!(
                    "{n} base64 characters decoding to {got} bytes; an RSA signature of 1024 or 2048 bits is 128 or 256 bytes (172 or 344 characters)",
                    "{n} 个 base64 字符，解码为 {got} 字节；1024 或 2048 位 RSA 签名应为 128 或 256 字节（172 或 344 个字符）"
                ),
                verifies: false,
            },
            span,
        ),
        Err(_) => make(
            Cause::Malformed {
                looks_like: msg!(
                    "{n} characters that do not decode as base64",
                    "{n} 个字符，无法按 base64 解码"
                ),
                verifies: false,
            },
            span,
        ),
    }
}
