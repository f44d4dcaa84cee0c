//! Signature rules: the payload's signature verifies with the configured key, and when it does
//! not, the finding names the cause found by forensics (`sign::forensics`): the transport, the
//! key, the hash, or the exact way the signed string differs.

use super::{Ctx, Sink, Verification};
use crate::finding::Diagnostic;
use crate::message::Msg;
use crate::msg;
use crate::sign::forensics::{Cause, Fault, describe_hash};
use crate::sign::{Signer, differences, known_names, visible};

/// The verification and each of its faults whose cause matches: a rule reports each mistake of
/// a combination as its own finding.
fn each<'a>(ctx: &Ctx<'a>, pred: impl Fn(&Cause) -> bool) -> Vec<(&'a Verification, &'a Fault)> {
    ctx.verification
        .map(|v| {
            v.diagnosis
                .faults
                .iter()
                .filter(|f| pred(&f.cause))
                .map(|f| (v, f))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether something beyond the named faults is still unexplained.
fn unexplained(v: &Verification) -> bool {
    v.diagnosis.causes().any(|c| *c == Cause::Unknown)
}

fn key_name(v: &Verification) -> Msg {
    match (v.key, v.plan.signer) {
        (Some(role), _) => role.name(),
        (None, Signer::Merchant) => msg!(
            "no key (configure [keys] or give a key to verify)",
            "没有密钥（在配置的 [keys] 中设置，或提供一把密钥才能验签）"
        ),
        (None, Signer::Platform) => msg!(
            "no key (configure platform_public_key or give the key to verify)",
            "没有密钥（设置 platform_public_key 平台公钥，或提供密钥才能验签）"
        ),
    }
}

/// Reports one fault, with the signed and expected strings, the change that undoes it, the key
/// and how the cause was established in the help.
fn report(ctx: &Ctx<'_>, sink: &mut Sink, v: &Verification, f: &Fault, message: Msg, label: Msg) {
    let Some(p) = ctx.payload else { return };
    let d = &v.diagnosis;
    let expected = visible(&d.expected);
    let known = || known_names(p, &v.plan);
    let help = match (&f.cause, &d.signed) {
        (
            Cause::EmptyDropped {
                before_verify: true,
                dropped,
            },
            Some(signed),
        ) => {
            let (signed, lost) = (visible(signed), dropped.join(", "));
            Some(msg!(
                "the platform signed: {signed}\nthis payload gives:  {expected}\nlost on the way:     {lost}",
                "平台签名串：{signed}\n本报文拼出：{expected}\n途中丢失：{lost}"
            ))
        }
        (
            Cause::ValuesAltered {
                after_signing: true,
                ..
            },
            Some(signed),
        ) => {
            // The body is the changed side: its values are named against what the platform
            // signed.
            let diff = Msg::join(
                &differences(&d.expected, signed, &known()),
                &msg!("; ", "；"),
            );
            let signed = visible(signed);
            Some(msg!(
                "the platform signed: {signed}\nthis body gives:     {expected}\nchanged:            {diff}",
                "平台签名串：{signed}\n本报文拼出：{expected}\n被改动：{diff}";
                diff = diff
            ))
        }
        (_, Some(signed)) => {
            let diffs = differences(signed, &d.expected, &known());
            let signed = visible(signed);
            let head = msg!(
                "signed:             {signed}\nthe string to sign: {expected}",
                "实际签名串：{signed}\n应签名的字符串：{expected}"
            );
            Some(if diffs.is_empty() {
                head
            } else {
                let diff = Msg::join(&diffs, &msg!("; ", "；"));
                head.then(&msg!("\ndiffers:            {diff}", "\n差异：{diff}"; diff = diff))
            })
        }
        (Cause::Missing { under: None, .. } | Cause::Valid, None) => None,
        (_, None) => Some(msg!(
            "the string to sign: {expected}",
            "应签名的字符串：{expected}"
        )),
    };
    let fix = f
        .fix
        .as_ref()
        .map(|fix| msg!("fix: {fix}", "修改：{fix}"; fix = fix));
    let help = match (help, fix) {
        (Some(h), Some(fix)) => Some(h.then(&Msg::same("\n")).then(&fix)),
        (h, fix) => h.or(fix),
    };
    let mut r = Diagnostic::new(&p.source, d.span, message).label(label);
    if let Some(help) = help {
        let key = msg!("\nverified with {key}", "\n验签密钥：{key}"; key = key_name(v));
        let mut help = help.then(&key);
        if let Some(e) = evidence(v, f) {
            help = help.then(&Msg::same("\n")).then(&e);
        }
        r = r.help(help);
    }
    sink.report(r);
}

/// How the cause was established: a digest or a verification that matches (proof), or only a
/// pattern in the signature's text. A cause without proof is never put as "was signed as".
fn evidence(v: &Verification, f: &Fault) -> Option<Msg> {
    let d = &v.diagnosis;
    if v.key.is_none() {
        return Some(msg!(
            "how we know: from the signature's text alone (no key was given, so nothing was verified)",
            "依据：仅根据签名文本判断（未提供密钥，未做验签）"
        ));
    }
    let hash = d.causes().find_map(|c| match c {
        Cause::HashNotSha1 { hash, .. } => Some(describe_hash(hash)),
        _ => None,
    });
    let hash = hash.unwrap_or_else(|| Msg::same("SHA-1"));
    let others = d.faults.len() - 1;
    Some(match &f.cause {
        Cause::Valid | Cause::Unknown | Cause::Missing { under: None, .. } => return None,
        Cause::HashNotSha1 { .. } => msg!(
            "how we know: the hash is named inside the signature, read with the key (proof)",
            "依据：用密钥解出的签名内容中写明了所用的哈希算法（确证）"
        ),
        _ if d.proven && others > 0 => msg!(
            "how we know: with all {n} mistakes named in these findings together, the {hash} of the signed string above equals the digest inside the signature (proof); each fix alone is not enough",
            "依据：这些问题中指出的 {n} 处错误合在一起时，上面所示签名串的 {hash} 与签名中的摘要一致（确证）；只改其中一处还不够";
            hash = hash,
            n = Msg::same((others + 1).to_string())
        ),
        _ if d.signed.is_some() => msg!(
            "how we know: the {hash} of the signed string above equals the digest inside the signature (proof)",
            "依据：上面所示签名串的 {hash} 与签名中的摘要一致（确证）";
            hash = hash
        ),
        _ if d.proven => msg!(
            "how we know: the {hash} of the string built with this mistake equals the digest inside the signature (proof)",
            "依据：按此错误构造的字符串的 {hash} 与签名中的摘要一致（确证）";
            hash = hash
        ),
        Cause::PlusBecameSpace | Cause::UrlSafe | Cause::Malformed { verifies: true, .. }
            if !unexplained(v) =>
        {
            msg!(
                "how we know: with that change undone, the signature verifies (proof)",
                "依据：撤销这一改动后签名验证通过（确证）"
            )
        }
        Cause::PlusBecameSpace | Cause::UrlSafe | Cause::Malformed { .. } => msg!(
            "how we know: a pattern in the signature's text; it still does not verify after undoing it, so there is a second cause",
            "依据：签名文本中的特征；撤销后仍无法验证，说明还有其他原因"
        ),
        Cause::Missing {
            under: Some(under), ..
        } if !unexplained(v) => msg!(
            "how we know: read from `{under}`, the signature verifies (proof)",
            "依据：从 `{under}` 读出的签名验证通过（确证）"
        ),
        Cause::Missing {
            under: Some(under), ..
        } => msg!(
            "how we know: the signature was read from `{under}`; it still does not verify, so there is a second cause",
            "依据：签名是从 `{under}` 读出的；仍无法验证，说明还有其他原因"
        ),
        Cause::WrongKey {
            verified_by: Some(_),
        } => msg!(
            "how we know: the other key named verifies this signature (proof)",
            "依据：上面提到的另一把密钥能验证此签名（确证）"
        ),
        Cause::WrongKey { verified_by: None } => msg!(
            "how we know: the signature does not open with this key (its padding is invalid); which key made it is not known",
            "依据：此密钥无法解开签名（填充无效）；无法确定签名用的是哪把密钥"
        ),
        _ => return None,
    })
}

/// SIG001
pub fn sign_missing(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::Missing { .. })) {
        let Cause::Missing { under, empty } = &f.cause else {
            continue;
        };
        let field = v.plan.sig_field;
        let message = match (under, empty) {
            (Some(under), _) => msg!(
                "the signature is under `{under}`; the platform reads `{field}`",
                "签名放在了 `{under}` 中；平台读取的是 `{field}`"
            ),
            (None, true) => msg!(
                "{field} is empty: did loading the private key fail silently?",
                "{field} 为空：是否私钥加载失败而签名代码没有报错？"
            ),
            (None, false) => msg!("there is no {field}", "缺少 {field}"),
        };
        report(ctx, sink, v, f, message, msg!("no signature", "没有签名"));
    }
}

/// SIG002
pub fn sign_malformed(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::Malformed { .. })) {
        let Cause::Malformed {
            looks_like,
            verifies,
        } = &f.cause
        else {
            continue;
        };
        let then = if *verifies {
            msg!(" (once repaired, it verifies)", "（修复后可以验签通过）")
        } else {
            Msg::default()
        };
        let field = v.plan.sig_field;
        report(
            ctx,
            sink,
            v,
            f,
            msg!(
                "{field} is not a usable signature: {looks}{then}",
                "{field} 不是有效的签名：{looks}{then}";
                looks = looks_like, then = then
            ),
            msg!("malformed signature", "签名格式错误"),
        );
    }
}

/// SIG003
pub fn sign_plus_became_space(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| *c == Cause::PlusBecameSpace) {
        let verified = if v.key.is_some() && !unexplained(v) {
            msg!(
                ": turned back into `+`, the signature verifies",
                "：空格还原为 `+` 后验签通过"
            )
        } else {
            Msg::default()
        };
        report(
            ctx,
            sink,
            v,
            f,
            msg!(
                "the signature has spaces where base64 has `+` (form-decoded twice){verified}",
                "签名中的 `+` 变成了空格（被表单解码了两次）{verified}";
                verified = verified
            ),
            msg!("`+` became a space", "`+` 变成了空格"),
        );
    }
}

/// SIG004
pub fn sign_base64_urlsafe(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| *c == Cause::UrlSafe) {
        report(
            ctx,
            sink,
            v,
            f,
            msg!(
                "the signature is URL-safe base64 (`-` and `_`); the platform uses standard base64 with padding",
                "签名使用了 URL 安全的 base64（`-` 和 `_`）；平台使用带填充的标准 base64"
            ),
            msg!("URL-safe base64", "URL 安全 base64"),
        );
    }
}

/// SIG005
pub fn sign_wrong_key(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::WrongKey { .. })) {
        let Cause::WrongKey { verified_by } = &f.cause else {
            continue;
        };
        let by = key_name(v);
        let message = if let Some(other) = verified_by {
            msg!(
                "the signature was not made with the key matching {by}: {other} verifies it",
                "签名不是由{by}对应的私钥生成的：{other}可以验证它";
                by = by, other = other
            )
        } else {
            msg!(
                "the signature was not made with the key matching {by} (its RSA padding is invalid under that key)",
                "签名不是由{by}对应的私钥生成的（在该公钥下 RSA 填充无效）";
                by = by
            )
        };
        report(
            ctx,
            sink,
            v,
            f,
            message,
            msg!("another key made this", "由其他密钥生成"),
        );
    }
}

/// SIG006
pub fn sign_hash_not_sha1(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::HashNotSha1 { .. })) {
        let Cause::HashNotSha1 { hash, string_ok } = &f.cause else {
            continue;
        };
        let over = if *string_ok {
            msg!(" over the right string", "，签名串本身正确")
        } else {
            Msg::default()
        };
        report(
            ctx,
            sink,
            v,
            f,
            msg!(
                "the signature uses {hash}{over}; the platform uses SHA1withRSA",
                "签名使用了 {hash}{over}；平台使用 SHA1withRSA";
                hash = describe_hash(hash), over = over
            ),
            msg!("not SHA-1", "不是 SHA-1"),
        );
    }
}

/// SIG007
pub fn sign_fields_wrong(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::FieldsWrong { .. })) {
        let Cause::FieldsWrong {
            how,
            signed,
            should,
        } = &f.cause
        else {
            continue;
        };
        let (signed, should) = (signed.join(", "), should.join(", "));
        report(
            ctx,
            sink,
            v,
            f,
            msg!(
                "the wrong fields were signed: {how} (signed {signed}; the platform checks {should})",
                "签名字段错误：{how}（实际签名 {signed}；平台验签字段为 {should}）";
                how = how
            ),
            msg!("signed over the wrong fields", "签名字段不对"),
        );
    }
}

/// SIG008
pub fn sign_string_unsorted(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::Unsorted { .. })) {
        let Cause::Unsorted { how } = &f.cause else {
            continue;
        };
        report(
            ctx,
            sink,
            v,
            f,
            msg!(
                "the fields were joined {how}, not in byte (ASCII) order",
                "签名字段按“{how}”拼接，而不是按字节（ASCII）升序";
                how = how
            ),
            msg!("unsorted", "未排序"),
        );
    }
}

/// SIG009
pub fn sign_values_url_encoded(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::UrlEncoded { .. })) {
        let Cause::UrlEncoded { how } = &f.cause else {
            continue;
        };
        report(
            ctx,
            sink,
            v,
            f,
            msg!(
                "the values were URL-encoded before signing, {how}",
                "签名前对参数值做了 URL 编码（{how}）";
                how = how
            ),
            msg!("signed encoded values", "对编码后的值签名"),
        );
    }
}

/// SIG010
pub fn sign_empty_values_dropped(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::EmptyDropped { .. })) {
        let Cause::EmptyDropped {
            dropped,
            before_verify,
        } = &f.cause
        else {
            continue;
        };
        let list = dropped.join(", ");
        let message = if *before_verify {
            msg!(
                "the platform signed empty fields that this payload lacks ({list}): something dropped them before verification",
                "平台签名时包含了空值字段（{list}），而此报文中缺少它们：验签前被丢弃了"
            )
        } else {
            msg!(
                "fields with empty values were left out of the signed string ({list})",
                "签名串中漏掉了空值字段（{list}）"
            )
        };
        report(
            ctx,
            sink,
            v,
            f,
            message,
            msg!("empty values dropped", "丢弃了空值"),
        );
    }
}

/// SIG011
pub fn sign_values_altered(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| matches!(c, Cause::ValuesAltered { .. })) {
        let Cause::ValuesAltered { how, after_signing } = &f.cause else {
            continue;
        };
        let (message, label) = if *after_signing {
            (
                msg!(
                    "this body was changed after the platform signed it: {how}. The platform signs exactly what it sends, so the change was made on the way or on your side (a forged callback, a proxy, or your framework rewriting the body); do not fulfil or refund from it",
                    "此报文在平台签名之后被改动过：{how}。平台对其发送的内容原样签名，改动发生在传输途中或你方（伪造的回调、代理，或你的框架改写了报文）；不要据此发货或退款";
                    how = how
                ),
                msg!("changed after signing", "签名后被改动"),
            )
        } else {
            (
                msg!(
                    "the right fields were signed with altered values: {how}",
                    "签名字段正确但值被改变：{how}";
                    how = how
                ),
                msg!("values altered", "值被改变"),
            )
        };
        report(ctx, sink, v, f, message, label);
    }
}

/// SIG012
pub fn sign_invalid(ctx: &Ctx<'_>, sink: &mut Sink) {
    for (v, f) in each(ctx, |c| *c == Cause::Unknown) {
        let named = v.diagnosis.faults.len() > 1;
        let message = match (v.plan.signer, named) {
            // The padding opened with the platform key: the key is right and the body is not
            // what the platform signed.
            (Signer::Platform, _) => msg!(
                "this body is not what the platform signed: the signature opens with {key}, so the key is right, but its digest matches neither this body nor any known change on the way. Treat it as changed after signing (a forged callback, a proxy or your framework rewriting the body) until the raw body received verifies; do not fulfil or refund from it",
                "此报文不是平台签名时的内容：签名能用{key}解开，说明密钥正确，但摘要既不符合此报文，也不符合任何已知的途中改动。在用收到的原始报文验签通过之前，按“签名后被改动”处理（伪造的回调、代理，或你的框架改写了报文）；不要据此发货或退款";
                key = key_name(v)
            ),
            (Signer::Merchant, true) => msg!(
                "beyond the causes named above, the signed string differs in a way none of the known mistakes explains",
                "除上面指出的原因外，签名串还有无法用已知错误解释的差异"
            ),
            (Signer::Merchant, false) => msg!(
                "the signature does not verify with {key}, and none of the known mistakes explains it",
                "签名无法用{key}验证，且不属于已知的错误类型";
                key = key_name(v)
            ),
        };
        report(
            ctx,
            sink,
            v,
            f,
            message,
            msg!("does not verify", "验签失败"),
        );
    }
}
