//! `check`: the CI entry. Lints the config and every payload file under the paths, and with
//! `--probe` calls the configured callback URLs too; `--scan` scans code for the SRC rules.

use bdpay_core::error::ToolError;
use bdpay_core::msg;
use bdpay_core::render::Style;

use super::{Job, Mode, lint_and_report, load_config, read_key_arg};
use crate::cli::{CheckArgs, Global};

pub fn check(a: &CheckArgs, g: &Global, style: &Style) -> Result<u8, ToolError> {
    let (config_path, config) = load_config(a.config.as_ref(), true, g.max_size)?;
    let files = crate::walk::payload_files(&a.paths, config_path.as_deref())?;
    if config.is_none() && files.is_empty() && a.scan.is_none() {
        return Err(ToolError::new(msg!(
            "nothing to check: no config and no payload files",
            "没有可检查的内容：既没有配置文件，也没有报文文件"
        ))
        .help(msg!(
            "pass --config bdpay.toml and/or payload paths; `bdpay-doctor init` writes a starter config",
            "用 --config bdpay.toml 指定配置，并/或给出报文路径；`bdpay-doctor init` 可生成配置模板"
        )));
    }
    let key = a
        .key
        .as_deref()
        .map(|k| read_key_arg(k, g.max_size))
        .transpose()?;
    let scanned = a
        .scan
        .as_ref()
        .map(|dir| run_scan(dir, &a.rules, g, style))
        .transpose()?;
    let probes = if a.probe {
        let Some(c) = config.as_ref() else {
            return Err(ToolError::new(msg!(
                "--probe needs a config with [callbacks]",
                "--probe 需要带 [callbacks] 的配置文件"
            )));
        };
        run_probes(a, c, g)?
    } else {
        Vec::new()
    };
    lint_and_report(
        Job {
            config: config.as_ref(),
            files: &files,
            kind: a.kind.map(Into::into),
            rules: &a.rules,
            key,
            mode: Mode::Many,
            probes: &probes,
            orders: a.orders.as_deref(),
            scanned,
        },
        g,
        style,
    )
}

#[cfg(feature = "native")]
fn run_probes(
    a: &CheckArgs,
    c: &bdpay_core::config::Config,
    g: &Global,
) -> Result<Vec<bdpay_core::probe::Probe>, ToolError> {
    use crate::probe::command as probes;
    let opts = probes::options(&a.probe_options, g.max_size)?;
    Ok(probes::run_probes(probes::config_targets(c), &opts))
}

#[cfg(feature = "native")]
fn run_scan(
    dir: &std::path::Path,
    sel: &crate::cli::RuleSelection,
    g: &Global,
    style: &Style,
) -> Result<super::ScanResult, ToolError> {
    super::scan::run(&[dir.to_path_buf()], sel, g, style, None)
}

#[cfg(not(feature = "native"))]
fn run_scan(
    _: &std::path::Path,
    _: &crate::cli::RuleSelection,
    _: &Global,
    _: &Style,
) -> Result<super::ScanResult, ToolError> {
    Err(super::native_only())
}

#[cfg(not(feature = "native"))]
fn run_probes(
    _: &CheckArgs,
    _: &bdpay_core::config::Config,
    _: &Global,
) -> Result<Vec<bdpay_core::probe::Probe>, ToolError> {
    Err(super::native_only())
}
