//! `diagnose`: one pasted payload, with how it was read, every finding, and with
//! `--their-string` the merchant's own canonical string against the right one.

use crate::term;
use bdpay_core::error::ToolError;
use bdpay_core::msg;
use bdpay_core::payload::Payload;
use bdpay_core::render::{Format, Style};
use bdpay_core::sign;

use super::{Job, Mode, lint_and_report, load_config, read_key_arg};
use crate::cli::{DiagnoseArgs, Global};

pub fn diagnose(a: &DiagnoseArgs, g: &Global, style: &Style) -> Result<u8, ToolError> {
    let (_, config) = load_config(a.config.as_ref(), false, g.max_size)?;
    let files = vec![a.file.clone()];
    let key = a
        .key
        .as_deref()
        .map(|k| read_key_arg(k, g.max_size))
        .transpose()?;
    let theirs = a
        .their_string
        .as_deref()
        .map(|t| match t.strip_prefix('@') {
            Some(path) => crate::input::read_text(path, g.max_size)
                .map(|s| s.text.trim_end_matches(['\r', '\n']).to_owned()),
            None => Ok(t.to_owned()),
        })
        .transpose()?;
    lint_and_report(
        Job {
            config: config.as_ref(),
            files: &files,
            kind: a.kind.map(Into::into),
            rules: &a.rules,
            key,
            mode: Mode::Diagnose { theirs },
            probes: &[],
            orders: a.orders.as_deref(),
            scanned: None,
        },
        g,
        style,
    )
}

/// `--their-string` in human format: the two strings side by side after the report (each
/// difference is a finding in it). Machine formats carry the findings only; a payload that
/// signs nothing is said on stderr there, so the document stays one valid document.
pub fn their_string(p: &Payload, theirs: &str, style: &Style) {
    let lang = style.lang;
    let human = matches!(style.format, Format::Human);
    let Some(plan) = sign::plan(p) else {
        let m = msg!(
            "--their-string: this payload carries no signature, so there is no string to compare",
            "--their-string：此报文没有签名，没有可比较的签名串"
        );
        let line = format!("{}\n", m.get(lang));
        if human {
            term::out(&line);
        } else {
            term::err(&line);
        }
        return;
    };
    if !human {
        return;
    }
    let expected = plan.canonical();
    let (yours, canonical) = (sign::visible(theirs), sign::visible(&expected));
    let m = if theirs == expected {
        msg!(
            "✓ your string is the canonical string: {canonical}",
            "✓ 你的签名串与标准签名串一致：{canonical}"
        )
    } else {
        msg!(
            "✗ your string differs from the canonical string (the findings above name each difference)\n  yours:     {yours}\n  canonical: {canonical}",
            "✗ 你的签名串与标准签名串不同（上面的问题逐条列出了差异）\n  你的：{yours}\n  标准：{canonical}"
        )
    };
    term::out(&format!("{}\n", m.get(lang)));
}
