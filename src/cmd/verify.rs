//! `verify`: exit 0 when the payload's signature verifies with the key, 1 with the diagnosed
//! cause when it does not.

use bdpay_core::error::ToolError;
use bdpay_core::keys;
use bdpay_core::message::Msg;
use bdpay_core::payload;
use bdpay_core::render::{self, Style};
use bdpay_core::sign::forensics::Cause;
use bdpay_core::{registry, rules};

use super::{not_a_key, settings};
use crate::cli::{RuleSelection, VerifyArgs};
use crate::term;

pub fn verify(args: &VerifyArgs, style: &Style, max: u64) -> Result<u8, ToolError> {
    let key_bytes = crate::input::read_bytes(&args.key, max)?;
    keys::read(&key_bytes).map_err(|e| not_a_key(&args.key, &e))?;
    let src = crate::input::read_text(&args.file, max)?;
    let p = payload::read(&src, args.kind.map(Into::into))?;
    let mut ring = keys::ring::Ring::default();
    ring.add_given(&args.key, &key_bytes);
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
    if v.diagnosis.cause == Cause::Valid {
        term::out(&render::verified(&p, &v, &args.key, style));
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
    settings.key = Some((args.key.clone(), key_bytes));
    let findings = rules::lint(None, std::slice::from_ref(&p), &settings);
    let signatures = [rules::Signature::Failed {
        key: keys::ring::Role::Given.name(),
    }];
    let inputs = render::Inputs {
        payloads: std::slice::from_ref(&p),
        signatures: &signatures,
        config: None,
        errors: &[],
        probes: &[],
    };
    term::out(&render::report(&findings, &inputs, style, false));
    Ok(1)
}
