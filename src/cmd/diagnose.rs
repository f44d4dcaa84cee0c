//! `diagnose`: one pasted payload, with how it was read, every finding, and with
//! `--their-string` the merchant's own canonical string against the right one.

use bdpay_core::error::ToolError;
use bdpay_core::message::Msg;
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
        },
        g,
        style,
    )
}

/// `--their-string`: the merchant's own canonical string against the right one.
pub fn their_string(p: &Payload, theirs: &str, style: &Style) -> String {
    let lang = style.lang;
    let Some(plan) = sign::plan(p) else {
        return format!(
            "{}\n",
            msg!(
                "--their-string: this payload carries no signature",
                "--their-string：此报文没有签名"
            )
            .get(lang)
        );
    };
    let expected = plan.canonical();
    let query: Vec<&str> = p.query.iter().map(|m| m.key.as_str()).collect();
    let diffs = sign::differences_in(theirs, &expected, &sign::known_names(p, &plan), &query);
    if matches!(style.format, Format::Json | Format::Sarif | Format::Ndjson) {
        let diffs: Vec<&str> = diffs.iter().map(|d| d.get(lang)).collect();
        return format!(
            "{}\n",
            serde_json::json!({"their_string": theirs, "canonical": expected, "same": theirs == expected, "differences": diffs})
        );
    }
    let (yours, canonical) = (sign::visible(theirs), sign::visible(&expected));
    if theirs == expected {
        return format!(
            "{}\n",
            msg!(
                "✓ your string is the canonical string: {canonical}",
                "✓ 你的签名串与标准签名串一致：{canonical}"
            )
            .get(lang)
        );
    }
    let mut s = msg!(
        "✗ your string differs from the canonical string\n  yours:     {yours}\n  canonical: {canonical}\n",
        "✗ 你的签名串与标准签名串不同\n  你的：{yours}\n  标准：{canonical}\n"
    );
    for d in diffs {
        s.push(&Msg::same("  - ").then(&d).then(&Msg::same("\n")));
    }
    s.get(lang).to_owned()
}
