//! `probe` and `simulate`: call the callback URLs as the platform does (a forged callback, or a
//! validly signed one against a staging handler) and lint what came back.

use bdpay_core::config::Config;
use bdpay_core::error::ToolError;
use bdpay_core::msg;
use bdpay_core::registry::{self, Family};
use bdpay_core::render::Style;

use super::{Job, Mode, lint_and_report, load_config, load_key};
use crate::cli::{Global, ProbeArgs, RuleSelection, SimulateArgs};
use crate::probe::command as probes;
use crate::term;

pub fn probe(a: &ProbeArgs, g: &Global, style: &Style) -> Result<u8, ToolError> {
    let (_, config) = load_config(a.config.as_ref(), a.urls.is_empty(), g.max_size)?;
    let targets = if a.urls.is_empty() {
        config
            .as_ref()
            .map(probes::config_targets)
            .unwrap_or_default()
    } else {
        probes::url_targets(&a.urls, a.kind)
    };
    if targets.is_empty() {
        return Err(ToolError::new(msg!(
            "nothing to probe: no URL given and no [callbacks] in a config",
            "没有可探测的地址：既没有给出 URL，配置中也没有 [callbacks]"
        ))
        .help(msg!(
            "pass URLs, or --config bdpay.toml with [callbacks]",
            "给出 URL，或用 --config 指定带 [callbacks] 的 bdpay.toml"
        )));
    }
    let opts = probes::options(&a.probe, g.max_size)?;
    let probes = probes::run_probes(targets, &opts);
    report(config.as_ref(), &a.rules, g, style, &probes)
}

/// `simulate`: a validly signed callback, sent twice.
pub fn simulate(a: &SimulateArgs, g: &Global, style: &Style) -> Result<u8, ToolError> {
    let (_, config) = load_config(a.config.as_ref(), false, g.max_size)?;
    let key = load_key(&a.platform_key, g.max_size)?;
    let Some(private) = &key.private else {
        return Err(ToolError::in_file(
            &a.platform_key,
            msg!(
                "--platform-key must be the test platform's private key (`keys gen` makes one)",
                "--platform-key 必须是测试用“平台”私钥（可用 `keys gen` 生成）"
            ),
        ));
    };
    let kind = a.callback.kind();
    let url = match (&a.url, &config) {
        (Some(u), _) => u.clone(),
        (None, Some(c)) => probes::config_targets(c)
            .into_iter()
            .find(|t| t.kind == kind)
            .map(|t| t.url)
            .ok_or_else(|| {
                ToolError::new(msg!(
                    "no --url, and the config has no callback URL of that kind",
                    "没有 --url，配置中也没有这种回调的地址"
                ))
            })?,
        (None, None) => {
            return Err(ToolError::new(msg!(
                "pass --url, or --config with [callbacks]",
                "请用 --url 指定地址，或用 --config 指定带 [callbacks] 的配置"
            )));
        }
    };
    let mut fields = probes::simulated_fields(a, config.as_ref(), g.max_size)?;
    probes::sign_fields(&mut fields, private)?;
    let body = bdpay_core::probe::form_body(&fields);
    if a.dry_run {
        let parsed = url::Url::parse(&url).map_err(|e| {
            ToolError::new(msg!(
                "{url}: not a URL ({e})",
                "{url}：不是有效的 URL（{e}）"
            ))
        })?;
        term::out(&format!(
            "{}\n\n{}\n{}",
            bdpay_core::probe::request_text(&parsed, &body),
            msg!("# the same with curl:", "# 用 curl 发送同样的请求：").get(style.lang),
            probes::curl(&url, &body)
        ));
        return Ok(0);
    }
    // Twice: the second answer must equal the first (idempotency); other counts are refused,
    // not silently replaced.
    if let Some(n) = a.probe.runs.filter(|&n| n != 2) {
        return Err(ToolError::new(msg!(
            "--runs {n}: simulate sends each callback exactly twice, to check that both answers are the same",
            "--runs {n}：simulate 每个回调恰好发送两次，以检查两次应答是否一致"
        )));
    }
    let mut opts = probes::options(&a.probe, g.max_size)?;
    opts.runs = 2;
    let target = probes::url_targets(std::slice::from_ref(&url), a.callback)
        .pop()
        .ok_or_else(|| ToolError::new(msg!("no target", "没有目标地址")))?;
    let probes = vec![crate::probe::send(target, &body, &opts, true)];
    report(config.as_ref(), &a.rules, g, style, &probes)
}

/// Lints and prints the results of probes: the probe and answer rules unless told otherwise.
fn report(
    config: Option<&Config>,
    sel: &RuleSelection,
    g: &Global,
    style: &Style,
    probes: &[bdpay_core::probe::Probe],
) -> Result<u8, ToolError> {
    let mut sel = sel.clone();
    if sel.select.is_empty() {
        sel.select = registry::all()
            .iter()
            .filter(|r| matches!(r.family(), Family::Probe | Family::Response))
            .map(|r| r.code.clone())
            .collect();
    }
    lint_and_report(
        Job {
            config,
            files: &[],
            kind: None,
            rules: &sel,
            key: None,
            mode: Mode::Many,
            probes,
            orders: None,
            scanned: None,
        },
        g,
        style,
    )
}
