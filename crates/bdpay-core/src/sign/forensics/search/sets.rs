//! The field sets a string may have been signed over, each with the faults it means.

use smol_str::SmolStr;

use super::{SetChoice, body_fields, fault, names, pick, sorted};
use crate::message::Msg;
use crate::msg;
use crate::payload::{Kind, Payload};
use crate::sign::forensics::Cause;
use crate::sign::{EXCLUDED, Field, ORDER_FIELDS_LEGACY, ORDER_FIELDS_V1, Plan, value_text};

/// Extra fields are tried one and two at a time from at most this many of the payload's fields
/// (the first in the payload's order); beyond, only "every field" is tried.
const EXTRAS_UP_TO: usize = 8;

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

pub(super) fn sets(p: &Payload, plan: &Plan, sig_field: &str) -> Vec<SetChoice> {
    let right = SetChoice {
        fields: plan.fields.clone(),
        faults: Vec::new(),
        corrected: None,
        permute: true,
    };
    let mut out = vec![right];
    match p.kind {
        Kind::Order => order_sets(&mut out, p, plan, sig_field),
        Kind::OrderQuery => {}
        _ => {
            extra_fields(&mut out, p, plan);
            missing_fields(&mut out, p, plan);
        }
    }
    out
}

/// orderInfo: the other `signFieldsRange`'s set, extra fields on either, every field, and the
/// official Go demo's misspellings.
fn order_sets(out: &mut Vec<SetChoice>, p: &Payload, plan: &Plan, sig_field: &str) {
    let right = &plan.fields;
    let should = names(right);
    let range = p.text("signFieldsRange").map(str::trim);
    let v1 = range == Some("1");
    let alt = pick(
        p,
        if v1 {
            &ORDER_FIELDS_LEGACY
        } else {
            &ORDER_FIELDS_V1
        },
    );
    let list = should.join(", ");
    // The other range's set, and whether the payload (not the string) is what must change.
    let (alt_fault, alt_corrected) = if v1 {
        (
            fault(
                Cause::FieldsWrong {
                    how: msg!(
                        "the legacy 3-field set (appKey, dealId, tpOrderId) was signed while signFieldsRange is 1",
                        "signFieldsRange 为 1，却只签了旧的三个字段（appKey、dealId、tpOrderId）"
                    ),
                    signed: names(&alt),
                    should: should.clone(),
                },
                msg!(
                    "sign totalAmount too: {list}",
                    "把 totalAmount 也签进去：{list}"
                ),
            ),
            None,
        )
    } else {
        let how = match range {
            None => msg!(
                "the four fields of signFieldsRange '1' were signed, but orderInfo has no signFieldsRange, so the platform checks only the legacy three",
                "签了 signFieldsRange 为 '1' 时的四个字段，但 orderInfo 中没有 signFieldsRange，平台只按旧的三个字段验签"
            ),
            Some(r) => msg!(
                "the four fields of signFieldsRange '1' were signed, but orderInfo says signFieldsRange '{r}', so the platform checks only the legacy three",
                "签了 signFieldsRange 为 '1' 时的四个字段，但 orderInfo 中 signFieldsRange 为 '{r}'，平台只按旧的三个字段验签"
            ),
        };
        (
            fault(
                Cause::FieldsWrong {
                    how,
                    signed: names(&alt),
                    should: should.clone(),
                },
                msg!(
                    "add signFieldsRange: '1' to orderInfo (what the platform asks for; the signature already covers its four fields), or sign only {list}",
                    "在 orderInfo 中加上 signFieldsRange: '1'（平台要求如此，现有签名已覆盖这四个字段），或只签 {list}"
                ),
            ),
            Some(alt.clone()),
        )
    };
    out.push(SetChoice {
        fields: alt.clone(),
        faults: vec![alt_fault.clone()],
        corrected: alt_corrected.clone(),
        permute: true,
    });
    // Extra fields: every other field the payload carries, one and two at a time.
    let extras: Vec<Field> = body_fields(p, sig_field)
        .into_iter()
        .filter(|(k, _)| !right.iter().chain(&alt).any(|(f, _)| f == k))
        .take(EXTRAS_UP_TO)
        .collect();
    let mut subsets: Vec<Vec<&Field>> = extras.iter().map(|e| vec![e]).collect();
    for i in 0..extras.len() {
        for j in i + 1..extras.len() {
            subsets.push(vec![&extras[i], &extras[j]]);
        }
    }
    for chosen in &subsets {
        let list: Vec<&str> = chosen.iter().map(|(k, _)| k.as_str()).collect();
        let list = list.join(", ");
        for (base, on_alt) in [(right, false), (&alt, true)] {
            let mut f = base.clone();
            f.extend(chosen.iter().map(|&x| x.clone()));
            let f = sorted(f);
            let fix = msg!(
                "leave {list} out of the signed string",
                "签名串中去掉 {list}"
            );
            let mut faults = Vec::new();
            if on_alt {
                faults.push(alt_fault.clone());
            }
            faults.push(fault(
                Cause::FieldsWrong {
                    how: msg!("extra fields were signed: {list}", "多签了字段：{list}"),
                    signed: names(&f),
                    should: should.clone(),
                },
                fix,
            ));
            let corrected = if on_alt { alt_corrected.clone() } else { None };
            out.push(SetChoice {
                fields: f,
                faults,
                corrected,
                permute: false,
            });
        }
    }
    let all = sorted(body_fields(p, sig_field));
    out.push(wrong_set(
        all,
        msg!(
            "every orderInfo field was signed",
            "把 orderInfo 的全部字段都签了"
        ),
        msg!("sign only {list}", "只签 {list}"),
        &should,
    ));
    for (right_name, wrong) in [
        ("dealId", "dealID"),
        ("tpOrderId", "tpOrderID"),
        ("appKey", "appkey"),
    ] {
        for (base, on_alt) in [(right, false), (&alt, true)] {
            if !base.iter().any(|(k, _)| k == right_name) {
                continue;
            }
            let f = sorted(
                base.iter()
                    .map(|(k, v)| {
                        let k = if k == right_name {
                            SmolStr::new_static(wrong)
                        } else {
                            k.clone()
                        };
                        (k, v.clone())
                    })
                    .collect(),
            );
            let mut faults = Vec::new();
            if on_alt {
                faults.push(alt_fault.clone());
            }
            faults.push(fault(
                Cause::FieldsWrong {
                    how: msg!(
                        "the field was signed as `{wrong}` instead of `{right_name}`",
                        "字段名签成了 `{wrong}`，应为 `{right_name}`"
                    ),
                    signed: names(&f),
                    should: should.clone(),
                },
                msg!(
                    "spell the signed field `{right_name}` (the official Go demo writes `{wrong}`)",
                    "签名字段名应写作 `{right_name}`（官方 Go 示例写成了 `{wrong}`）"
                ),
            ));
            out.push(SetChoice {
                fields: f,
                faults,
                corrected: if on_alt { alt_corrected.clone() } else { None },
                permute: true,
            });
        }
    }
}

/// Callbacks and requests: fields signed on top of the right set: the callback URL's query, the
/// fields never signed, `method` that the newer refund host does not send.
fn extra_fields(out: &mut Vec<SetChoice>, p: &Payload, plan: &Plan) {
    let fields = &plan.fields;
    let should = names(fields);
    let mut add = |extra: Vec<Field>, how: Msg, fix: Msg| {
        let mut f = fields.clone();
        f.extend(extra);
        out.push(wrong_set(sorted(f), how, fix, &should));
    };
    if !p.query.is_empty() {
        let q = p
            .query
            .iter()
            .map(|m| {
                (
                    m.key.clone(),
                    SmolStr::new(m.value.scalar_text().unwrap_or("")),
                )
            })
            .collect();
        add(
            q,
            msg!(
                "the callback URL's query parameters were signed too",
                "回调地址的查询参数也被签进去了"
            ),
            msg!(
                "sign (and verify) only the body's fields, not the URL's query",
                "只对请求体中的字段签名（验签），不含地址中的查询参数"
            ),
        );
    }
    for extra in EXCLUDED {
        if let Some(m) = p.get(extra).filter(|_| extra != plan.sig_field) {
            add(
                vec![(SmolStr::new(extra), value_text(p, m))],
                msg!("{extra} was signed too", "{extra} 也被签进去了"),
                msg!(
                    "{extra} is never signed: leave it out",
                    "{extra} 从不参与签名：去掉它"
                ),
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
        add(
            vec![(SmolStr::new_static("method"), SmolStr::new(m))],
            msg!(
                "method was signed although the request does not send it",
                "请求中没有 method，却把 method 签进去了"
            ),
            msg!(
                "sign exactly the fields the request sends: leave method out",
                "只签请求实际发送的字段：去掉 method"
            ),
        );
    }
}

/// Callbacks and requests: known fields the payload lacks (the platform sent them empty and
/// signed them), and each non-empty field left out.
fn missing_fields(out: &mut Vec<SetChoice>, p: &Payload, plan: &Plan) {
    let fields = &plan.fields;
    let should = names(fields);
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
        let list = absent.join("=, ") + "=";
        out.push(SetChoice {
            fields: sorted(f),
            faults: vec![fault(
                Cause::EmptyDropped {
                    dropped: absent,
                    before_verify: true,
                },
                msg!(
                    "verify the body exactly as received, keeping its empty fields ({list})",
                    "按收到的原始报文验签，保留空值字段（{list}）"
                ),
            )],
            corrected: None,
            permute: false,
        });
    }
    if fields.len() > 1 {
        // Leaving out an empty field is the empties dimension's case, not this one.
        for i in (0..fields.len()).filter(|&i| !fields[i].1.is_empty()) {
            let mut f = fields.clone();
            let (gone, _) = f.remove(i);
            let (how, fix) = if p.kind.is_platform_signed() {
                (
                    msg!(
                        "{gone} was left out (a hard-coded field list? the platform adds fields over time)",
                        "漏签了 {gone}（是否写死了字段列表？平台会陆续增加字段）"
                    ),
                    msg!(
                        "verify over every field that arrives except rsaSign, not a fixed list",
                        "对收到的除 rsaSign 外的全部字段验签，不要写死字段列表"
                    ),
                )
            } else {
                (
                    msg!("{gone} was left out", "漏签了 {gone}"),
                    msg!(
                        "sign {gone} too: every field the request sends except the signature",
                        "把 {gone} 也签进去：请求发送的除签名外的全部字段"
                    ),
                )
            };
            out.push(wrong_set(f, how, fix, &should));
        }
    }
}

/// A set signed instead of the right one (`should`), as one FieldsWrong fault, tried in the
/// named orders only.
fn wrong_set(fields: Vec<Field>, how: Msg, fix: Msg, should: &[String]) -> SetChoice {
    SetChoice {
        faults: vec![fault(
            Cause::FieldsWrong {
                how,
                signed: names(&fields),
                should: should.to_vec(),
            },
            fix,
        )],
        fields,
        corrected: None,
        permute: false,
    }
}
