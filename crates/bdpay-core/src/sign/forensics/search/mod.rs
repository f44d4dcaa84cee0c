//! The search over combined mistakes. A string that was signed instead of the canonical one
//! differs from it by a few independent mistakes: which fields (another `signFieldsRange`'s set,
//! extra fields, query parameters, misspelt names, fields left out), their values (an amount in
//! yuan, float or truncated; bizInfo.tpData's values; whitespace; empties dropped; URL-encoded),
//! their order, and the bytes (UTF-8 or GBK). Each dimension lists its options with the fault
//! each would mean; combinations are hashed with one mistake, then two, then three, and the
//! first whose digest matches names every mistake in it.
//!
//! The platform signs what it sends, in byte order: for its kinds only the ways a body changes
//! after signing are searched (fields lost or added on the way, values rewritten).
//!
//! Every order of a set is tried only for the sets a merchant builds on purpose (the right one,
//! the other `signFieldsRange`'s, a misspelt one) of at most six fields; sets with extra fields
//! get the named orders. That keeps the worst case (no match) to a few thousand hashes.

mod orders;
mod sets;
mod values;

use smol_str::SmolStr;

use super::{Cause, Fault};
use crate::message::Msg;
use crate::msg;
use crate::payload::Payload;
use crate::sign::{EXCLUDED, Field, Plan, Signer, value_text};
use orders::Orders;
pub use sets::NOTIFY_FIELDS;
use sets::sets;
use values::values;

/// At most this many mistakes at once.
const MOST: usize = 3;
/// Every order of a set is tried up to this many fields (720 orders).
const PERMUTE_UP_TO: usize = 6;
/// The combination that reproduces the signed digest.
pub(super) struct Hit {
    pub(super) faults: Vec<Fault>,
    /// The bytes that were signed.
    pub(super) signed: Vec<u8>,
    /// The fields that should be signed, with the payload's own wrong values corrected.
    pub(super) corrected: Vec<Field>,
}

/// A set of fields that may have been signed, sorted, with the faults it would mean.
struct SetChoice {
    fields: Vec<Field>,
    faults: Vec<Fault>,
    /// The set to sign when it is the payload that must change (a missing `signFieldsRange`).
    corrected: Option<Vec<Field>>,
    /// Whether every order of it is tried.
    permute: bool,
}

/// A set with its values changed, still sorted.
struct ValueChoice {
    fields: Vec<Field>,
    faults: Vec<Fault>,
    corrected: Vec<Field>,
}

fn fault(cause: Cause, fix: Msg) -> Fault {
    Fault {
        cause,
        fix: Some(fix),
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
fn body_fields(p: &Payload, sig_field: &str) -> Vec<Field> {
    p.root
        .members()
        .iter()
        .filter(|m| !EXCLUDED.contains(&m.key.as_str()) && m.key != sig_field)
        .map(|m| (m.key.clone(), value_text(p, m)))
        .collect()
}

/// The fields named `ns` that the payload has, with their values, sorted.
fn pick(p: &Payload, ns: &[&str]) -> Vec<Field> {
    sorted(
        ns.iter()
            .filter_map(|n| p.get(n).map(|m| (SmolStr::new(n), value_text(p, m))))
            .collect(),
    )
}

/// Searches for the combination of mistakes whose string `matches` the signed digest.
pub(super) fn search(
    p: &Payload,
    plan: &Plan,
    sig_field: &str,
    matches: &dyn Fn(&[u8]) -> bool,
) -> Option<Hit> {
    let merchant = plan.signer == Signer::Merchant;
    let sets = sets(p, plan, sig_field);
    let choices: Vec<(SetChoice, Vec<ValueChoice>)> = sets
        .into_iter()
        .map(|s| {
            let budget = MOST - s.faults.len().min(MOST);
            let v = values(p, plan, &s, merchant, budget);
            (s, v)
        })
        .collect();
    let orders = Orders::new(p, sig_field);
    let mut buf = Vec::with_capacity(512);
    for k in 1..=MOST {
        for (set, vals) in &choices {
            let Some(r) = k.checked_sub(set.faults.len()) else {
                continue;
            };
            for v in vals.iter().filter(|v| v.faults.len() <= r) {
                let r = r - v.faults.len();
                let hit = |mut extra: Vec<Fault>, signed: Vec<u8>| {
                    let mut faults = set.faults.clone();
                    faults.extend(v.faults.iter().cloned());
                    faults.append(&mut extra);
                    Hit {
                        faults,
                        signed,
                        corrected: v.corrected.clone(),
                    }
                };
                // Sorted, as UTF-8 or (a mistake) as GBK.
                let sorted_idx: Vec<usize> = (0..v.fields.len()).collect();
                if r == 0 {
                    join_into(&mut buf, &v.fields, &sorted_idx);
                    if matches(&buf) {
                        return Some(hit(Vec::new(), buf));
                    }
                    continue;
                }
                if !merchant {
                    continue;
                }
                if r == 1
                    && let Some(g) = gbk(&v.fields, &sorted_idx)
                    && matches(&g)
                {
                    return Some(hit(vec![gbk_fault()], g));
                }
                // Another order, as UTF-8 (one mistake) or GBK (two).
                let permute = set.permute && v.fields.len() <= PERMUTE_UP_TO;
                let found = orders.each(&v.fields, permute, |idx, order| {
                    if r == 1 {
                        join_into(&mut buf, &v.fields, idx);
                        if matches(&buf) {
                            return Some(hit(vec![order()], std::mem::take(&mut buf)));
                        }
                    } else if r == 2
                        && let Some(g) = gbk(&v.fields, idx)
                        && matches(&g)
                    {
                        return Some(hit(vec![order(), gbk_fault()], g));
                    }
                    None
                });
                if found.is_some() {
                    return found;
                }
            }
        }
    }
    None
}

fn join_into(buf: &mut Vec<u8>, fields: &[Field], idx: &[usize]) {
    buf.clear();
    for (n, &i) in idx.iter().enumerate() {
        if n > 0 {
            buf.push(b'&');
        }
        buf.extend_from_slice(fields[i].0.as_bytes());
        buf.push(b'=');
        buf.extend_from_slice(fields[i].1.as_bytes());
    }
}

/// The GBK bytes of the joined string, when they differ from its UTF-8 bytes.
fn gbk(fields: &[Field], idx: &[usize]) -> Option<Vec<u8>> {
    if fields.iter().all(|(k, v)| k.is_ascii() && v.is_ascii()) {
        return None;
    }
    let mut s = Vec::new();
    join_into(&mut s, fields, idx);
    let s = String::from_utf8(s).ok()?;
    Some(encoding_rs::GBK.encode(&s).0.into_owned())
}

fn gbk_fault() -> Fault {
    fault(
        Cause::ValuesAltered {
            how: msg!(
                "the string was signed as GBK bytes, not UTF-8",
                "按 GBK 字节签名，而不是 UTF-8"
            ),
            after_signing: false,
        },
        msg!(
            "sign the string's UTF-8 bytes (PHP: convert from GBK with mb_convert_encoding; Java: getBytes(StandardCharsets.UTF_8))",
            "对签名串的 UTF-8 字节签名（PHP 用 mb_convert_encoding 从 GBK 转换；Java 用 getBytes(StandardCharsets.UTF_8)）"
        ),
    )
}
