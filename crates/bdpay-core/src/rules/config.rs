//! Config rules: bdpay.toml as a whole, here whether it is still the starter `init` wrote.

use super::{Ctx, Sink};
use crate::config::{self, Config, Id};
use crate::finding::Diagnostic;
use crate::msg;
use crate::source::Span;

/// The starter config's sample values, entry by entry (see `starter.toml`).
const SAMPLES: [(&str, &str); 6] = [
    ("merchant.app_key", "MMMabc"),
    ("merchant.deal_id", "470193086"),
    ("merchant.app_id", "12345678"),
    (
        "callbacks.pay_notify",
        "https://pay.example.com/baidu/notify",
    ),
    (
        "callbacks.refund_audit",
        "https://pay.example.com/baidu/refund-audit",
    ),
    (
        "callbacks.refund_notify",
        "https://pay.example.com/baidu/refund-notify",
    ),
];

fn sample_value_diag(c: &Config, entry: &str, span: Span, value: &str) -> Diagnostic {
    let help = if entry.starts_with("merchant.") {
        msg!(
            "copy yours from 支付管理 › 服务详情",
            "从 支付管理 › 服务详情 复制你自己的值"
        )
    } else {
        msg!(
            "set the URL your server answers this callback on, the same as in the console",
            "填写你的服务实际接收此回调的地址，并与平台后台的配置一致"
        )
    };
    Diagnostic::new(
        &c.source,
        span,
        msg!(
            "{entry} is still the starter config's sample value {value:?}",
            "{entry} 仍是配置模板中的示例值 {value:?}"
        ),
    )
    .label(msg!("sample value", "示例值"))
    .help(help)
}

fn no_keys_diag(c: &Config) -> Diagnostic {
    let at = c.source.text.find("[keys]").unwrap_or(0);
    Diagnostic::new(
        &c.source,
        Span::new(at, at + if at == 0 { 0 } else { 6 }),
        msg!(
            "no key is set in [keys]: no signature can be verified",
            "[keys] 中没有配置任何密钥：无法验证任何签名"
        ),
    )
    .label(msg!("no keys", "没有密钥"))
    .help(msg!(
        "set developer_public_key (or private_key) and platform_public_key: a path, env:VARIABLE or the key itself",
        "配置 developer_public_key（开发者公钥，或 private_key 私钥）和 platform_public_key（平台公钥）：可写路径、env:变量名或密钥本身"
    ))
}

/// The sample values still in the config: entry, span and value.
fn samples(c: &Config) -> Vec<(&'static str, Span, String)> {
    let id = |v: &Option<toml::Spanned<Id>>| {
        v.as_ref()
            .map(|s| (config::span(s), s.get_ref().to_string()))
    };
    let mut found = Vec::new();
    let values = [
        id(&c.merchant.app_key),
        id(&c.merchant.deal_id),
        id(&c.merchant.app_id),
    ];
    for ((entry, sample), v) in SAMPLES.iter().zip(values) {
        if let Some((span, v)) = v
            && v == *sample
        {
            found.push((*entry, span, v));
        }
    }
    for (name, v) in c.callback_urls() {
        let entry = SAMPLES
            .iter()
            .find(|(e, _)| e.strip_prefix("callbacks.") == Some(name));
        if let Some((entry, sample)) = entry
            && v.get_ref().trim() == *sample
        {
            found.push((*entry, config::span(v), v.get_ref().clone()));
        }
    }
    found
}

/// CFG001
pub fn config_placeholder(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(c) = ctx.config_only() else { return };
    let found = samples(c);
    // The starter's appId is in no real config; four sample values together are no chance.
    let starter = found.iter().any(|(e, _, _)| *e == "merchant.app_id") || found.len() >= 4;
    if !starter {
        return;
    }
    for (entry, span, value) in &found {
        sink.report(sample_value_diag(c, entry, *span, value));
    }
    let k = &c.keys;
    if k.private_key.is_none()
        && k.developer_public_key.is_none()
        && k.platform_public_key.is_none()
    {
        sink.report(no_keys_diag(c));
    }
}
