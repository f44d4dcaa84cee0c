//! `keys inspect|match|convert|gen`: reading, comparing, converting and generating keys. The
//! core reads and describes keys; this file reads the files, writes the results (private keys
//! only where asked, mode 0600) and generates with the OS's random source.

use std::path::Path;

#[cfg(feature = "native")]
use bdpay_core::config::ServerLanguage;
use bdpay_core::error::ToolError;
use bdpay_core::keys::{self, KeyForm};
#[cfg(feature = "native")]
use bdpay_core::message::Msg;
use bdpay_core::msg;
use bdpay_core::render::{self, Style};

use super::load_key;
use crate::cli::KeysCommand;
use crate::term;

pub fn keys(cmd: &KeysCommand, style: &Style, max: u64) -> Result<u8, ToolError> {
    match cmd {
        KeysCommand::Inspect { file, .. } => {
            let key = load_key(file, max)?;
            let name = crate::input::display_name(file);
            term::out(&render::key_inspection(&name, &key, style));
            Ok(0)
        }
        KeysCommand::Match {
            private, public, ..
        } => {
            let a = load_key(private, max)?;
            let b = load_key(public, max)?;
            let same = a.same_public(&b);
            term::out(&render::key_match(private, &a, public, &b, style));
            Ok(u8::from(!same))
        }
        KeysCommand::Convert { to, file, out, .. } => {
            let key = load_key(file, max)?;
            let to = KeyForm::from(*to);
            let bytes = keys::convert(&key, to)
                .map_err(|e| ToolError::in_file(crate::input::display_name(file), e))?;
            let private = key.private.is_some() && to != KeyForm::Spki;
            match out.as_deref() {
                Some("-") => write_stdout(&bytes, to),
                Some(path) => write_file(path, &bytes, private, style)?,
                None if private => {
                    return Err(ToolError::new(msg!(
                        "refusing to print a private key without --out",
                        "没有 --out 时不打印私钥"
                    ))
                    .help(msg!(
                        "pass --out FILE to write it, or --out - to print it",
                        "用 --out 文件 写入文件，或用 --out - 打印出来"
                    )));
                }
                None => write_stdout(&bytes, to),
            }
            Ok(0)
        }
        KeysCommand::Gen {
            bits,
            language,
            config,
            out,
            stdout,
            ..
        } => {
            let lang = match (language, config) {
                (Some(l), _) => Some((*l).into()),
                (None, Some(c)) => crate::input::load_config(&c.to_string_lossy(), max)?
                    .keys
                    .language
                    .map(|l| *l.get_ref()),
                (None, None) => None,
            };
            #[cfg(feature = "native")]
            return generate_pair(*bits, lang, out.as_deref(), *stdout, style);
            #[cfg(not(feature = "native"))]
            {
                let _ = (bits, lang, out, stdout);
                Err(super::native_only())
            }
        }
    }
}

fn write_stdout(bytes: &[u8], to: KeyForm) {
    if to == KeyForm::Der {
        term::out_bytes(bytes);
    } else {
        term::out_raw(&String::from_utf8_lossy(bytes));
    }
}

fn write_file(path: &str, bytes: &[u8], private: bool, style: &Style) -> Result<(), ToolError> {
    crate::host::write(Path::new(path), bytes, private)
        .map_err(|e| crate::input::cannot_write(path, &e))?;
    term::err(&format!(
        "{}\n",
        msg!("wrote {path}", "已写入 {path}").get(style.lang)
    ));
    Ok(())
}

#[cfg(feature = "native")]
fn generate_pair(
    bits: usize,
    lang: Option<ServerLanguage>,
    out: Option<&Path>,
    stdout: bool,
    style: &Style,
) -> Result<u8, ToolError> {
    if !(1024..=4096).contains(&bits) {
        return Err(ToolError::new(msg!(
            "--bits {bits}: choose 1024 (the size the docs use) to 4096",
            "--bits {bits}：请选 1024（文档使用的长度）到 4096"
        )));
    }
    let failed =
        |e: String| ToolError::new(msg!("cannot generate a key: {e}", "无法生成密钥：{e}"));
    let private = keys::generate(&mut getrandom::SysRng, bits).map_err(failed)?;
    let der = {
        use rsa::pkcs8::EncodePrivateKey as _;
        private
            .to_pkcs8_der()
            .map_err(|e| failed(e.to_string()))?
            .as_bytes()
            .to_vec()
    };
    let key = keys::read(&der).map_err(|e| failed(e.stopped.en))?;
    let (pt, ut) = lang.map_or((KeyForm::Pkcs8, KeyForm::Spki), |l| {
        (keys::target_for(l, true), keys::target_for(l, false))
    });
    let priv_bytes = keys::convert(&key, pt).map_err(ToolError::new)?;
    let public = key.public_only().ok_or_else(|| {
        ToolError::new(msg!(
            "the generated key has no public half",
            "生成的密钥没有公钥部分"
        ))
    })?;
    let pub_bytes = keys::convert(&public, ut).map_err(ToolError::new)?;
    if stdout {
        term::out_raw(&String::from_utf8_lossy(&priv_bytes));
        term::out_raw(&String::from_utf8_lossy(&pub_bytes));
        return Ok(0);
    }
    let dir = out.unwrap_or(Path::new("."));
    crate::host::create_dir_all(dir)
        .map_err(|e| crate::input::cannot_write(&dir.display().to_string(), &e))?;
    let ext = if matches!(pt, KeyForm::Java | KeyForm::Bare) {
        "txt"
    } else {
        "pem"
    };
    let pp = dir.join(format!("rsa_private_key.{ext}"));
    let up = dir.join(format!("rsa_public_key.{ext}"));
    write_file(&pp.to_string_lossy(), &priv_bytes, true, style)?;
    write_file(&up.to_string_lossy(), &pub_bytes, false, style)?;
    let upd = up.display();
    let done = match lang {
        Some(l) => {
            let l = l.as_str();
            msg!(
                "generated a {bits}-bit test key pair for {l}; upload {upd} as the 开发者公钥 (developer public key) of a test service only",
                "已为 {l} 生成 {bits} 位测试密钥对；{upd} 只可作为测试服务的开发者公钥上传"
            )
        }
        None => msg!(
            "generated a {bits}-bit test key pair; upload {upd} as the 开发者公钥 (developer public key) of a test service only",
            "已生成 {bits} 位测试密钥对；{upd} 只可作为测试服务的开发者公钥上传"
        ),
    };
    term::err(&format!("{}\n", Msg::get(&done, style.lang)));
    Ok(0)
}
