//! Why a signature does not verify. One RSA public operation on the signature recovers the
//! padded digest: invalid padding means another key made it; the DigestInfo names the hash; a
//! digest of some other string is matched, by hashing alone, against the strings a search over
//! combined mistakes builds (`search`), and every mistake of the combination that matches is
//! named, each with the change that undoes it.
//!
//! This module names the causes; `signature` reads the signature and recovers its digest,
//! `search` builds the strings tried, `encode` holds the URL encodings they use.

mod encode;
mod search;
mod signature;

use sha1::{Digest as _, Sha1};

use super::Plan;
use crate::fastrsa::PublicKey;
use crate::message::Msg;
use crate::msg;
use crate::payload::Payload;
use crate::payload::json::Member;
use crate::source::Span;
pub use encode::{form_encode, rfc3986_encode};
pub use search::NOTIFY_FIELDS;
use signature::{Digest, Repair, decode_signature, other_hash, recover};
pub use signature::{b64, describe_hash};

/// The named cause of a verification result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    Valid,
    /// No signature, an empty one, or one under another field (`under`, e.g. `sign` instead of
    /// `rsaSign`).
    Missing {
        under: Option<String>,
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
    /// `signed` the fields signed, `should` the fields the platform checks.
    FieldsWrong {
        how: Msg,
        signed: Vec<String>,
        should: Vec<String>,
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

/// One mistake of the combination that explains a signature, and the one change that undoes it
/// (`None` where the rule's own fix says it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub cause: Cause,
    pub fix: Option<Msg>,
}

impl From<Cause> for Fault {
    fn from(cause: Cause) -> Self {
        Self { cause, fix: None }
    }
}

/// The outcome of verifying one payload.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Every mistake found, at least one (`[Valid]` when it verifies); together they reproduce
    /// the signature when `signed` is set.
    pub faults: Vec<Fault>,
    /// The string that should be signed, built from the corrected values (a value the payload
    /// has wrong, such as an amount in yuan or a missing `signFieldsRange`, is corrected).
    pub expected: String,
    /// The string that was signed, when it was found and differs from `expected`.
    pub signed: Option<String>,
    /// Whether a string built from the named mistakes hashes to the signed digest (it may not
    /// show as text: GBK bytes).
    pub proven: bool,
    /// The signature value in the source, or where it should be.
    pub span: Span,
}

impl Verdict {
    /// The first cause (the only one unless mistakes were combined).
    #[must_use]
    pub fn cause(&self) -> &Cause {
        self.faults.first().map_or(&Cause::Unknown, |f| &f.cause)
    }

    #[must_use]
    pub fn is_valid(&self) -> bool {
        matches!(self.faults.as_slice(), [f] if f.cause == Cause::Valid)
    }

    /// The causes, in order.
    pub fn causes(&self) -> impl Iterator<Item = &Cause> {
        self.faults.iter().map(|f| &f.cause)
    }
}

/// Another key to try when the expected one rejects the signature's padding.
pub struct OtherKey<'a> {
    pub name: &'a Msg,
    pub key: &'a PublicKey,
}

/// Whether a field name is one merchants put a signature under.
fn is_signature_name(k: &str) -> bool {
    let n: String = k
        .chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(n.as_str(), "rsasign" | "sign" | "signature" | "sig")
}

/// The signature's member: under the plan's field, or (a mistake) under another signature-like
/// name, with that name.
fn locate<'p>(p: &'p Payload, plan: &Plan) -> (Option<&'p Member>, Option<String>) {
    if let Some(m) = p.get(plan.sig_field) {
        return (Some(m), None);
    }
    let other = p
        .root
        .members()
        .iter()
        .find(|m| m.key != plan.sig_field && is_signature_name(&m.key));
    (other, other.map(|m| m.key.to_string()))
}

fn moved(under: &str, to: &str) -> Fault {
    Fault {
        cause: Cause::Missing {
            under: Some(under.to_owned()),
            empty: false,
        },
        fix: Some(msg!(
            "send the signature as `{to}`, not `{under}`",
            "签名放在 `{to}` 中发送，而不是 `{under}`"
        )),
    }
}

/// Verifies a payload's signature with `key` and names the causes when it fails.
#[must_use]
pub fn diagnose(p: &Payload, plan: &Plan, key: &PublicKey, others: &[OtherKey<'_>]) -> Verdict {
    let start = Span::new(p.root.span.start, p.root.span.start + 1);
    let (member, under) = locate(p, plan);
    let Some(m) = member else {
        return Verdict {
            faults: vec![
                Cause::Missing {
                    under: None,
                    empty: false,
                }
                .into(),
            ],
            expected: plan.canonical(),
            signed: None,
            proven: false,
            span: start,
        };
    };
    // A signature under another name is still read; that field is then not a signed one.
    // Cloned only then: every audited line comes through here.
    let moved_plan;
    let plan = match &under {
        Some(u) => {
            let mut p = plan.clone();
            p.fields.retain(|(k, _)| k != u);
            moved_plan = p;
            &moved_plan
        }
        None => plan,
    };
    let mut faults: Vec<Fault> = under.iter().map(|u| moved(u, plan.sig_field)).collect();
    let expected = plan.canonical();
    let span = m.value.span;
    let verdict = |faults: Vec<Fault>, expected: String, signed: Option<Vec<u8>>| Verdict {
        faults,
        expected,
        proven: signed.is_some(),
        // GBK bytes show as the same characters: the cause says it, the string would not.
        signed: signed.and_then(|b| String::from_utf8(b).ok()),
        span,
    };
    let text = m.value.scalar_text().unwrap_or("");
    if text.trim().is_empty() {
        let empty = Cause::Missing {
            under: None,
            empty: true,
        };
        return verdict(vec![empty.into()], expected, None);
    }
    let k = key.size();
    let (sig, repair) = match decode_signature(text, k) {
        Ok(x) => x,
        Err(looks_like) => {
            faults.push(
                Cause::Malformed {
                    looks_like,
                    verifies: false,
                }
                .into(),
            );
            return verdict(faults, expected, None);
        }
    };
    let Some(info) = recover(key, &sig) else {
        let verified_by = others
            .iter()
            .find(|o| o.key.size() == sig.len() && recover(o.key, &sig).is_some())
            .map(|o| o.name.clone());
        faults.push(
            match repair {
                Repair::None => Cause::WrongKey { verified_by },
                r => r.cause(false),
            }
            .into(),
        );
        return verdict(faults, expected, None);
    };
    // The hash the DigestInfo names; the strings are searched with it.
    let (hash, digest) = match info {
        Digest::Sha1(d) => (None, d),
        Digest::Other { hash, digest } => (Some(hash), digest),
    };
    let matches = |bytes: &[u8]| match hash {
        None => Sha1::digest(bytes).as_slice() == digest,
        Some(h) => other_hash(h, bytes).is_some_and(|d| d == digest),
    };
    let repaired =
        |verifies: bool| (repair != Repair::None).then(|| Fault::from(repair.cause(verifies)));
    let hash_fault =
        |string_ok: bool| hash.map(|hash| Fault::from(Cause::HashNotSha1 { hash, string_ok }));
    if matches(expected.as_bytes()) {
        faults.extend(repaired(true));
        faults.extend(hash_fault(true));
        if faults.is_empty() {
            faults.push(Cause::Valid.into());
        }
        return verdict(faults, expected, None);
    }
    faults.extend(repaired(false));
    faults.extend(hash_fault(false));
    let searchable = hash.is_none_or(|h| other_hash(h, b"").is_some());
    if searchable && let Some(hit) = search::search(p, plan, m.key.as_str(), &matches) {
        faults.extend(hit.faults);
        let expected = super::join(&hit.corrected);
        return verdict(faults, expected, Some(hit.signed));
    }
    // A repair, a moved signature or another hash is named; what else changed the string is not
    // known.
    faults.push(Cause::Unknown.into());
    verdict(faults, expected, None)
}

/// Room for a decoded signature of the largest key (8192 bits). A longer text fails to decode
/// into it, which is right: its signature is not the key's size.
const SIGNATURE_ROOM: usize = 1024;

/// Whether [`diagnose`] would find the signature `text` valid for a plan whose canonical string
/// is `canonical`: present, standard base64 of the key's size with nothing to repair, and a SHA-1
/// DigestInfo over exactly that string. `audit`'s first tier asks this of a plain line, without
/// the span-keeping payload.
///
/// The same answer as `recover` giving that digest: for a key of k bytes there are two
/// PKCS#1 v1.5 encodings of a SHA-1 DigestInfo with a 20-byte digest (with and without the
/// NULL parameters), and [`PublicKey::verify_sha1`] checks the signature against exactly them
/// (a unit test compares the two on valid, damaged and other-hash signatures).
#[must_use]
pub(crate) fn verifies_plainly(key: &PublicKey, canonical: &[u8], text: &str) -> bool {
    use base64::Engine as _;
    // `decode_signature` gives `Repair::None` exactly when standard base64 decodes to the
    // key's size; decoded here into the stack, as the hot path of `audit` asks this of every
    // line.
    // Up to 2048-bit keys without zeroing the whole room.
    let (mut small, mut large) = ([0u8; 256], Vec::new());
    let room: &mut [u8] = if key.size() <= small.len() {
        &mut small
    } else {
        large.resize(SIGNATURE_ROOM, 0);
        &mut large
    };
    match base64::engine::general_purpose::STANDARD.decode_slice(text, room) {
        Ok(n) if n == key.size() => key.verify_sha1(&Sha1::digest(canonical).into(), &room[..n]),
        _ => false,
    }
}

/// What can be said of a signature without a key: missing, or visibly damaged.
#[must_use]
pub fn syntax_only(p: &Payload, plan: &Plan) -> Option<Verdict> {
    let start = Span::new(p.root.span.start, p.root.span.start + 1);
    let expected = plan.canonical();
    let make = |cause, span| {
        Some(Verdict {
            faults: vec![Fault::from(cause)],
            expected: expected.clone(),
            signed: None,
            proven: false,
            span,
        })
    };
    let Some(m) = p.get(plan.sig_field) else {
        let (member, under) = locate(p, plan);
        let span = member.map_or(start, |m| m.key_span);
        return make(
            Cause::Missing {
                under,
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
                under: None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use rsa::BoxedUint;
    use rsa::traits::PublicKeyParts as _;

    fn key(path: &str) -> crate::keys::Key {
        crate::keys::read(&std::fs::read(crate::fixture(path)).unwrap()).unwrap()
    }

    /// The private operation on a chosen encoded message: any padding, any DigestInfo.
    fn sign_em(private: &rsa::PrivateKey, em: &[u8]) -> String {
        let m = BoxedUint::from_be_slice(em, private.n_bits_precision()).unwrap();
        let s = rsa::hazmat::rsa_decrypt(None::<&mut getrandom::SysRng>, private, &m).unwrap();
        let raw = s.to_be_bytes();
        base64::engine::general_purpose::STANDARD.encode(&raw[raw.len() - private.size()..])
    }

    /// The definition `verifies_plainly` had before it used `verify_sha1`: recover the
    /// encoded message and compare its SHA-1 digest.
    fn by_recovery(key: &PublicKey, canonical: &[u8], text: &str) -> bool {
        if text.trim().is_empty() {
            return false;
        }
        let Ok((sig, Repair::None)) = decode_signature(text, key.size()) else {
            return false;
        };
        matches!(recover(key, &sig), Some(Digest::Sha1(d)) if Sha1::digest(canonical).as_slice() == d)
    }

    #[test]
    fn verifies_plainly_agrees_with_recovery() {
        let k = key("fixtures/keys/test-1024.pkcs1.pem");
        let private = k.private.as_ref().unwrap();
        let fast = PublicKey::from_rsa(&k.public_key().unwrap()).unwrap();
        let other = PublicKey::from_rsa(
            &key("fixtures/keys/platform-test.pub.pem")
                .public_key()
                .unwrap(),
        )
        .unwrap();
        let canonical = b"count=1&dealId=470193086&orderId=1&totalMoney=100";
        let digest = Sha1::digest(canonical);
        let size = fast.size();
        // 00 01 FF..FF 00 || t, padded to the key's size.
        let encode = |t: &[u8]| {
            let mut em = vec![0, 1];
            em.resize(size - t.len() - 1, 0xFF);
            em.push(0);
            em.extend_from_slice(t);
            em
        };
        let sha1_info = [&crate::fastrsa::SHA1_PREFIX[..], &digest].concat();
        let standard = encode(&sha1_info);
        let mut block_type_2 = standard.clone();
        block_type_2[1] = 2;
        let mut short_padding = standard.clone();
        short_padding[5] = 0xFE;
        // SHA-1 DigestInfo without the NULL parameters.
        let no_null = [&crate::fastrsa::SHA1_PREFIX_NO_NULL[..], &digest].concat();
        let other_digest = [&crate::fastrsa::SHA1_PREFIX[..], &Sha1::digest(b"x")].concat();
        let sha256 = rsa::sha2::Sha256::digest(canonical);
        let mut cases = vec![
            (sign_em(private, &standard), true),
            (sign_em(private, &encode(&digest)), false),
            (sign_em(private, &encode(&no_null)), true),
            (sign_em(private, &encode(&other_digest)), false),
            (sign_em(private, &block_type_2), false),
            (sign_em(private, &short_padding), false),
            (
                base64::engine::general_purpose::STANDARD.encode(
                    private
                        .pkcs1v15_sign::<rsa::sha2::Sha256>(canonical)
                        .unwrap(),
                ),
                false,
            ),
            (sign_em(private, &encode(&sha256)), false),
            (crate::sign::sign(private, canonical).unwrap(), true),
            (crate::sign::sign(private, b"count=2").unwrap(), false),
            (String::new(), false),
            ("  ".to_owned(), false),
        ];
        // The largest key's signature fits the stack buffer; one byte more does not decode.
        let b64 = &base64::engine::general_purpose::STANDARD;
        let room = |n: usize| b64.decode_slice(b64.encode(vec![7u8; n]), &mut [0; SIGNATURE_ROOM]);
        assert_eq!(room(1024).ok(), Some(1024));
        assert!(room(1025).is_err());
        // Written so a repair is needed: never plainly valid.
        let valid = cases[0].0.clone();
        cases.push((valid.replace('+', " "), false));
        cases.push((valid.replace('+', "%2B").replace('/', "%2F"), false));
        cases.push((valid.trim_end_matches('=').to_owned(), false));
        for (i, (text, want)) in cases.iter().enumerate() {
            for (key, want) in [(&fast, *want), (&other, false)] {
                assert_eq!(
                    verifies_plainly(key, canonical, text),
                    by_recovery(key, canonical, text),
                    "case {i}"
                );
                assert_eq!(verifies_plainly(key, canonical, text), want, "case {i}");
            }
        }
    }
}
