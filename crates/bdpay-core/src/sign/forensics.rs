//! Why a signature does not verify. One RSA public operation on the signature recovers the
//! padded digest: invalid padding means another key made it; a non-SHA-1 DigestInfo names the
//! hash; a SHA-1 digest of some other string is matched against candidate strings built from the
//! mistakes merchants make, by hashing alone.

use crate::fastrsa::PublicKey;
use base64::Engine as _;
use sha1::{Digest as _, Sha1};

use super::{EXCLUDED, Field, ORDER_FIELDS_LEGACY, ORDER_FIELDS_V1, Plan, join};
use crate::message::Msg;
use crate::msg;
use crate::payload::{Kind, Payload};
use crate::source::Span;
use smol_str::SmolStr;

/// The pay notify's fields (the platform may add more; all that arrive are signed).
pub const NOTIFY_FIELDS: [&str; 18] = [
    "userId",
    "orderId",
    "unitPrice",
    "count",
    "totalMoney",
    "payMoney",
    "promoMoney",
    "hbMoney",
    "hbBalanceMoney",
    "giftCardMoney",
    "dealId",
    "payTime",
    "promoDetail",
    "payType",
    "partnerId",
    "status",
    "tpOrderId",
    "returnData",
];

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
    ValuesAltered {
        how: Msg,
    },
    /// None of the known causes: the canonical string to compare against is in the diagnosis.
    Unknown,
}

/// The outcome of verifying one payload.
#[derive(Debug, Clone)]
pub struct Diagnosis {
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
pub fn diagnose(p: &Payload, plan: &Plan, key: &PublicKey, others: &[OtherKey<'_>]) -> Diagnosis {
    let expected = plan.canonical();
    let (cause, signed, span) = judge(p, plan, key, others, &expected);
    Diagnosis {
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
pub fn syntax_only(p: &Payload, plan: &Plan) -> Option<Diagnosis> {
    let start = Span::new(p.root.span.start, p.root.span.start + 1);
    let expected = plan.canonical();
    let make = |cause, span| {
        Some(Diagnosis {
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
    None
}

/// What had to be undone to read the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repair {
    None,
    PlusBecameSpace,
    UrlSafe,
    PercentEncoded,
    Hex,
}

impl Repair {
    fn cause(self, verifies: bool) -> Cause {
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
fn decode_signature(text: &str, k: usize) -> Result<(Vec<u8>, Repair), Msg> {
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
enum Digest {
    Sha1(Vec<u8>),
    Other { hash: &'static str, digest: Vec<u8> },
}

const PREFIXES: &[(&str, &[u8])] = &[
    ("SHA-1", &crate::fastrsa::SHA1_PREFIX),
    // SHA-1 without the NULL parameters, which some signers write.
    (
        "SHA-1",
        &[
            0x30, 0x1f, 0x30, 0x07, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x04, 0x14,
        ],
    ),
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
fn recover(key: &PublicKey, sig: &[u8]) -> Option<Digest> {
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

fn other_hash(hash: &str, msg: &[u8]) -> Option<Vec<u8>> {
    use rsa::sha2::{Sha256, Sha384, Sha512};
    Some(match hash {
        "SHA-256" => Sha256::digest(msg).to_vec(),
        "SHA-384" => Sha384::digest(msg).to_vec(),
        "SHA-512" => Sha512::digest(msg).to_vec(),
        "a raw SHA-1 digest without DigestInfo (NONEwithRSA)" => Sha1::digest(msg).to_vec(),
        _ => return None,
    })
}

/// A string the merchant may have signed instead, and what that would mean.
struct Candidate {
    cause: Cause,
    bytes: Vec<u8>,
}

fn sorted(mut f: Vec<Field>) -> Vec<Field> {
    f.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    f
}

fn names(f: &[Field]) -> Vec<String> {
    f.iter().map(|(k, _)| k.to_string()).collect()
}

/// Every field of the payload's body that is not excluded from signing, in source order.
fn body_fields(p: &Payload) -> Vec<Field> {
    p.root
        .members()
        .iter()
        .filter(|m| !EXCLUDED.contains(&m.key.as_str()))
        .map(|m| (m.key.clone(), super::value_text(p, m)))
        .collect()
}

fn candidates(p: &Payload, plan: &Plan) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut push = |cause: Cause, fields: &[Field]| {
        out.push(Candidate {
            cause,
            bytes: join(fields).into_bytes(),
        });
    };
    let fields = &plan.fields;
    let fw = |how: Msg, f: &[Field]| Cause::FieldsWrong {
        how,
        signed: names(f),
    };

    if p.kind == Kind::Order {
        let pick = |ns: &[&str]| -> Vec<Field> {
            sorted(
                ns.iter()
                    .filter_map(|n| p.get(n).map(|m| (SmolStr::new(n), super::value_text(p, m))))
                    .collect(),
            )
        };
        let v1 = plan.fields.len() == 4 || plan.field_names().contains(&"totalAmount");
        let (other, other_how): (&[&str], Msg) = if v1 {
            (
                &ORDER_FIELDS_LEGACY,
                msg!(
                    "the legacy 3-field set (appKey, dealId, tpOrderId) was signed while signFieldsRange is 1",
                    "signFieldsRange 为 1，却只签了旧的三个字段（appKey、dealId、tpOrderId）"
                ),
            )
        } else {
            (
                &ORDER_FIELDS_V1,
                msg!(
                    "totalAmount was signed although signFieldsRange is not 1",
                    "signFieldsRange 不是 1，却把 totalAmount 也签进去了"
                ),
            )
        };
        let alt = pick(other);
        push(fw(other_how, &alt), &alt);
        let extras: Vec<&str> = ["dealTitle", "bizInfo", "signFieldsRange"]
            .into_iter()
            .filter(|n| p.get(n).is_some())
            .collect();
        for mask in 1..(1u32 << extras.len()) {
            let chosen: Vec<&str> = extras
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, n)| *n)
                .collect();
            for (base, legacy) in [(fields.clone(), false), (alt.clone(), true)] {
                let mut f = base;
                f.extend(pick(&chosen));
                let f = sorted(f);
                let list = chosen.join(", ");
                let how = if legacy {
                    msg!(
                        "extra fields were signed: {list} on top of the legacy 3-field set",
                        "在旧的三个字段之外多签了字段：{list}"
                    )
                } else {
                    msg!("extra fields were signed: {list}", "多签了字段：{list}")
                };
                push(fw(how, &f), &f);
            }
        }
        let all = sorted(body_fields(p));
        push(
            fw(
                msg!(
                    "every orderInfo field was signed",
                    "把 orderInfo 的全部字段都签了"
                ),
                &all,
            ),
            &all,
        );
        // The official Go demo's spellings.
        for (right, wrong) in [
            ("dealId", "dealID"),
            ("tpOrderId", "tpOrderID"),
            ("appKey", "appkey"),
        ] {
            if fields.iter().any(|(k, _)| k == right) {
                let f = sorted(
                    fields
                        .iter()
                        .map(|(k, v)| {
                            (
                                if k == right {
                                    SmolStr::new(wrong)
                                } else {
                                    k.clone()
                                },
                                v.clone(),
                            )
                        })
                        .collect(),
                );
                push(
                    fw(
                        msg!(
                            "the field was signed as `{wrong}` instead of `{right}`",
                            "字段名签成了 `{wrong}`，应为 `{right}`"
                        ),
                        &f,
                    ),
                    &f,
                );
            }
        }
    } else if p.kind != Kind::OrderQuery {
        if !p.query.is_empty() {
            let mut f = fields.clone();
            f.extend(p.query.iter().map(|m| {
                (
                    m.key.clone(),
                    SmolStr::new(m.value.scalar_text().unwrap_or("")),
                )
            }));
            let f = sorted(f);
            push(
                fw(
                    msg!(
                        "the callback URL's query parameters were signed too",
                        "回调地址的查询参数也被签进去了"
                    ),
                    &f,
                ),
                &f,
            );
        }
        for extra in EXCLUDED {
            if let Some(m) = p.get(extra).filter(|_| extra != "rsaSign") {
                let mut f = fields.clone();
                f.push((SmolStr::new(extra), super::value_text(p, m)));
                let f = sorted(f);
                push(
                    fw(msg!("{extra} was signed too", "{extra} 也被签进去了"), &f),
                    &f,
                );
            }
        }
        // The newer refund host drops `method`; code written for the old host still signs it.
        let method = match p.kind {
            Kind::RefundApply => Some("nuomi.cashier.applyorderrefund"),
            Kind::CancelConsumption => Some("nuomi.cashier.syncorderstatus"),
            _ => None,
        };
        if let (Some(m), None) = (method, p.get("method")) {
            let mut f = fields.clone();
            f.push((SmolStr::new_static("method"), SmolStr::new(m)));
            let f = sorted(f);
            push(
                fw(
                    msg!(
                        "method was signed although the request does not send it",
                        "请求中没有 method，却把 method 签进去了"
                    ),
                    &f,
                ),
                &f,
            );
        }
        let known: &[&str] = match p.kind {
            Kind::Notify => &NOTIFY_FIELDS,
            Kind::RefundAudit => &[
                "orderId",
                "userId",
                "tpOrderId",
                "refundBatchId",
                "applyRefundMoney",
            ],
            Kind::RefundNotify => &[
                "userId",
                "orderId",
                "tpOrderId",
                "refundBatchId",
                "refundStatus",
            ],
            _ => &[],
        };
        let absent: Vec<String> = known
            .iter()
            .filter(|k| !fields.iter().any(|(f, _)| f == *k))
            .map(|k| (*k).to_owned())
            .collect();
        if !absent.is_empty() {
            let mut f = fields.clone();
            f.extend(absent.iter().map(|k| (SmolStr::new(k), SmolStr::default())));
            let f = sorted(f);
            push(
                Cause::EmptyDropped {
                    dropped: absent,
                    before_verify: true,
                },
                &f,
            );
        }
        if fields.len() > 1 {
            // Leaving out an empty field is sign-empty-values-dropped's case, not this one.
            for i in (0..fields.len()).filter(|&i| !fields[i].1.is_empty()) {
                let mut f = fields.clone();
                let (gone, _) = f.remove(i);
                let how = if p.kind.is_platform_signed() {
                    msg!(
                        "{gone} was left out (a hard-coded field list? the platform adds fields over time)",
                        "漏签了 {gone}（是否写死了字段列表？平台会陆续增加字段）"
                    )
                } else {
                    msg!("{gone} was left out", "漏签了 {gone}")
                };
                push(fw(how, &f), &f);
            }
        }
    }

    // Order and encoding mistakes over the right field set.
    let source_order: Vec<Field> = body_fields(p)
        .into_iter()
        .filter(|(k, _)| fields.iter().any(|(f, _)| f == k))
        .collect();
    if source_order != *fields {
        push(
            Cause::Unsorted {
                how: msg!(
                    "in the order they appear in the payload",
                    "按报文中出现的顺序"
                ),
            },
            &source_order,
        );
    }
    let mut folded = fields.clone();
    folded.sort_by_key(|(k, _)| k.to_ascii_lowercase());
    if folded != *fields {
        push(
            Cause::Unsorted {
                how: msg!("sorted ignoring case", "忽略大小写排序"),
            },
            &folded,
        );
    }
    let mut rev = fields.clone();
    rev.reverse();
    if fields.len() > 1 {
        push(
            Cause::Unsorted {
                how: msg!("in descending order", "按降序排列"),
            },
            &rev,
        );
    }
    for (how, enc) in [
        (
            msg!(
                "form-style (spaces as +, e.g. Java URLEncoder, Go url.QueryEscape, PHP urlencode)",
                "表单风格（空格编码为 +，如 Java URLEncoder、Go url.QueryEscape、PHP urlencode）"
            ),
            form_encode as fn(&str) -> String,
        ),
        (
            msg!(
                "RFC 3986 style (spaces as %20, e.g. PHP rawurlencode, encodeURIComponent)",
                "RFC 3986 风格（空格编码为 %20，如 PHP rawurlencode、encodeURIComponent）"
            ),
            rfc3986_encode,
        ),
    ] {
        let f: Vec<Field> = fields
            .iter()
            .map(|(k, v)| (k.clone(), enc(v).into()))
            .collect();
        if f != *fields {
            push(Cause::UrlEncoded { how }, &f);
        }
    }
    let dropped: Vec<String> = fields
        .iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(k, _)| k.to_string())
        .collect();
    if !dropped.is_empty() {
        let f: Vec<Field> = fields
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .cloned()
            .collect();
        push(
            Cause::EmptyDropped {
                dropped: dropped.clone(),
                before_verify: false,
            },
            &f,
        );
        let enc: Vec<Field> = f
            .iter()
            .map(|(k, v)| (k.clone(), form_encode(v).into()))
            .collect();
        if enc != f {
            push(
                Cause::EmptyDropped {
                    dropped,
                    before_verify: false,
                },
                &enc,
            );
        }
    }
    if fields.iter().any(|(_, v)| v.trim() != v) {
        let f: Vec<Field> = fields
            .iter()
            .map(|(k, v)| (k.clone(), SmolStr::new(v.trim())))
            .collect();
        push(
            Cause::ValuesAltered {
                how: msg!(
                    "values were trimmed of surrounding whitespace before signing",
                    "签名前去掉了值两端的空白"
                ),
            },
            &f,
        );
    }
    let expected = join(fields);
    let mut gbk = None;
    if !expected.is_ascii() {
        gbk = Some(encoding_rs::GBK.encode(&expected).0.into_owned());
    }
    for amount in ["totalAmount", "applyRefundMoney", "totalMoney"] {
        let Some(fen) = fields
            .iter()
            .find(|(k, _)| k == amount)
            .and_then(|(_, v)| v.parse::<u64>().ok())
        else {
            continue;
        };
        for yuan in [
            format!("{}.{:02}", fen / 100, fen % 100),
            format!("{}", fen as f64 / 100.0),
        ] {
            let f: Vec<Field> = fields
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        if k == amount {
                            SmolStr::new(&yuan)
                        } else {
                            v.clone()
                        },
                    )
                })
                .collect();
            push(
                Cause::ValuesAltered {
                    how: msg!(
                        "{amount} was signed in yuan ({yuan}) instead of fen ({fen})",
                        "{amount} 按元（{yuan}）签名，应按分（{fen}）"
                    ),
                },
                &f,
            );
        }
    }
    if let Some(bytes) = gbk {
        out.push(Candidate {
            cause: Cause::ValuesAltered {
                how: msg!(
                    "the string was signed as GBK bytes, not UTF-8",
                    "按 GBK 字节签名，而不是 UTF-8"
                ),
            },
            bytes,
        });
    }
    out
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

/// `application/x-www-form-urlencoded` encoding: unreserved `*-._` kept, space as `+`.
#[must_use]
pub fn form_encode(s: &str) -> String {
    encode(s, b"*-._", true)
}

/// RFC 3986 encoding: unreserved `-._~` kept, space as `%20`.
#[must_use]
pub fn rfc3986_encode(s: &str) -> String {
    encode(s, b"-._~", false)
}

fn encode(s: &str, keep: &[u8], plus: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else if b == b' ' && plus {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes standard base64 signatures for callers that already know they are well formed.
#[must_use]
pub fn b64(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}
