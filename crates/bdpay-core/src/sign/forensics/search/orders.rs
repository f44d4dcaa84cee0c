//! The orders a set may have been joined in: every permutation of a small set, else the named
//! ones (as in the payload, sorted ignoring case, descending).

use smol_str::SmolStr;

use super::{body_fields, fault};
use crate::message::Msg;
use crate::msg;
use crate::payload::Payload;
use crate::sign::Field;
use crate::sign::forensics::{Cause, Fault};

/// The named orders of a set: as in the payload, sorted ignoring case, descending.
pub(super) struct Orders {
    /// The payload's field names in source order.
    source: Vec<SmolStr>,
}

impl Orders {
    pub(super) fn new(p: &Payload, sig_field: &str) -> Self {
        Self {
            source: body_fields(p, sig_field)
                .into_iter()
                .map(|(k, _)| k)
                .collect(),
        }
    }

    /// Calls `f` with each order of `fields` but the sorted one and a constructor of the fault
    /// it means, until `f` returns a hit: every order when `permute`, else the named ones.
    pub(super) fn each<T>(
        &self,
        fields: &[Field],
        permute: bool,
        mut f: impl FnMut(&[usize], &dyn Fn() -> Fault) -> Option<T>,
    ) -> Option<T> {
        let n = fields.len();
        if n < 2 {
            return None;
        }
        // Named orders, each as an index list into the sorted fields.
        let pos = |k: &SmolStr| {
            self.source
                .iter()
                .position(|s| s == k)
                .unwrap_or(usize::MAX)
        };
        let mut source: Vec<usize> = (0..n).collect();
        source.sort_by_key(|&i| pos(&fields[i].0));
        let mut folded: Vec<usize> = (0..n).collect();
        folded.sort_by_key(|&i| fields[i].0.to_ascii_lowercase());
        let reversed: Vec<usize> = (0..n).rev().collect();
        let identity: Vec<usize> = (0..n).collect();
        let name = |idx: &[usize]| -> Msg {
            if idx == source {
                msg!(
                    "in the order they appear in the payload",
                    "按报文中出现的顺序"
                )
            } else if idx == folded {
                msg!("sorted ignoring case", "忽略大小写排序")
            } else if idx == reversed {
                msg!("in descending order", "按降序排列")
            } else {
                let order: Vec<&str> = idx.iter().map(|&i| fields[i].0.as_str()).collect();
                let order = order.join(", ");
                msg!(
                    "in the order {order} (the order your code added them)",
                    "按 {order} 的顺序（即代码添加字段的顺序）"
                )
            }
        };
        let mut call = |idx: &[usize]| {
            let make = || {
                fault(
                    Cause::Unsorted { how: name(idx) },
                    msg!(
                        "sort the fields by name in byte (ASCII) order before joining (PHP ksort, Java TreeMap, Go sort.Strings)",
                        "拼接前按字段名的字节（ASCII）升序排序（PHP ksort、Java TreeMap、Go sort.Strings）"
                    ),
                )
            };
            f(idx, &make)
        };
        if !permute {
            let mut tried: Vec<&[usize]> = Vec::new();
            for idx in [&source, &folded, &reversed] {
                if *idx == identity || tried.contains(&idx.as_slice()) {
                    continue;
                }
                tried.push(idx);
                if let Some(h) = call(idx) {
                    return Some(h);
                }
            }
            return None;
        }
        // Heap's algorithm: every permutation once; the identity comes first and is skipped.
        let mut a = identity.clone();
        let mut c = vec![0usize; n];
        let mut i = 0;
        while i < n {
            if c[i] < i {
                if i % 2 == 0 {
                    a.swap(0, i);
                } else {
                    a.swap(c[i], i);
                }
                if let Some(h) = call(&a) {
                    return Some(h);
                }
                c[i] += 1;
                i = 0;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
        None
    }
}
