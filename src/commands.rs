//! The key and signature commands: `keys inspect|match|convert|gen`, `sign`, `verify`.

use std::path::Path;

use serde_json::json;

use crate::cli::{KeysCommand, SignArgs, VerifyArgs};
use crate::term;
use bdpay_core::config::Language;
use bdpay_core::error::ToolError;
use bdpay_core::keys::{self, Key, Target};
use bdpay_core::payload::{self, Form, Payload};
use bdpay_core::render::{self, Format, Style};
use bdpay_core::sign;

/// Reads a key file (`-` for stdin) and parses it; unreadable keys are errors here.
pub fn load_key(path: &str, max: u64) -> Result<Key, ToolError> {
    let bytes = read_bytes(path, max)?;
    keys::read(&bytes).map_err(|e| {
        ToolError::new(format!(
            "{path}: not a usable key: {}; {}",
            e.looks_like, e.stopped
        ))
        .help("`bdpay-doctor keys inspect FILE` says what the file holds")
    })
}

/// Reads raw bytes (keys may be binary DER).
pub fn read_bytes(path: &str, max: u64) -> Result<Vec<u8>, ToolError> {
    use std::io::Read as _;
    let mut buf = Vec::new();
    let r = if path == "-" {
        std::io::stdin().take(max + 1).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(max + 1).read_to_end(&mut buf))
    };
    r.map_err(|e| ToolError::new(format!("{path}: cannot read: {e}")))?;
    if buf.len() as u64 > max {
        return Err(ToolError::new(format!(
            "{path}: larger than the --max-size limit"
        )));
    }
    Ok(buf)
}

const LANGUAGES: [Language; 6] = [
    Language::Java,
    Language::Php,
    Language::Go,
    Language::Node,
    Language::Python,
    Language::Dotnet,
];

fn lang_name(l: Language) -> String {
    format!("{l:?}").to_lowercase()
}

fn target_arg(t: Target) -> &'static str {
    match t {
        Target::Pkcs1 => "pkcs1",
        Target::Pkcs8 => "pkcs8",
        Target::Spki => "spki",
        Target::Der => "der",
        Target::Bare => "bare",
        Target::Java => "java",
    }
}

/// `keys ...`.
pub fn keys(cmd: &KeysCommand, style: &Style, max: u64) -> Result<u8, ToolError> {
    match cmd {
        KeysCommand::Inspect { file } => {
            let key = load_key(file, max)?;
            term::out(&inspect(file, &key, style.format));
            Ok(0)
        }
        KeysCommand::Match { private, public } => {
            let a = load_key(private, max)?;
            let b = load_key(public, max)?;
            let same = a.same_public(&b);
            let fa = a.fingerprint().unwrap_or_default();
            let fb = b.fingerprint().unwrap_or_default();
            let s = match style.format {
                Format::Json | Format::Sarif | Format::Ndjson => format!(
                    "{}\n",
                    json!({"match": same, "private": {"file": private, "fingerprint": fa}, "public": {"file": public, "fingerprint": fb}})
                ),
                _ if same => format!("✓ {public} is the public half of {private} ({fa})\n"),
                _ => format!(
                    "✗ {public} is not the public half of {private}\n  {private}: {fa}\n  {public}: {fb}\n"
                ),
            };
            term::out(&s);
            Ok(u8::from(!same))
        }
        KeysCommand::Convert { to, file, out } => {
            let key = load_key(file, max)?;
            let bytes = keys::convert(&key, (*to).into())
                .map_err(|e| ToolError::new(format!("{file}: {e}")))?;
            let private = key.private.is_some() && Target::from(*to) != Target::Spki;
            match out.as_deref() {
                Some("-") => write_stdout(&bytes, (*to).into()),
                Some(path) => write_file(path, &bytes, private)?,
                None if private => {
                    return Err(
                        ToolError::new("refusing to print a private key without --out")
                            .help("pass --out FILE to write it, or --out - to print it"),
                    );
                }
                None => write_stdout(&bytes, (*to).into()),
            }
            Ok(0)
        }
        KeysCommand::Gen {
            bits,
            language,
            config,
            out,
            stdout,
        } => {
            let lang = match (language, config) {
                (Some(l), _) => Some((*l).into()),
                (None, Some(c)) => crate::input::load_config(&c.to_string_lossy(), max)?
                    .keys
                    .language
                    .map(|l| *l.get_ref()),
                (None, None) => None,
            };
            generate_pair(*bits, lang, out.as_deref(), *stdout)
        }
    }
}

fn write_stdout(bytes: &[u8], to: Target) {
    if to == Target::Der {
        term::out_bytes(bytes);
    } else {
        term::out_raw(&String::from_utf8_lossy(bytes));
    }
}

fn write_file(path: &str, bytes: &[u8], private: bool) -> Result<(), ToolError> {
    std::fs::write(path, bytes)
        .map_err(|e| ToolError::new(format!("{path}: cannot write: {e}")))?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = private;
    term::err(&format!("wrote {path}\n"));
    Ok(())
}

fn generate_pair(
    bits: usize,
    lang: Option<Language>,
    out: Option<&Path>,
    stdout: bool,
) -> Result<u8, ToolError> {
    if !(1024..=4096).contains(&bits) {
        return Err(ToolError::new(format!(
            "--bits {bits}: choose 1024 (the size the docs use) to 4096"
        )));
    }
    let private = keys::generate(&mut getrandom::SysRng, bits).map_err(ToolError::new)?;
    let der = {
        use rsa::pkcs8::EncodePrivateKey as _;
        private
            .to_pkcs8_der()
            .map_err(|e| ToolError::new(e.to_string()))?
            .as_bytes()
            .to_vec()
    };
    let key = keys::read(&der).map_err(|e| ToolError::new(e.to_string()))?;
    let (pt, ut) = lang.map_or((Target::Pkcs8, Target::Spki), |l| {
        (keys::target_for(l, true), keys::target_for(l, false))
    });
    let priv_bytes = keys::convert(&key, pt).map_err(ToolError::new)?;
    let public = key
        .public_only()
        .ok_or_else(|| ToolError::new("the generated key has no public half"))?;
    let pub_bytes = keys::convert(&public, ut).map_err(ToolError::new)?;
    if stdout {
        term::out_raw(&String::from_utf8_lossy(&priv_bytes));
        term::out_raw(&String::from_utf8_lossy(&pub_bytes));
        return Ok(0);
    }
    let dir = out.unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| ToolError::new(format!("{}: {e}", dir.display())))?;
    let ext = if matches!(pt, Target::Java | Target::Bare) {
        "txt"
    } else {
        "pem"
    };
    let pp = dir.join(format!("rsa_private_key.{ext}"));
    let up = dir.join(format!("rsa_public_key.{ext}"));
    write_file(&pp.to_string_lossy(), &priv_bytes, true)?;
    write_file(&up.to_string_lossy(), &pub_bytes, false)?;
    let for_lang = lang.map_or_else(String::new, |l| format!(" for {}", lang_name(l)));
    term::err(&format!(
        "generated a {bits}-bit test key pair{for_lang}; upload {} as the developer public key of a test service only\n",
        up.display()
    ));
    Ok(0)
}

fn inspect(file: &str, key: &Key, format: Format) -> String {
    let fits: Vec<(Language, bool, &str)> = LANGUAGES
        .iter()
        .map(|&l| {
            let (ok, needs) = keys::language_fit(l, key);
            (l, ok, needs)
        })
        .collect();
    let damage: Vec<&str> = key.damage.iter().map(|d| d.describe()).collect();
    if matches!(format, Format::Json | Format::Sarif | Format::Ndjson) {
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "file": file,
                "kind": key.structure.describe(),
                "private": key.structure.is_private(),
                "form": key.armor.to_string(),
                "bits": key.bits,
                "fingerprint": key.fingerprint(),
                "label_mismatch": key.label_mismatch,
                "damage": damage,
                "unusable": key.unusable,
                "languages": fits.iter().map(|(l, ok, needs)| json!({
                    "language": lang_name(*l), "loads": ok, "needs": needs,
                    "convert": format!("bdpay-doctor keys convert --to {} {file}", target_arg(keys::target_for(*l, key.structure.is_private()))),
                })).collect::<Vec<_>>(),
            }))
            .unwrap_or_default()
        );
    }
    let mut s = format!("{file}\n");
    s.push_str(&format!("  kind         {}\n", key.structure.describe()));
    s.push_str(&format!("  form         {}\n", key.armor));
    if key.bits > 0 {
        s.push_str(&format!("  size         {} bits\n", key.bits));
    }
    if let Some(f) = key.fingerprint() {
        s.push_str(&format!("  fingerprint  {f}\n"));
    }
    if key.label_mismatch {
        s.push_str(&format!(
            "  ✗ header     the PEM label does not match the DER: should be BEGIN {}\n",
            key.structure.pem_label()
        ));
    }
    for d in &damage {
        s.push_str(&format!("  ✗ damage     {d}\n"));
    }
    if let Some(u) = &key.unusable {
        s.push_str(&format!("  ✗ unusable   {u}\n"));
    }
    s.push_str("  languages\n");
    for (l, ok, needs) in fits {
        let mark = if ok { "✓" } else { "✗" };
        let conv = if ok {
            String::new()
        } else {
            format!(
                "; convert: bdpay-doctor keys convert --to {} {file}",
                target_arg(keys::target_for(l, key.structure.is_private()))
            )
        };
        s.push_str(&format!(
            "    {mark} {:<7} needs {needs}{conv}\n",
            lang_name(l)
        ));
    }
    s
}

/// Reads the input of `sign`: a payload file or `k=v` pairs.
fn sign_input(args: &SignArgs, max: u64) -> Result<Payload, ToolError> {
    let pairs = args.input.iter().all(|a| a.contains('=') && a != "-");
    let src = if pairs && !args.input.is_empty() {
        bdpay_core::source::SourceFile::new("<arguments>", args.input.join("&"))
    } else {
        let [file] = args.input.as_slice() else {
            return Err(ToolError::new("give one payload file (or -), or k=v pairs"));
        };
        crate::input::read_text(file, max)?
    };
    payload::read(&src, args.kind.map(Into::into))
}

/// `sign`.
pub fn sign_cmd(args: &SignArgs, style: &Style, max: u64) -> Result<u8, ToolError> {
    let key = load_key(&args.key, max)?;
    let Some(private) = &key.private else {
        return Err(ToolError::new(format!(
            "{}: {} cannot sign",
            args.key,
            key.unusable
                .clone()
                .unwrap_or_else(|| format!("a {}", key.structure.describe()))
        )));
    };
    let p = sign_input(args, max)?;
    let plan = sign::plan(&p).ok_or_else(|| {
        ToolError::new(format!(
            "{}: a {} carries no signature",
            p.source.name,
            p.kind.describe()
        ))
    })?;
    let canonical = plan.canonical();
    let signature = sign::sign(private, canonical.as_bytes()).map_err(ToolError::new)?;
    let filled = fill_signature(&p, plan.sig_field, &signature);
    let s = match style.format {
        Format::Json | Format::Sarif | Format::Ndjson => format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "kind": p.kind.as_str(),
                "fields": plan.field_names(),
                "canonical": canonical,
                "signature": signature,
                "payload": filled,
            }))
            .unwrap_or_default()
        ),
        _ => format!(
            "kind       {}\nsigned     {}\ncanonical  {}\nsignature  {signature}\n\n{filled}\n",
            p.kind.describe(),
            plan.field_names().join(", "),
            sign::visible(&canonical),
        ),
    };
    term::out(&s);
    Ok(0)
}

/// The payload's text with its signature replaced (or added), in the payload's own form.
#[must_use]
pub fn fill_signature(p: &Payload, field: &str, sig: &str) -> String {
    let text = &p.source.text;
    let json_like = matches!(p.form, Form::Json | Form::JsLiteral)
        || (p.form == Form::HttpRequest
            && p.root.span.start < text.len()
            && text[p.root.span.start..].starts_with('{'));
    let value = if json_like {
        serde_json::to_string(sig).unwrap_or_default()
    } else {
        sign::forensics::form_encode(sig)
    };
    if let Some(m) = p.get(field) {
        let sp = m.value.span;
        // Inside a JSON string wrapper the raw value is escaped; rebuild from fields instead.
        if !matches!(p.wrapping, Some(payload::Wrapping::String(_))) {
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
                serde_json::Value::String(sign::value_text(p, m).into()),
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

/// `verify`.
pub fn verify_cmd(args: &VerifyArgs, style: &Style, max: u64) -> Result<u8, ToolError> {
    let key_bytes = read_bytes(&args.key, max)?;
    keys::read(&key_bytes).map_err(|e| {
        ToolError::new(format!(
            "{}: not a usable key: {}; {}",
            args.key, e.looks_like, e.stopped
        ))
    })?;
    let src = crate::input::read_text(&args.file, max)?;
    let p = payload::read(&src, args.kind.map(Into::into))?;
    let mut ring = keys::ring::Ring::default();
    ring.add_given(&args.key, &key_bytes);
    let Some(v) = bdpay_core::rules::verify_payload(&p, &ring) else {
        return Err(ToolError::new(format!(
            "{}: a {} carries no signature to verify",
            p.source.name,
            p.kind.describe()
        )));
    };
    if v.diagnosis.cause == sign::forensics::Cause::Valid {
        let s = match style.format {
            Format::Json | Format::Sarif | Format::Ndjson => format!(
                "{}\n",
                json!({"valid": true, "kind": p.kind.as_str(), "canonical": v.diagnosis.expected})
            ),
            _ => format!(
                "✓ {} verifies with {}\n  signed string: {}\n",
                v.plan.sig_field,
                args.key,
                sign::visible(&v.diagnosis.expected)
            ),
        };
        term::out(&s);
        return Ok(0);
    }
    let settings = bdpay_core::rules::Settings {
        lang: style.lang,
        only: Some(
            bdpay_core::registry::all()
                .iter()
                .filter(|r| r.code.starts_with("SIG"))
                .map(|r| r.code.clone())
                .collect(),
        ),
        levels: std::collections::BTreeMap::new(),
        key: Some((args.key.clone(), key_bytes)),
        orders: None,
    };
    let findings = bdpay_core::rules::lint(None, std::slice::from_ref(&p), &settings);
    let inputs = render::Inputs {
        payloads: std::slice::from_ref(&p),
        config: None,
        errors: &[],
        probes: &[],
    };
    term::out(&render::report(&findings, &inputs, style, false));
    Ok(1)
}
