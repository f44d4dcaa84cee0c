//! SRC rules: mistakes found in the merchant's own code by the scanner (`bdpay-scan`, native
//! only: it parses with tree-sitter's C parsers, which the core does not link). The scanner
//! matches its queries and reports hits as data; each rule here forwards the hits of its code,
//! so the engine gives them the severity, selection, ignores and masking every rule gets, as the
//! PRB rules do with probe results.

use super::{Ctx, Sink};
use crate::finding::Diagnostic;

/// One place in a code file where a scanner query matched, with its message and the fix in that
/// file's language.
#[derive(Debug, Clone)]
pub struct SourceHit {
    /// The rule's code (`SRC001`).
    pub code: &'static str,
    pub diagnostic: Diagnostic,
}

/// Forwards the hits of one code.
fn forward(ctx: &Ctx<'_>, sink: &mut Sink, code: &str) {
    for h in ctx.hits.iter().filter(|h| h.code == code) {
        sink.report(h.diagnostic.clone());
    }
}

macro_rules! forwarding {
    ($($name:ident => $code:literal),* $(,)?) => {
        $(
            #[doc = concat!($code, ": the scanner's hits of this rule.")]
            pub fn $name(ctx: &Ctx<'_>, sink: &mut Sink) {
                forward(ctx, sink, $code);
            }
        )*
    };
}

forwarding!(
    sign_values_url_encoded_in_code => "SRC001",
    sign_hash_not_sha1_in_code => "SRC002",
    verify_result_as_bool_in_code => "SRC003",
    answer_plain_text_in_code => "SRC004",
    is_consumed_not_2_in_code => "SRC005",
    request_payment_in_code => "SRC006",
    amount_float_in_code => "SRC007",
    bizinfo_not_string_in_code => "SRC008",
    sign_extra_fields_in_code => "SRC009",
    skips_empty_values_in_code => "SRC010",
    joins_unsorted_in_code => "SRC011",
    reads_sign_not_rsasign_in_code => "SRC012",
    writes_pem_header_in_code => "SRC013",
    signs_without_total_in_code => "SRC014",
    hard_codes_fields_in_code => "SRC015",
    verifies_with_own_key_in_code => "SRC016",
);
