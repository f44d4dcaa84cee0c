//! The values a set may have been signed with: an amount in another unit, bizInfo.tpData's
//! value, trimmed, empties dropped, URL-encoded; for the platform's kinds, values rewritten after
//! it signed.

use smol_str::SmolStr;

use super::{SetChoice, ValueChoice, fault};
use crate::message::Msg;
use crate::msg;
use crate::payload::{Kind, Payload};
use crate::sign::forensics::encode::{form_encode, rfc3986_encode};
use crate::sign::forensics::{Cause, Fault};
use crate::sign::{Field, Plan};

/// One value that may have been signed instead of the payload's.
struct Alt {
    field: SmolStr,
    signed: SmolStr,
    fault: Fault,
    /// The value the payload should carry, when it is the payload's value that is wrong.
    corrected: Option<SmolStr>,
}

/// The set's values as signed: one amount or tpData value replaced, trimmed, empties dropped,
/// URL-encoded; every combination of at most `budget` of them.
pub(super) fn values(
    p: &Payload,
    plan: &Plan,
    set: &SetChoice,
    merchant: bool,
    budget: usize,
) -> Vec<ValueChoice> {
    // What should be signed: the right set (or the one the payload must change to), with the
    // payload's own wrong values corrected. The platform's kinds keep the body as it is: the
    // help sets it against what the platform signed.
    let base_corrected = set.corrected.clone().unwrap_or_else(|| plan.fields.clone());
    let alts = if merchant {
        let mut a = amount_alts(&set.fields);
        if p.kind == Kind::Order {
            a.extend(tp_data_alts(p, &set.fields));
        }
        a
    } else {
        tampered_alts(&set.fields)
    };
    let mut out = Vec::new();
    let alt_opts = std::iter::once(None).chain(alts.iter().map(Some));
    for alt in alt_opts {
        let (mut f0, mut faults0, mut corr0) =
            (set.fields.clone(), Vec::new(), base_corrected.clone());
        if let Some(a) = alt {
            replace(&mut f0, &a.field, &a.signed);
            faults0.push(a.fault.clone());
            if let (Some(c), true) = (&a.corrected, merchant) {
                replace(&mut corr0, &a.field, c);
            }
        }
        for trim in [false, true] {
            let (mut f1, mut faults1) = (f0.clone(), faults0.clone());
            if trim {
                let t = trimmed(&f1);
                if t == f1 {
                    continue;
                }
                f1 = t;
                faults1.push(trim_fault(merchant));
            }
            for drop in [false, true] {
                let (mut f2, mut faults2) = (f1.clone(), faults1.clone());
                if drop {
                    if !merchant || !f2.iter().any(|(_, v)| v.is_empty()) {
                        continue;
                    }
                    let dropped: Vec<String> = f2
                        .iter()
                        .filter(|(_, v)| v.is_empty())
                        .map(|(k, _)| k.to_string())
                        .collect();
                    f2.retain(|(_, v)| !v.is_empty());
                    let list = dropped.join("=, ") + "=";
                    faults2.push(fault(
                        Cause::EmptyDropped {
                            dropped,
                            before_verify: false,
                        },
                        msg!(
                            "keep the fields with empty values in the signed string ({list})",
                            "签名串中保留空值字段（{list}）"
                        ),
                    ));
                }
                for enc in 0..3 {
                    let (mut f3, mut faults3) = (f2.clone(), faults2.clone());
                    if enc > 0 {
                        if !merchant {
                            continue;
                        }
                        let (how, e): (Msg, fn(&str) -> String) = if enc == 1 {
                            (
                                msg!(
                                    "form-style (spaces as +, e.g. Java URLEncoder, Go url.QueryEscape or url.Values.Encode, PHP urlencode or http_build_query)",
                                    "表单风格（空格编码为 +，如 Java URLEncoder、Go url.QueryEscape 或 url.Values.Encode、PHP urlencode 或 http_build_query）"
                                ),
                                form_encode,
                            )
                        } else {
                            (
                                msg!(
                                    "RFC 3986 style (spaces as %20, e.g. PHP rawurlencode, encodeURIComponent)",
                                    "RFC 3986 风格（空格编码为 %20，如 PHP rawurlencode、encodeURIComponent）"
                                ),
                                rfc3986_encode,
                            )
                        };
                        let encoded: Vec<Field> =
                            f3.iter().map(|(k, v)| (k.clone(), e(v).into())).collect();
                        if encoded == f3 {
                            continue;
                        }
                        f3 = encoded;
                        faults3.push(fault(
                            Cause::UrlEncoded { how },
                            msg!(
                                "sign the raw values joined with & and =; URL-encode only when sending",
                                "用原始值以 & 和 = 拼接后签名；URL 编码只在发送请求时做"
                            ),
                        ));
                    }
                    if faults3.len() <= budget {
                        out.push(ValueChoice {
                            fields: f3,
                            faults: faults3,
                            corrected: corr0.clone(),
                        });
                    }
                }
            }
        }
    }
    out
}

fn replace(fields: &mut [Field], name: &str, value: &str) {
    for (k, v) in fields.iter_mut() {
        if k == name {
            *v = SmolStr::new(value);
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

fn trim_fault(merchant: bool) -> Fault {
    if merchant {
        fault(
            Cause::ValuesAltered {
                how: msg!(
                    "values were trimmed of surrounding whitespace before signing",
                    "签名前去掉了值两端的空白"
                ),
                after_signing: false,
            },
            msg!(
                "sign the values exactly as they are sent (or trim them before sending too)",
                "按实际发送的值签名（或在发送前同样去掉空白）"
            ),
        )
    } else {
        tamper(msg!(
            "the platform signed the values without the surrounding whitespace they have here",
            "平台签名的值两端没有这里的空白"
        ))
    }
}

fn tamper(how: Msg) -> Fault {
    fault(
        Cause::ValuesAltered {
            how,
            after_signing: true,
        },
        msg!(
            "do not act on this body; find what rewrote it (a proxy, a middleware or framework filter) or who sent it, and check the order with the platform's order query",
            "不要依据此报文处理；查出是谁改写了它（代理、中间件或框架过滤器）或是谁发送的，并通过平台的订单查询核对订单"
        ),
    )
}

/// Merchant kinds: an amount in fen signed in yuan, as a float or truncated; an amount sent in
/// yuan but signed in fen.
fn amount_alts(fields: &[Field]) -> Vec<Alt> {
    let mut out = Vec::new();
    for (name, v) in fields {
        if !matches!(
            name.as_str(),
            "totalAmount" | "applyRefundMoney" | "totalMoney"
        ) {
            continue;
        }
        let mut push = |signed: String, how: Msg, fix: Msg, corrected: Option<String>| {
            if signed != *v
                && !out
                    .iter()
                    .any(|a: &Alt| a.field == *name && a.signed == signed)
            {
                out.push(Alt {
                    field: name.clone(),
                    signed: signed.into(),
                    fault: fault(
                        Cause::ValuesAltered {
                            how,
                            after_signing: false,
                        },
                        fix,
                    ),
                    corrected: corrected.map(Into::into),
                });
            }
        };
        if let Ok(fen) = v.parse::<u64>() {
            let yuan_f = fen as f64 / 100.0;
            for yuan in [
                format!("{}.{:02}", fen / 100, fen % 100),
                format!("{yuan_f}"),
            ] {
                push(
                    yuan.clone(),
                    msg!(
                        "{name} was signed in yuan ({yuan}) instead of fen ({fen})",
                        "{name} 按元（{yuan}）签名，应按分（{fen}）"
                    ),
                    msg!(
                        "sign {name} in fen, the value sent: {fen}",
                        "{name} 按分签名，与发送的值一致：{fen}"
                    ),
                    None,
                );
            }
            // yuan × 100 in floating point: 19.9 * 100 = 1989.9999999999998, truncated 1989.
            let x100 = yuan_f * 100.0;
            let float = format!("{x100}");
            if float != fen.to_string() {
                push(
                    float.clone(),
                    msg!(
                        "{name} was signed as the float {float} (yuan × 100 without rounding) while {fen} was sent",
                        "{name} 签名时是浮点数 {float}（元 × 100 未取整），而发送的是 {fen}"
                    ),
                    msg!(
                        "round the amount to whole fen once and use that value both in the payload and in the signed string",
                        "金额只取整一次为整数分，报文与签名串都用这个值"
                    ),
                    None,
                );
                let truncated = x100.trunc() as u64;
                if truncated != fen {
                    let t = truncated.to_string();
                    push(
                        t.clone(),
                        msg!(
                            "{name} was signed as {t} (yuan × 100 truncated, as intval(19.9*100) = 1989) while {fen} was sent",
                            "{name} 签名时是 {t}（元 × 100 被截断，如 intval(19.9*100) = 1989），而发送的是 {fen}"
                        ),
                        msg!(
                            "round (not truncate) the amount to whole fen once and use that value in both places",
                            "金额四舍五入（不要截断）为整数分，只算一次，两处都用这个值"
                        ),
                        None,
                    );
                }
            }
        } else if v.contains('.')
            && let Ok(yuan) = v.trim().parse::<f64>()
            && yuan.is_finite()
            && yuan >= 0.0
        {
            let fen = (yuan * 100.0).round() as u64;
            let fen_s = fen.to_string();
            push(
                fen_s.clone(),
                msg!(
                    "{name} is {v} (yuan) in the payload but was signed in fen ({fen})",
                    "报文中 {name} 为 {v}（元），签名时却按分（{fen}）"
                ),
                msg!(
                    "send {name} in fen, {fen}, as it was signed",
                    "{name} 按分发送：{fen}，与签名一致"
                ),
                Some(fen_s),
            );
            let x100 = format!("{}", yuan * 100.0);
            push(
                x100.clone(),
                msg!(
                    "{name} is {v} (yuan) in the payload but was signed as the float {x100} (× 100 without rounding)",
                    "报文中 {name} 为 {v}（元），签名时却是浮点数 {x100}（× 100 未取整）"
                ),
                msg!(
                    "send and sign {name} in whole fen: {fen}",
                    "{name} 按整数分发送并签名：{fen}"
                ),
                Some(fen.to_string()),
            );
        }
    }
    out
}

/// orderInfo: a signed field's value taken from bizInfo.tpData where the two disagree.
fn tp_data_alts(p: &Payload, fields: &[Field]) -> Vec<Alt> {
    let Some(tp) = p
        .text("bizInfo")
        .and_then(|b| serde_json::from_str::<serde_json::Value>(b).ok())
        .and_then(|b| b.get("tpData").cloned())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, v) in fields {
        let t = match tp.get(name.as_str()) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        if t == v.as_str() {
            continue;
        }
        out.push(Alt {
            field: name.clone(),
            signed: t.as_str().into(),
            fault: fault(
                Cause::ValuesAltered {
                    how: msg!(
                        "{name} was signed with bizInfo.tpData's value ({t}), not orderInfo's ({v})",
                        "{name} 签名时用的是 bizInfo.tpData 中的值（{t}），而不是 orderInfo 中的（{v}）"
                    ),
                    after_signing: false,
                },
                msg!(
                    "make bizInfo.tpData.{name} equal orderInfo's {name} and sign orderInfo's value",
                    "让 bizInfo.tpData.{name} 与 orderInfo 的 {name} 一致，并用 orderInfo 的值签名"
                ),
            ),
            corrected: None,
        });
    }
    out
}

/// Platform kinds: an amount a hundred times the signed one, or a hundredth of it (a forgery,
/// or a fen/yuan rewrite on the merchant's side).
fn tampered_alts(fields: &[Field]) -> Vec<Alt> {
    let mut out = Vec::new();
    for (name, v) in fields {
        if !matches!(
            name.as_str(),
            "totalMoney" | "payMoney" | "refundMoney" | "applyRefundMoney" | "unitPrice"
        ) {
            continue;
        }
        let Ok(now) = v.parse::<u64>() else { continue };
        let mut was = vec![now.saturating_mul(100)];
        if now % 100 == 0 && now > 0 {
            was.push(now / 100);
        }
        for was in was {
            out.push(Alt {
                field: name.clone(),
                signed: was.to_string().into(),
                fault: tamper(msg!(
                    "the platform signed {name}={was}; this body says {name}={now}",
                    "平台签名时 {name}={was}；此报文中为 {name}={now}"
                )),
                corrected: Some(was.to_string().into()),
            });
        }
    }
    out
}
