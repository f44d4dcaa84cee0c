//! What the key and signature commands print: a key inspection, whether two keys match, a
//! signed payload, a verified one. Human text in the output language, or JSON.

use serde_json::json;

use super::{Format, Style};
use crate::config::ServerLanguage;
use crate::keys::{self, Key, KeyForm};
use crate::message::Msg;
use crate::msg;
use crate::payload::Payload;
use crate::rules::Verification;
use crate::sign::{self, Signed};

const fn machine(format: Format) -> bool {
    matches!(
        format,
        Format::Json | Format::Sarif | Format::Ndjson | Format::Junit | Format::Gitlab
    )
}

/// The `keys convert --to` value for a target form.
#[must_use]
pub const fn target_arg(t: KeyForm) -> &'static str {
    match t {
        KeyForm::Pkcs1 => "pkcs1",
        KeyForm::Pkcs8 => "pkcs8",
        KeyForm::Spki => "spki",
        KeyForm::Der => "der",
        KeyForm::Bare => "bare",
        KeyForm::Java => "java",
    }
}

/// `keys inspect`: what the key is, its damage, and what each language's official code loads.
#[must_use]
pub fn key_inspection(file: &str, key: &Key, style: &Style) -> String {
    let lang = style.lang;
    let private = key.structure.is_private();
    let fits: Vec<(ServerLanguage, bool, Msg)> = ServerLanguage::ALL
        .iter()
        .map(|&l| {
            let (ok, needs) = keys::language_fit(l, key);
            (l, ok, needs)
        })
        .collect();
    let convert = |l: ServerLanguage| {
        format!(
            "bdpay-doctor keys convert --to {} {file}",
            target_arg(keys::target_for(l, private))
        )
    };
    if machine(style.format) {
        let damage: Vec<String> = key
            .damage
            .iter()
            .map(|d| d.describe().get(lang).to_owned())
            .collect();
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "file": file,
                "kind": key.structure.describe().get(lang),
                "private": private,
                "form": key.armor.describe().get(lang),
                "bits": key.bits,
                "fingerprint": key.fingerprint(),
                "label_mismatch": key.label_mismatch,
                "damage": damage,
                "unusable": key.unusable.as_ref().map(|u| u.get(lang)),
                "languages": fits.iter().map(|(l, ok, needs)| json!({
                    "language": l.as_str(), "loads": ok, "needs": needs.get(lang),
                    "convert": convert(*l),
                })).collect::<Vec<_>>(),
            }))
            .unwrap_or_default()
        );
    }
    let mut m = Msg::same(format!("{file}\n"));
    let (kind, form) = (key.structure.describe(), key.armor.describe());
    m.push(&msg!("  kind         {kind}\n", "  类型         {kind}\n"; kind = kind));
    m.push(&msg!("  form         {form}\n", "  格式         {form}\n"; form = form));
    if key.bits > 0 {
        let bits = key.bits;
        m.push(&msg!(
            "  size         {bits} bits\n",
            "  长度         {bits} 位\n"
        ));
    }
    if let Some(f) = key.fingerprint() {
        m.push(&msg!("  fingerprint  {f}\n", "  指纹         {f}\n"));
    }
    if key.label_mismatch {
        let right = key.structure.pem_label();
        m.push(&msg!(
            "  ✗ header     the PEM label does not match the DER: should be BEGIN {right}\n",
            "  ✗ 标签       PEM 标签与 DER 内容不符：应为 BEGIN {right}\n"
        ));
    }
    for d in &key.damage {
        m.push(&msg!("  ✗ damage     {d}\n", "  ✗ 损坏       {d}\n"; d = d.describe()));
    }
    if let Some(u) = &key.unusable {
        m.push(&msg!("  ✗ unusable   {u}\n", "  ✗ 无法使用   {u}\n"; u = u));
    }
    m.push(&msg!("  languages\n", "  各语言能否加载\n"));
    for (l, ok, needs) in fits {
        let mark = if ok { "✓" } else { "✗" };
        let name = l.as_str();
        let conv = if ok {
            Msg::default()
        } else {
            let c = convert(l);
            msg!("; convert: {c}", "；转换：{c}")
        };
        m.push(&msg!(
            "    {mark} {name:<7} needs {needs}{conv}\n",
            "    {mark} {name:<7} 需要：{needs}{conv}\n";
            needs = needs, conv = conv
        ));
    }
    m.get(lang).to_owned()
}

/// `keys match`: whether the public key is the private key's public half.
#[must_use]
pub fn key_match(private: &str, a: &Key, public: &str, b: &Key, style: &Style) -> String {
    let same = a.same_public(b);
    let fa = a.fingerprint().unwrap_or_default();
    let fb = b.fingerprint().unwrap_or_default();
    if machine(style.format) {
        return format!(
            "{}\n",
            json!({"match": same, "private": {"file": private, "fingerprint": fa}, "public": {"file": public, "fingerprint": fb}})
        );
    }
    let m = if same {
        msg!(
            "✓ {public} is the public half of {private} ({fa})\n",
            "✓ {public} 是 {private} 对应的公钥（{fa}）\n"
        )
    } else {
        msg!(
            "✗ {public} is not the public half of {private}\n  {private}: {fa}\n  {public}: {fb}\n",
            "✗ {public} 不是 {private} 对应的公钥\n  {private}：{fa}\n  {public}：{fb}\n"
        )
    };
    m.get(style.lang).to_owned()
}

/// `sign`: the signed fields, the canonical string, the signature and the filled-in payload;
/// in JSON also the findings about the payload that was signed (human text prints them apart).
#[must_use]
pub fn signed(s: &Signed, findings: &[crate::finding::Finding], style: &Style) -> String {
    if machine(style.format) {
        let diags: Vec<serde_json::Value> = findings
            .iter()
            .map(|f| super::finding_json(f, style.lang))
            .collect();
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "kind": s.kind.as_str(),
                "fields": s.fields,
                "canonical": s.canonical,
                "signature": s.signature,
                "payload": s.payload,
                "diagnostics": diags,
            }))
            .unwrap_or_default()
        );
    }
    let (fields, canonical, signature, payload) = (
        s.fields.join(", "),
        sign::visible(&s.canonical),
        &s.signature,
        &s.payload,
    );
    msg!(
        "kind       {kind}\nsigned     {fields}\ncanonical  {canonical}\nsignature  {signature}\n\n{payload}\n",
        "类型       {kind}\n签名字段   {fields}\n签名串     {canonical}\n签名       {signature}\n\n{payload}\n";
        kind = s.kind.describe()
    )
    .get(style.lang)
    .to_owned()
}

/// `verify`, when the signature verifies: with which key, over which string.
#[must_use]
pub fn verified(p: &Payload, v: &Verification, key_file: &str, style: &Style) -> String {
    if machine(style.format) {
        return format!(
            "{}\n",
            json!({"valid": true, "kind": p.kind.as_str(), "canonical": v.diagnosis.expected})
        );
    }
    let (field, signed) = (v.plan.sig_field, sign::visible(&v.diagnosis.expected));
    msg!(
        "✓ {field} verifies with {key_file}\n  signed string: {signed}\n",
        "✓ {field} 用 {key_file} 验签通过\n  签名串：{signed}\n"
    )
    .get(style.lang)
    .to_owned()
}
