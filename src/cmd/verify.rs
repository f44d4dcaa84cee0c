//! `verify`: exit 0 when the payload's signature verifies with the key, 1 with the diagnosed
//! cause when it does not.

use bdpay_core::error::ToolError;
use bdpay_core::keys;
use bdpay_core::message::Msg;
use bdpay_core::payload;
use bdpay_core::render::{self, Style};
use bdpay_core::{registry, rules};

use super::{not_a_key, settings};
use crate::cli::{RuleSelection, VerifyArgs};
use crate::term;

pub fn verify(args: &VerifyArgs, style: &Style, max: u64) -> Result<u8, ToolError> {
    let config = args
        .config
        .as_ref()
        .map(|c| crate::input::load_config(&c.to_string_lossy(), max))
        .transpose()?;
    let given = match &args.key {
        Some(k) => {
            let bytes = crate::input::read_bytes(k, max)?;
            keys::read(&bytes).map_err(|e| not_a_key(k, &e))?;
            Some((k.clone(), bytes))
        }
        None => None,
    };
    let src = crate::input::read_text(&args.file, max)?;
    let p = payload::read(&src, args.kind.map(Into::into))?;
    let mut ring = config
        .as_ref()
        .map(keys::ring::Ring::from_config)
        .unwrap_or_default();
    if let Some((name, bytes)) = &given {
        ring.add_given(name, bytes);
    }
    let Some(v) = rules::verify_payload(&p, &ring) else {
        let kind = p.kind.describe();
        return Err(ToolError::in_file(
            &p.source.name,
            Msg::new(
                format!("a {} carries no signature to verify", kind.en),
                format!("{}不带签名，无从验签", kind.zh),
            ),
        ));
    };
    let Some(role) = v.key else {
        let needs = match rules::Signature::from_verification(&p, Some(&v), &ring) {
            rules::Signature::NotChecked { needs } => needs,
            _ => Msg::default(),
        };
        return Err(ToolError::new(Msg::new(
            format!("no key to verify this {} with", p.kind.describe().en),
            format!("没有可用于验证此{}的密钥", p.kind.describe().zh),
        ))
        .help(Msg::new(
            format!("give {}", needs.en),
            format!("请提供{}", needs.zh),
        )));
    };
    if v.diagnosis.is_valid() {
        let key_name = match (&args.key, role) {
            (Some(k), keys::ring::Role::Given) => k.clone(),
            _ => role.name().get(style.lang).to_owned(),
        };
        term::out(&render::verified(&p, &v, &key_name, style));
        return Ok(0);
    }
    let selection = RuleSelection {
        select: registry::all()
            .iter()
            .filter(|r| r.family() == registry::Family::Signature)
            .map(|r| r.code.clone())
            .collect(),
        ..RuleSelection::default()
    };
    let mut settings = settings(&selection)?;
    settings.key = given;
    let findings = rules::lint(config.as_ref(), std::slice::from_ref(&p), &settings)
        .into_iter()
        .filter(|f| f.diagnostic.source.name == p.source.name)
        .collect::<Vec<_>>();
    let signatures = [rules::Signature::Failed { key: role.name() }];
    let inputs = render::Inputs {
        payloads: std::slice::from_ref(&p),
        signatures: &signatures,
        config: None,
        errors: &[],
        probes: &[],
        scanned: 0,
    };
    term::out(&render::report(&findings, &inputs, style, false));
    Ok(1)
}
