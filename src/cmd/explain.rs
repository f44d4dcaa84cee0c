//! `explain` and `rules`: the rule catalogue and platform codes, rendered by the core.

use bdpay_core::error::ToolError;
use bdpay_core::render::Style;

use crate::cli::Global;
use crate::term;

pub fn rules(style: &Style) -> u8 {
    term::out(&bdpay_core::explain::catalogue(style.lang, style.format));
    0
}

pub fn explain(query: &[String], g: &Global, style: &Style) -> Result<u8, ToolError> {
    let text = match query {
        [] => {
            term::out(&bdpay_core::explain::index(style.lang, style.format));
            return Ok(0);
        }
        [dash] if dash == "-" => crate::input::read_text("-", g.max_size)?.text.clone(),
        words => words.join(" "),
    };
    term::out(&bdpay_core::explain(&text, style)?);
    Ok(0)
}
