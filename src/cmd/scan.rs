//! `scan`: the merchant's own code checked for the FAQ's mistakes (the SRC rules), with the
//! same findings, formats, severities, ignores and exit codes as every other command.

use std::path::PathBuf;

use bdpay_core::error::ToolError;
use bdpay_core::message::Msg;
use bdpay_core::msg;
use bdpay_core::registry::{self, Family};
use bdpay_core::render::{self, Inputs, Style};
use bdpay_core::rules;

use super::{ScanResult, exit_code, load_config, settings};
use crate::cli::{Global, RuleSelection, ScanArgs};
use crate::term;

pub fn scan(a: &ScanArgs, g: &Global, style: &Style) -> Result<u8, ToolError> {
    if let Some(file) = &a.dump {
        return dump(file, g);
    }
    let (_, config) = load_config(a.config.as_ref(), true, g.max_size)?;
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };
    let result = run(&paths, &a.rules, g, style, a.jobs)?;
    let settings = settings(&a.rules)?;
    let engine = rules::Engine::new(config.as_ref(), &settings);
    let mut findings = result.findings(&engine);
    rules::sort(&mut findings);
    let inputs = Inputs {
        payloads: &[],
        signatures: &[],
        config: None,
        errors: &result.errors,
        probes: &[],
        scanned: result.files,
    };
    term::out(&render::report(&findings, &inputs, style, false));
    if !result.errors.is_empty() {
        return Ok(2);
    }
    Ok(exit_code(&findings, g.fail_on))
}

/// Scans `paths` for the SRC rules the selection leaves on; notes what was suppressed or not read.
pub fn run(
    paths: &[PathBuf],
    sel: &RuleSelection,
    g: &Global,
    style: &Style,
    jobs: Option<u16>,
) -> Result<ScanResult, ToolError> {
    let only = settings(sel)?.only;
    let codes: Vec<String> = registry::all()
        .iter()
        .filter(|r| r.family() == Family::Source)
        .map(|r| r.code.clone())
        .filter(|c| only.as_ref().is_none_or(|o| o.contains(c)))
        .collect();
    let scanned =
        bdpay_scan::scan_paths_with(paths, Some(codes), g.max_size, jobs.map(usize::from))?;
    if scanned.suppressed > 0 {
        let n = scanned.suppressed;
        note(
            style,
            &msg!(
                "{n} finding(s) suppressed by `bdpay-doctor: ignore[...]` comments",
                "{n} 个问题已被 `bdpay-doctor: ignore[...]` 注释忽略"
            ),
        );
    }
    if scanned.not_about_this_cashier > 0 {
        let n = scanned.not_about_this_cashier;
        note(
            style,
            &msg!(
                "{n} source file(s) not scanned: nothing in them is about the Baidu cashier (tpOrderId, dealId, isConsumed, requestPolymerPayment…, or Baidu named with no other provider beside it), or their path names another provider",
                "{n} 个源文件未扫描：其中没有与百度收银台相关的内容（tpOrderId、dealId、isConsumed、requestPolymerPayment……，或只提到百度而未提到其他支付渠道），或路径指向其他支付渠道"
            ),
        );
    }
    for f in &scanned.too_large {
        note(
            style,
            &msg!(
                "{f}: not scanned, larger than --max-size",
                "{f}：大于 --max-size，未扫描"
            ),
        );
    }
    Ok(ScanResult {
        files: scanned.file_count(),
        hits: scanned.hits,
        errors: scanned.errors,
        answers: scanned.answers,
        sources: scanned.sources,
        keys: scanned.keys,
    })
}

/// A line on standard error, in the run's language.
fn note(style: &Style, m: &Msg) {
    term::err(&format!("{}\n", m.get(style.lang)));
}

/// `scan --dump FILE`: its syntax tree.
fn dump(file: &std::path::Path, g: &Global) -> Result<u8, ToolError> {
    let name = file.display().to_string();
    let lang = bdpay_scan::Lang::of_path(file).ok_or_else(|| {
        ToolError::in_file(
            name.clone(),
            msg!(
                "not a language the scanner reads (.php .java .go .js .ts .tsx .py)",
                "不是扫描器支持的语言（.php .java .go .js .ts .tsx .py）"
            ),
        )
    })?;
    let src = crate::input::read_text(&name, g.max_size)?;
    let tree = bdpay_scan::dump::dump(lang, &src.text)
        .map_err(|_| ToolError::in_file(name, Msg::new("the parser gave up", "解析器无法解析")))?;
    term::out_raw(&tree);
    Ok(0)
}
