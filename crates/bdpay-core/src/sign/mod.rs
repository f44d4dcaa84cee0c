//! Signing as the platform does it: which fields each message signs, the canonical string,
//! SHA1withRSA in standard base64, and verification. `forensics` explains failures.

pub mod compare;
pub mod forensics;

use base64::Engine as _;
use rsa::{PrivateKey, PublicKey};
use sha1::Sha1;
use smol_str::SmolStr;

use crate::error::ToolError;
use crate::message::Msg;
use crate::msg;
use crate::payload::json::{Member, Value};
use crate::payload::{Kind, Payload};

/// orderInfo fields signed with `signFieldsRange` = 1.
pub const ORDER_FIELDS_V1: [&str; 4] = ["appKey", "dealId", "totalAmount", "tpOrderId"];
/// orderInfo fields signed with the legacy `signFieldsRange` 0 or absent.
pub const ORDER_FIELDS_LEGACY: [&str; 3] = ["appKey", "dealId", "tpOrderId"];
/// Order query fields.
pub const QUERY_FIELDS: [&str; 4] = ["appKey", "appId", "orderId", "siteId"];
/// Never signed.
pub const EXCLUDED: [&str; 3] = ["rsaSign", "sign", "sign_type"];

/// Who signs a message: decides which key verifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signer {
    Merchant,
    Platform,
}

/// A signed field and the value it is signed with. Cheap to clone: `audit` copies the fields of
/// every line into its plan.
pub type Field = (SmolStr, SmolStr);

/// What a payload's signature covers.
#[derive(Debug, Clone)]
pub struct Plan {
    pub signer: Signer,
    /// The field holding the signature: `rsaSign`, or `sign` for order queries.
    pub sig_field: &'static str,
    /// The signed fields in canonical (byte) order, with their values.
    pub fields: Vec<Field>,
    /// Fields the plan names that the payload lacks.
    pub missing: Vec<&'static str>,
}

impl Plan {
    /// `k=v&k=v` in canonical order.
    #[must_use]
    pub fn canonical(&self) -> String {
        join(&self.fields)
    }

    #[must_use]
    pub fn field_names(&self) -> Vec<&str> {
        self.fields.iter().map(|(k, _)| k.as_str()).collect()
    }
}

/// Joins pairs as `k=v&k=v`, in the order given.
#[must_use]
pub fn join<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> String {
    let len = fields
        .iter()
        .map(|(k, v)| k.as_ref().len() + v.as_ref().len() + 2)
        .sum();
    let mut s = String::with_capacity(len);
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        s.push_str(k.as_ref());
        s.push('=');
        s.push_str(v.as_ref());
    }
    s
}

/// The value a field is signed with: strings decoded, numbers as written, anything else as its
/// JSON text.
#[must_use]
pub fn value_text(p: &Payload, m: &Member) -> SmolStr {
    match &m.value.value {
        Value::Str(s) | Value::Num(s) => s.clone(),
        _ => p.source.slice(m.value.span).into(),
    }
}

/// The fields a payload's signature covers.
#[must_use]
pub fn plan(p: &Payload) -> Option<Plan> {
    if !p.root.is_object() {
        return None;
    }
    let pick = |names: &[&'static str]| {
        let mut fields = Vec::new();
        let mut missing = Vec::new();
        for &n in names {
            match p.get(n) {
                Some(m) => fields.push((SmolStr::new_static(n), value_text(p, m))),
                None => missing.push(n),
            }
        }
        fields.sort();
        (fields, missing)
    };
    let (signer, sig_field, (fields, missing)) = match p.kind {
        k if k.is_response() => return None,
        Kind::Order => {
            let v1 = p.text("signFieldsRange").is_some_and(|v| v.trim() == "1");
            let names: &[&str] = if v1 {
                &ORDER_FIELDS_V1
            } else {
                &ORDER_FIELDS_LEGACY
            };
            (Signer::Merchant, "rsaSign", pick(names))
        }
        Kind::OrderQuery => (Signer::Merchant, "sign", pick(&QUERY_FIELDS)),
        k => {
            let signer = if k.is_platform_signed() {
                Signer::Platform
            } else {
                Signer::Merchant
            };
            let mut fields: Vec<Field> = p
                .root
                .members()
                .iter()
                .filter(|m| !EXCLUDED.contains(&m.key.as_str()))
                .map(|m| (m.key.clone(), value_text(p, m)))
                .collect();
            // Byte order; a repeated key is taken once, as the platform's parser would (the last
            // value): the stable sort keeps repeats in source order, so keep the last of each run.
            fields.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            fields.reverse();
            fields.dedup_by(|later, earlier| later.0 == earlier.0);
            fields.reverse();
            (signer, "rsaSign", (fields, Vec::new()))
        }
    };
    Some(Plan {
        signer,
        sig_field,
        fields,
        missing,
    })
}

/// SHA1withRSA over `message`, standard base64 with padding.
pub fn sign(key: &PrivateKey, message: &[u8]) -> Result<String, String> {
    key.pkcs1v15_sign::<Sha1>(message)
        .map(|s| base64::engine::general_purpose::STANDARD.encode(s))
        .map_err(|e| e.to_string())
}

/// Whether `sig` (raw bytes) is a valid SHA1withRSA signature of `message`.
#[must_use]
pub fn verify(key: &PublicKey, message: &[u8], sig: &[u8]) -> bool {
    key.pkcs1v15_verify::<Sha1>(message, sig).is_ok()
}

/// Shows invisible characters: spaces at the ends, tabs, line breaks, non-breaking and
/// zero-width spaces, control characters.
#[must_use]
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{a0}' => out.push_str("<NBSP>"),
            '\u{200b}' => out.push_str("<ZWSP>"),
            '\u{feff}' => out.push_str("<BOM>"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// How a signed string differs from the canonical one, as short phrases: fields extra or
/// missing, values that differ, order. Both are split at the canonical string's field names.
#[must_use]
pub fn differences(signed: &str, expected: &str, known: &[&str]) -> Vec<Msg> {
    compare::compare(signed, expected, known, &[])
        .into_iter()
        .map(|(d, _)| d.describe())
        .collect()
}

/// The names a signed string is split at: the fields the plan signs, every top-level member of
/// the payload, its URL query parameters and the signature fields, so a value holding `&x=`
/// (a URL, a JSON text) stays one value and an extra field is still seen as a field.
#[must_use]
pub fn known_names<'p>(p: &'p Payload, plan: &'p Plan) -> Vec<&'p str> {
    let mut names: Vec<&str> = plan.field_names();
    names.extend(p.root.members().iter().map(|m| m.key.as_str()));
    names.extend(p.query.iter().map(|m| m.key.as_str()));
    names.extend(["rsaSign", "sign", "signature", "signType", "sign_type"]);
    names.sort_unstable();
    names.dedup();
    names
}

/// A payload signed as the platform expects: what `sign` prints.
#[derive(Debug, Clone)]
pub struct Signed {
    pub kind: crate::payload::Kind,
    /// The signed fields, in signing order.
    pub fields: Vec<String>,
    pub canonical: String,
    pub signature: String,
    /// The payload's text with the signature filled in, in the payload's own form.
    pub payload: String,
}

/// Signs a payload with `key`'s private half.
pub fn sign_payload(p: &Payload, key: &crate::keys::Key) -> Result<Signed, ToolError> {
    let Some(private) = &key.private else {
        let why = key.unusable.clone().unwrap_or_else(|| {
            let what = key.structure.describe();
            msg!(
                "a {what} cannot sign",
                "{what}不能用来签名";
                what = what
            )
        });
        return Err(ToolError::new(why));
    };
    let plan = plan(p).ok_or_else(|| {
        ToolError::in_file(
            &p.source.name,
            msg!(
                "a {kind} carries no signature",
                "{kind}不带签名";
                kind = p.kind.describe()
            ),
        )
    })?;
    let canonical = plan.canonical();
    let signature = sign(private, canonical.as_bytes())
        .map_err(|e| ToolError::new(msg!("cannot sign: {e}", "无法签名：{e}")))?;
    let payload = fill_signature(p, plan.sig_field, &signature);
    Ok(Signed {
        kind: p.kind,
        fields: plan.field_names().into_iter().map(str::to_owned).collect(),
        canonical,
        signature,
        payload,
    })
}

/// The payload's text with its signature replaced (or added), in the payload's own form.
#[must_use]
pub fn fill_signature(p: &Payload, field: &str, sig: &str) -> String {
    use crate::payload::{Form, Wrapping};
    let text = &p.source.text;
    let json_like = matches!(p.form, Form::Json | Form::JsLiteral)
        || (p.form == Form::HttpRequest
            && p.root.span.start < text.len()
            && text[p.root.span.start..].starts_with('{'));
    let value = if json_like {
        serde_json::to_string(sig).unwrap_or_default()
    } else {
        forensics::form_encode(sig)
    };
    if let Some(m) = p.get(field) {
        let sp = m.value.span;
        // Inside a JSON string wrapper the raw value is escaped; rebuild from fields instead.
        if !matches!(p.wrapping, Some(Wrapping::String(_))) {
            return format!("{}{value}{}", &text[..sp.start], &text[sp.end..]);
        }
    }
    if json_like && p.root.is_object() && p.wrapping.is_none() {
        let end = p.root.span.end - 1;
        let sep = if p.root.members().is_empty() { "" } else { "," };
        return format!(
            "{}{sep}\"{field}\":{value}{}",
            text[..end].trim_end(),
            &text[end..]
        );
    }
    if json_like {
        let mut obj = serde_json::Map::new();
        for m in p.root.members() {
            obj.insert(
                m.key.to_string(),
                serde_json::Value::String(value_text(p, m).into()),
            );
        }
        obj.insert(field.to_owned(), serde_json::Value::String(sig.to_owned()));
        return serde_json::to_string(&obj).unwrap_or_default();
    }
    let trimmed = text.trim_end();
    let sep = if trimmed.ends_with(['?', '&']) {
        ""
    } else {
        "&"
    };
    format!("{trimmed}{sep}{field}={value}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn payload(name: &str, text: &str) -> Payload {
        crate::payload::read(&SourceFile::new(name, text), None).unwrap()
    }

    #[test]
    fn order_signs_four_fields_with_range_1() {
        let p = payload(
            "order.json",
            r#"{"dealTitle":"x","tpOrderId":"3028903626","totalAmount":"11300","dealId":"470193086","appKey":"MMMabc","signFieldsRange":"1","bizInfo":"{}"}"#,
        );
        assert_eq!(
            plan(&p).unwrap().canonical(),
            "appKey=MMMabc&dealId=470193086&totalAmount=11300&tpOrderId=3028903626"
        );
    }

    #[test]
    fn notify_signs_every_field_but_rsa_sign_in_byte_order() {
        let text =
            std::fs::read_to_string(crate::fixture("fixtures/vectors/notify-demo.form")).unwrap();
        let p = payload("notify.form", &text);
        assert_eq!(
            plan(&p).unwrap().canonical(),
            "count=1&dealId=2500207776&giftCardMoney=0&hbBalanceMoney=0&hbMoney=0&orderId=2645985458&partnerId=0&payMoney=1&payTime=1542124311&payType=1117&promoDetail=&promoMoney=0&returnData=&status=2&totalMoney=1&tpOrderId=18607895241&unitPrice=1&userId=3269234686470"
        );
    }

    #[test]
    fn repeated_keys_are_signed_once_with_the_last_value() {
        let p = payload("notify.form", "orderId=1&b=x&orderId=2&a=y&rsaSign=s");
        assert_eq!(plan(&p).unwrap().canonical(), "a=y&b=x&orderId=2");
    }

    #[test]
    fn visible_marks_invisible_characters() {
        assert_eq!(visible("a\tb\u{200b}c\u{a0}"), "a\\tb<ZWSP>c<NBSP>");
    }
}
