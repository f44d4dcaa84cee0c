//! `sign`: signs a payload (or `k=v` pairs) exactly as the platform expects.

use bdpay_core::error::ToolError;
use bdpay_core::msg;
use bdpay_core::payload::{self, Payload};
use bdpay_core::render::{self, Style};
use bdpay_core::{registry, sign};

use super::load_key;
use crate::cli::SignArgs;
use crate::term;

pub fn sign(args: &SignArgs, style: &Style, max: u64) -> Result<u8, ToolError> {
    let key = load_key(&args.key, max)?;
    let p = input(args, max)?;
    let signed = sign::sign_payload(&p, &key)
        .map_err(|e| e.with_file(crate::input::display_name(&args.key)))?;
    // The payload's own rules run first: signing `totalAmount=0.01` deserves a word. The
    // signature rules are left out (the signature is being made).
    let options = bdpay_core::Options {
        only: Some(
            registry::all()
                .iter()
                .filter(|r| r.family() != registry::Family::Signature)
                .map(|r| r.code.clone())
                .collect(),
        ),
        ..bdpay_core::Options::default()
    };
    let report = bdpay_core::check(None, vec![p.clone()], &options);
    if !report.findings.is_empty() && style.format == render::Format::Human {
        let mut warn = msg!(
            "the payload has problems the signature will not fix:\n\n",
            "报文本身有签名无法解决的问题：\n\n"
        )
        .get(style.lang)
        .to_owned();
        for f in &report.findings {
            warn.push_str(&render::human_finding(f, style));
            warn.push('\n');
        }
        term::err(&warn);
    }
    term::out(&render::signed(&signed, &report.findings, style));
    Ok(0)
}

/// Reads the input of `sign`: a payload file or `k=v` pairs.
fn input(args: &SignArgs, max: u64) -> Result<Payload, ToolError> {
    let pairs = args.input.iter().all(|a| a.contains('=') && a != "-");
    let src = if pairs && !args.input.is_empty() {
        bdpay_core::source::SourceFile::new("<arguments>", args.input.join("&"))
    } else {
        let [file] = args.input.as_slice() else {
            return Err(ToolError::new(msg!(
                "give one payload file (or -), or k=v pairs",
                "请给出一个报文文件（或 -），或若干 k=v 参数"
            )));
        };
        crate::input::read_text(file, max)?
    };
    payload::read(&src, args.kind.map(Into::into))
}
