//! The strings a merchant may have signed instead of the canonical one, each with the cause it
//! would mean: other field sets, other orders, URL-encoded or altered values. They are tried in
//! the order built here and the first whose digest matches names the cause, so the order matters.

use smol_str::SmolStr;

use super::Cause;
use super::encode::{form_encode, rfc3986_encode};
use crate::message::Msg;
use crate::msg;
use crate::payload::{Kind, Payload};
use crate::sign::{
    EXCLUDED, Field, ORDER_FIELDS_LEGACY, ORDER_FIELDS_V1, Plan, Signer, join, value_text,
};

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

/// A string the merchant may have signed instead, and what that would mean.
pub(super) struct Candidate {
    pub(super) cause: Cause,
    pub(super) bytes: Vec<u8>,
}

/// The candidates built so far, in the order they will be tried.
#[derive(Default)]
struct Candidates(Vec<Candidate>);

impl Candidates {
    /// `fields` joined as the canonical string is, meaning `cause` if it was signed.
    fn push(&mut self, cause: Cause, fields: &[Field]) {
        self.0.push(Candidate {
            cause,
            bytes: join(fields).into_bytes(),
        });
    }

    /// `fields` signed instead of the right set, which `how` explains.
    fn fields_wrong(&mut self, how: Msg, fields: &[Field]) {
        self.push(
            Cause::FieldsWrong {
                how,
                signed: names(fields),
            },
            fields,
        );
    }
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
        .map(|m| (m.key.clone(), value_text(p, m)))
        .collect()
}

/// Every candidate for a payload, in the order they are tried: the wrong field sets of its
/// kind, then other orders, encodings and values of the right set.
pub(super) fn candidates(p: &Payload, plan: &Plan) -> Vec<Candidate> {
    let mut out = Candidates::default();
    let fields = &plan.fields;
    if p.kind == Kind::Order {
        order_field_sets(&mut out, p, plan);
        misspelt_order_fields(&mut out, fields);
    } else if p.kind != Kind::OrderQuery {
        extra_fields(&mut out, p, fields);
        missing_fields(&mut out, p, fields);
    }
    // Order and encoding mistakes over the right field set.
    orderings(&mut out, p, fields);
    encodings(&mut out, fields);
    empty_values_dropped(&mut out, fields);
    if plan.signer == Signer::Platform {
        changed_after_signing(&mut out, fields);
    } else {
        altered_values(&mut out, fields);
    }
    out.0
}

/// The fields named `ns` that the payload has, with their values, sorted.
fn pick(p: &Payload, ns: &[&str]) -> Vec<Field> {
    sorted(
        ns.iter()
            .filter_map(|n| p.get(n).map(|m| (SmolStr::new(n), value_text(p, m))))
            .collect(),
    )
}

/// orderInfo: the other `signFieldsRange`'s set, optional fields signed on top of either set,
/// and every field.
fn order_field_sets(out: &mut Candidates, p: &Payload, plan: &Plan) {
    let fields = &plan.fields;
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
    let alt = pick(p, other);
    out.fields_wrong(other_how, &alt);
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
            f.extend(pick(p, &chosen));
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
            out.fields_wrong(how, &f);
        }
    }
    let all = sorted(body_fields(p));
    out.fields_wrong(
        msg!(
            "every orderInfo field was signed",
            "把 orderInfo 的全部字段都签了"
        ),
        &all,
    );
}

/// orderInfo: the official Go demo's spellings of the field names.
fn misspelt_order_fields(out: &mut Candidates, fields: &[Field]) {
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
            out.fields_wrong(
                msg!(
                    "the field was signed as `{wrong}` instead of `{right}`",
                    "字段名签成了 `{wrong}`，应为 `{right}`"
                ),
                &f,
            );
        }
    }
}

/// Callbacks and requests: fields signed on top of the right set: the callback URL's query, the
/// fields never signed, `method` that the newer refund host does not send.
fn extra_fields(out: &mut Candidates, p: &Payload, fields: &[Field]) {
    if !p.query.is_empty() {
        let mut f = fields.to_vec();
        f.extend(p.query.iter().map(|m| {
            (
                m.key.clone(),
                SmolStr::new(m.value.scalar_text().unwrap_or("")),
            )
        }));
        let f = sorted(f);
        out.fields_wrong(
            msg!(
                "the callback URL's query parameters were signed too",
                "回调地址的查询参数也被签进去了"
            ),
            &f,
        );
    }
    for extra in EXCLUDED {
        if let Some(m) = p.get(extra).filter(|_| extra != "rsaSign") {
            let mut f = fields.to_vec();
            f.push((SmolStr::new(extra), value_text(p, m)));
            let f = sorted(f);
            out.fields_wrong(msg!("{extra} was signed too", "{extra} 也被签进去了"), &f);
        }
    }
    // The newer refund host drops `method`; code written for the old host still signs it.
    let method = match p.kind {
        Kind::RefundApply => Some("nuomi.cashier.applyorderrefund"),
        Kind::CancelConsumption => Some("nuomi.cashier.syncorderstatus"),
        _ => None,
    };
    if let (Some(m), None) = (method, p.get("method")) {
        let mut f = fields.to_vec();
        f.push((SmolStr::new_static("method"), SmolStr::new(m)));
        let f = sorted(f);
        out.fields_wrong(
            msg!(
                "method was signed although the request does not send it",
                "请求中没有 method，却把 method 签进去了"
            ),
            &f,
        );
    }
}

/// Callbacks and requests: known fields the payload lacks (the platform sent them empty and
/// signed them), and each non-empty field left out.
fn missing_fields(out: &mut Candidates, p: &Payload, fields: &[Field]) {
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
        let mut f = fields.to_vec();
        f.extend(absent.iter().map(|k| (SmolStr::new(k), SmolStr::default())));
        let f = sorted(f);
        out.push(
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
            let mut f = fields.to_vec();
            let (gone, _) = f.remove(i);
            let how = if p.kind.is_platform_signed() {
                msg!(
                    "{gone} was left out (a hard-coded field list? the platform adds fields over time)",
                    "漏签了 {gone}（是否写死了字段列表？平台会陆续增加字段）"
                )
            } else {
                msg!("{gone} was left out", "漏签了 {gone}")
            };
            out.fields_wrong(how, &f);
        }
    }
}

/// The right fields in another order: as in the payload, sorted ignoring case, descending.
fn orderings(out: &mut Candidates, p: &Payload, fields: &[Field]) {
    let source_order: Vec<Field> = body_fields(p)
        .into_iter()
        .filter(|(k, _)| fields.iter().any(|(f, _)| f == k))
        .collect();
    if source_order != *fields {
        out.push(
            Cause::Unsorted {
                how: msg!(
                    "in the order they appear in the payload",
                    "按报文中出现的顺序"
                ),
            },
            &source_order,
        );
    }
    let mut folded = fields.to_vec();
    folded.sort_by_key(|(k, _)| k.to_ascii_lowercase());
    if folded != *fields {
        out.push(
            Cause::Unsorted {
                how: msg!("sorted ignoring case", "忽略大小写排序"),
            },
            &folded,
        );
    }
    let mut rev = fields.to_vec();
    rev.reverse();
    if fields.len() > 1 {
        out.push(
            Cause::Unsorted {
                how: msg!("in descending order", "按降序排列"),
            },
            &rev,
        );
    }
}

/// The right fields with URL-encoded values, form-style and RFC 3986.
fn encodings(out: &mut Candidates, fields: &[Field]) {
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
            out.push(Cause::UrlEncoded { how }, &f);
        }
    }
}

/// The right fields without the empty ones, as they are and form-encoded.
fn empty_values_dropped(out: &mut Candidates, fields: &[Field]) {
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
        out.push(
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
            out.push(
                Cause::EmptyDropped {
                    dropped,
                    before_verify: false,
                },
                &enc,
            );
        }
    }
}

/// The right fields with their values changed: trimmed, amounts in yuan, and last the whole
/// string as GBK bytes.
fn altered_values(out: &mut Candidates, fields: &[Field]) {
    if fields.iter().any(|(_, v)| v.trim() != v) {
        let f = trimmed(fields);
        out.push(
            Cause::ValuesAltered {
                how: msg!(
                    "values were trimmed of surrounding whitespace before signing",
                    "签名前去掉了值两端的空白"
                ),
                after_signing: false,
            },
            &f,
        );
    }
    let expected = join(fields);
    let mut gbk = None;
    if !expected.is_ascii() {
        gbk = Some(encoding_rs::GBK.encode(&expected).0.into_owned());
    }
    amounts_in_yuan(out, fields);
    if let Some(bytes) = gbk {
        out.0.push(Candidate {
            cause: Cause::ValuesAltered {
                how: msg!(
                    "the string was signed as GBK bytes, not UTF-8",
                    "按 GBK 字节签名，而不是 UTF-8"
                ),
                after_signing: false,
            },
            bytes,
        });
    }
}

/// The right fields with an amount in fen written in yuan, with two decimals and as a float.
fn amounts_in_yuan(out: &mut Candidates, fields: &[Field]) {
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
            let f = with_value(fields, amount, &yuan);
            out.push(
                Cause::ValuesAltered {
                    how: msg!(
                        "{amount} was signed in yuan ({yuan}) instead of fen ({fen})",
                        "{amount} 按元（{yuan}）签名，应按分（{fen}）"
                    ),
                    after_signing: false,
                },
                &f,
            );
        }
    }
}

/// A platform-signed body never has a value the platform did not sign: whitespace around a
/// value, or an amount a hundred times the signed one (the usual forgery or fen/yuan rewrite
/// on the merchant's side), was added after it signed.
fn changed_after_signing(out: &mut Candidates, fields: &[Field]) {
    if fields.iter().any(|(_, v)| v.trim() != v) {
        let f = trimmed(fields);
        out.push(
            Cause::ValuesAltered {
                how: msg!(
                    "the platform signed the values without the surrounding whitespace they have here",
                    "平台签名的值两端没有这里的空白"
                ),
                after_signing: true,
            },
            &f,
        );
    }
    for amount in [
        "totalMoney",
        "payMoney",
        "refundMoney",
        "applyRefundMoney",
        "unitPrice",
    ] {
        let Some(now) = fields
            .iter()
            .find(|(k, _)| k == amount)
            .and_then(|(_, v)| v.parse::<u64>().ok())
        else {
            continue;
        };
        let mut signed = vec![now.saturating_mul(100)];
        if now % 100 == 0 && now > 0 {
            signed.push(now / 100);
        }
        for was in signed {
            let f = with_value(fields, amount, &was.to_string());
            out.push(
                Cause::ValuesAltered {
                    how: msg!(
                        "the platform signed {amount}={was}; this body says {amount}={now}",
                        "平台签名时 {amount}={was}；此报文中为 {amount}={now}"
                    ),
                    after_signing: true,
                },
                &f,
            );
        }
    }
}

/// The fields with every value trimmed of surrounding whitespace.
fn trimmed(fields: &[Field]) -> Vec<Field> {
    fields
        .iter()
        .map(|(k, v)| (k.clone(), SmolStr::new(v.trim())))
        .collect()
}

/// The fields with `name`'s value replaced by `value`.
fn with_value(fields: &[Field], name: &str, value: &str) -> Vec<Field> {
    fields
        .iter()
        .map(|(k, v)| {
            let v = if k == name {
                SmolStr::new(value)
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect()
}
