//! `explain` and `rules`: the rule catalogue and platform codes, rendered by the core.

use bdpay_core::error::ToolError;
use bdpay_core::render::Style;

use crate::term;

pub fn rules(style: &Style) -> u8 {
    term::out(&bdpay_core::explain::catalogue(style.lang, style.format));
    0
}

pub fn explain(query: Option<&str>, style: &Style) -> Result<u8, ToolError> {
    match query {
        Some(q) => term::out(&bdpay_core::explain(q, style)?),
        None => term::out(&bdpay_core::explain::index(style.lang, style.format)),
    }
    Ok(0)
}
