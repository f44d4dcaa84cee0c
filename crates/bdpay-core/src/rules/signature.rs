//! Signature rules: the payload's signature verifies with the configured key, and when it does
//! not, the finding names the cause found by forensics (`sign::forensics`): the transport, the
//! key, the hash, or the exact way the signed string differs.

use super::{Ctx, Sink, Verification};
use crate::finding::Report;
use crate::keys::ring::Role;
use crate::sign::forensics::Cause;
use crate::sign::{Signer, differences, visible};

/// The verification, when its cause matches.
fn with<'a>(ctx: &Ctx<'a>, pred: impl Fn(&Cause) -> bool) -> Option<&'a Verification> {
    ctx.verification.filter(|v| pred(&v.diagnosis.cause))
}

fn key_name(v: &Verification) -> &'static str {
    match (v.key, v.plan.signer) {
        (Some(Role::Given), _) => "the key given with --key",
        (Some(Role::DeveloperPublic), _) => "the developer public key",
        (Some(Role::Private), _) => "the public half of the private key",
        (Some(Role::PlatformPublic), _) => "the platform public key",
        (None, Signer::Merchant) => "no key (configure [keys] or pass --key to verify)",
        (None, Signer::Platform) => {
            "no key (configure platform_public_key or pass --key to verify)"
        }
    }
}

/// Reports on the signature, with the signed and expected strings in the help.
fn report(
    ctx: &Ctx<'_>,
    sink: &mut Sink,
    v: &Verification,
    en: String,
    zh: String,
    label: (&str, &str),
) {
    let Some(p) = ctx.payload else { return };
    let d = &v.diagnosis;
    let mut help_en = String::new();
    let mut help_zh = String::new();
    if let (
        Cause::EmptyDropped {
            before_verify: true,
            dropped,
        },
        Some(signed),
    ) = (&d.cause, &d.signed)
    {
        help_en = format!(
            "the platform signed: {}\nthis payload gives:  {}\nlost on the way:     {}",
            visible(signed),
            visible(&d.expected),
            dropped.join(", ")
        );
        help_zh = format!(
            "平台签名串：{}\n本报文拼出：{}\n途中丢失：{}",
            visible(signed),
            visible(&d.expected),
            dropped.join(", ")
        );
    } else if let Some(signed) = &d.signed {
        let diff = differences(signed, &d.expected).join("; ");
        help_en = format!(
            "signed:   {}\nexpected: {}\ndiffers:  {diff}",
            visible(signed),
            visible(&d.expected)
        );
        help_zh = format!(
            "实际签名串：{}\n正确签名串：{}\n差异：{diff}",
            visible(signed),
            visible(&d.expected)
        );
    } else if !matches!(d.cause, Cause::Missing { .. } | Cause::Valid) {
        help_en = format!("the string to sign: {}", visible(&d.expected));
        help_zh = format!("应签名的字符串：{}", visible(&d.expected));
    }
    let mut r =
        Report::new(&p.source, d.span, ctx.t(en, zh)).label(ctx.t(label.0.into(), label.1.into()));
    if !help_en.is_empty() {
        let fix = ctx.t(
            format!("\nverified with {}", key_name(v)),
            format!("\n验签密钥：{}", key_name(v)),
        );
        r = r.help(format!("{}{fix}", ctx.t(help_en, help_zh)));
    }
    sink.report(r);
}

/// SIG001
pub fn sign_missing(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::Missing { .. })) else {
        return;
    };
    let field = v.plan.sig_field;
    let (en, zh) = match v.diagnosis.cause {
        Cause::Missing {
            under_sign: true, ..
        } => (
            format!("the signature is under `sign`; the platform reads `{field}`"),
            format!("签名放在了 `sign` 中；平台读取的是 `{field}`"),
        ),
        Cause::Missing { empty: true, .. } => (
            format!("{field} is empty: did loading the private key fail silently?"),
            format!("{field} 为空：是否私钥加载失败而签名代码没有报错？"),
        ),
        _ => (format!("there is no {field}"), format!("缺少 {field}")),
    };
    report(ctx, sink, v, en, zh, ("no signature", "没有签名"));
}

/// SIG002
pub fn sign_malformed(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::Malformed { .. })) else {
        return;
    };
    let Cause::Malformed {
        looks_like,
        verifies,
    } = &v.diagnosis.cause
    else {
        return;
    };
    let (then_en, then_zh) = if *verifies {
        (" (once repaired, it verifies)", "（修复后可以验签通过）")
    } else {
        ("", "")
    };
    report(
        ctx,
        sink,
        v,
        format!(
            "{} is not a usable signature: {looks_like}{then_en}",
            v.plan.sig_field
        ),
        format!("{} 不是有效的签名：{looks_like}{then_zh}", v.plan.sig_field),
        ("malformed signature", "签名格式错误"),
    );
}

/// SIG003
pub fn sign_plus_became_space(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| *c == Cause::PlusBecameSpace) else {
        return;
    };
    let verified = if v.key.is_some() {
        ctx.t(
            ": turned back into `+`, the signature verifies".into(),
            "：空格还原为 `+` 后验签通过".into(),
        )
    } else {
        String::new()
    };
    report(
        ctx,
        sink,
        v,
        format!("the signature has spaces where base64 has `+` (form-decoded twice){verified}"),
        format!("签名中的 `+` 变成了空格（被表单解码了两次）{verified}"),
        ("`+` became a space", "`+` 变成了空格"),
    );
}

/// SIG004
pub fn sign_base64_urlsafe(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| *c == Cause::UrlSafe) else {
        return;
    };
    report(
        ctx,
        sink,
        v,
        "the signature is URL-safe base64 (`-` and `_`); the platform uses standard base64 with padding".into(),
        "签名使用了 URL 安全的 base64（`-` 和 `_`）；平台使用带填充的标准 base64".into(),
        ("URL-safe base64", "URL 安全 base64"),
    );
}

/// SIG005
pub fn sign_wrong_key(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::WrongKey { .. })) else {
        return;
    };
    let Cause::WrongKey { verified_by } = &v.diagnosis.cause else {
        return;
    };
    let by = key_name(v);
    let (en, zh) = match verified_by {
        Some(other) => (
            format!(
                "the signature was not made with the key matching {by}: the {other} verifies it"
            ),
            format!("签名不是由 {by} 对应的私钥生成的：{other} 可以验证它"),
        ),
        None => (
            format!(
                "the signature was not made with the key matching {by} (its RSA padding is invalid under that key)"
            ),
            format!("签名不是由 {by} 对应的私钥生成的（在该公钥下 RSA 填充无效）"),
        ),
    };
    report(
        ctx,
        sink,
        v,
        en,
        zh,
        ("another key made this", "由其他密钥生成"),
    );
}

/// SIG006
pub fn sign_hash_not_sha1(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::HashNotSha1 { .. })) else {
        return;
    };
    let Cause::HashNotSha1 { hash, string_ok } = &v.diagnosis.cause else {
        return;
    };
    let (sen, szh) = if *string_ok {
        (" over the right string", "，签名串本身正确")
    } else {
        ("", "")
    };
    report(
        ctx,
        sink,
        v,
        format!("the signature uses {hash}{sen}; the platform uses SHA1withRSA"),
        format!("签名使用了 {hash}{szh}；平台使用 SHA1withRSA"),
        ("not SHA-1", "不是 SHA-1"),
    );
}

/// SIG007
pub fn sign_fields_wrong(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::FieldsWrong { .. })) else {
        return;
    };
    let Cause::FieldsWrong { how, signed } = &v.diagnosis.cause else {
        return;
    };
    let should: Vec<&str> = v.plan.field_names();
    report(
        ctx,
        sink,
        v,
        format!(
            "the wrong fields were signed: {how} (signed {}; should be {})",
            signed.join(", "),
            should.join(", ")
        ),
        format!(
            "签名字段错误：{how}（实际签名 {}；应为 {}）",
            signed.join(", "),
            should.join(", ")
        ),
        ("signed over the wrong fields", "签名字段不对"),
    );
}

/// SIG008
pub fn sign_string_unsorted(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::Unsorted { .. })) else {
        return;
    };
    let Cause::Unsorted { how } = &v.diagnosis.cause else {
        return;
    };
    report(
        ctx,
        sink,
        v,
        format!("the fields were joined {how}, not in byte (ASCII) order"),
        format!("签名字段按“{how}”拼接，而不是按字节（ASCII）升序"),
        ("unsorted", "未排序"),
    );
}

/// SIG009
pub fn sign_values_url_encoded(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::UrlEncoded { .. })) else {
        return;
    };
    let Cause::UrlEncoded { how } = &v.diagnosis.cause else {
        return;
    };
    report(
        ctx,
        sink,
        v,
        format!("the values were URL-encoded before signing, {how}"),
        format!("签名前对参数值做了 URL 编码（{how}）"),
        ("signed encoded values", "对编码后的值签名"),
    );
}

/// SIG010
pub fn sign_empty_values_dropped(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::EmptyDropped { .. })) else {
        return;
    };
    let Cause::EmptyDropped {
        dropped,
        before_verify,
    } = &v.diagnosis.cause
    else {
        return;
    };
    let list = dropped.join(", ");
    let (en, zh) = if *before_verify {
        (
            format!(
                "the platform signed empty fields that this payload lacks ({list}): something dropped them before verification"
            ),
            format!("平台签名时包含了空值字段（{list}），而此报文中缺少它们：验签前被丢弃了"),
        )
    } else {
        (
            format!("fields with empty values were left out of the signed string ({list})"),
            format!("签名串中漏掉了空值字段（{list}）"),
        )
    };
    report(ctx, sink, v, en, zh, ("empty values dropped", "丢弃了空值"));
}

/// SIG011
pub fn sign_values_altered(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| matches!(c, Cause::ValuesAltered { .. })) else {
        return;
    };
    let Cause::ValuesAltered { how } = &v.diagnosis.cause else {
        return;
    };
    report(
        ctx,
        sink,
        v,
        format!("the right fields were signed with altered values: {how}"),
        format!("签名字段正确但值被改变：{how}"),
        ("values altered", "值被改变"),
    );
}

/// SIG012
pub fn sign_invalid(ctx: &Ctx<'_>, sink: &mut Sink) {
    let Some(v) = with(ctx, |c| *c == Cause::Unknown) else {
        return;
    };
    report(
        ctx,
        sink,
        v,
        format!(
            "the signature does not verify with {}, and none of the known mistakes explains it",
            key_name(v)
        ),
        format!("签名无法用{}验证，且不属于已知的错误类型", key_name(v)),
        ("does not verify", "验签失败"),
    );
}
