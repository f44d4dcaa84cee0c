//! `explain` and `rules`: the rule catalogue and platform codes, rendered by the core.

use bdpay_core::error::ToolError;
use bdpay_core::render::Style;

use crate::term;

pub fn rules(style: &Style) -> u8 {
    term::out(&bdpay_core::explain::catalogue(style.lang, style.format));
    0
}

pub fn explain(query: &str, style: &Style) -> Result<u8, ToolError> {
    term::out(&bdpay_core::explain(query, style)?);
    Ok(0)
}
