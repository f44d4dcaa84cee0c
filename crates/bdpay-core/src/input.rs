//! Input bytes to text: encodings and binary data are checked here, once, so every reader and
//! every command refuses bad bytes with the same clear message.

use std::sync::Arc;

use crate::error::ToolError;
use crate::msg;
use crate::source::{SourceFile, Span};

/// Checks the bytes are UTF-8 text and says what they are when they are not.
pub fn decode(name: String, bytes: Vec<u8>) -> Result<Arc<SourceFile>, ToolError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ToolError::in_file(
            name,
            msg!(
                "the text is UTF-16 (it starts with a UTF-16 byte order mark)",
                "文本是 UTF-16 编码（以 UTF-16 字节序标记开头）"
            ),
        )
        .help(msg!(
            "save it as UTF-8; the platform signs and sends UTF-8 only",
            "请另存为 UTF-8；平台只按 UTF-8 签名和发送"
        )));
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        // A UTF-8 BOM is harmless to read; the JSON reader would flag it, so drop it here and
        // keep offsets honest by replacing it with nothing visible.
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err(ToolError::in_file(
            name,
            msg!(
                "binary data, not text (a NUL byte at offset {nul})",
                "这是二进制数据，不是文本（偏移 {nul} 处有 NUL 字节）"
            ),
        )
        .help(msg!(
            "pass the text of the payload, config or key, not a binary file",
            "请提供报文、配置或密钥的文本，而不是二进制文件"
        )));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(name, text)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let what = if looks_like_gbk(&bytes[at..]) {
                msg!(
                    "the text looks GBK-encoded (Chinese in a legacy encoding)",
                    "文本看起来是 GBK 编码（旧式中文编码）"
                )
            } else {
                msg!("the text is not valid UTF-8", "文本不是有效的 UTF-8")
            };
            let src = SourceFile::new(name, lossy);
            let pos = String::from_utf8_lossy(&bytes[..at]).len();
            let byte = bytes[at];
            Err(ToolError::at(
                &src,
                Span::new(pos, pos + 3),
                msg!("byte 0x{byte:02X}", "字节 0x{byte:02X}"),
                what,
            )
            .help(msg!(
                "convert it to UTF-8 (e.g. `iconv -f GBK -t UTF-8`); the platform requires UTF-8 and signs the UTF-8 bytes",
                "请转换为 UTF-8（例如 `iconv -f GBK -t UTF-8`）；平台要求 UTF-8，并对 UTF-8 字节签名"
            )))
        }
    }
}

/// GBK double-byte characters: a lead byte 0x81..=0xFE followed by a trail byte 0x40..=0xFE
/// (not 0x7F); several in a row make GBK far more likely than random bytes.
fn looks_like_gbk(b: &[u8]) -> bool {
    let mut pairs = 0;
    let mut i = 0;
    while i + 1 < b.len() && pairs < 4 {
        let (l, t) = (b[i], b[i + 1]);
        if (0x81..=0xFE).contains(&l) && (0x40..=0xFE).contains(&t) && t != 0x7F {
            pairs += 1;
            i += 2;
        } else if l < 0x80 {
            i += 1;
        } else {
            return false;
        }
    }
    pairs >= 1
}

#[must_use]
pub fn human_size(n: u64) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_gbk_and_binary() {
        // "退款" in GBK.
        let e = decode("r.form".into(), b"refundReason=\xcd\xcb\xbf\xee".to_vec()).unwrap_err();
        assert!(e.message.en.contains("GBK"), "{e}");
        assert!(e.to_string().starts_with("r.form:1:14"), "{e}");
        let e = decode("b".into(), vec![1, 2, 0, 3]).unwrap_err();
        assert!(e.message.en.contains("binary"));
        let e = decode("u".into(), vec![0xFF, 0xFE, b'{', 0]).unwrap_err();
        assert!(e.message.en.contains("UTF-16"));
        assert_eq!(
            decode("ok".into(), b"\xEF\xBB\xBF{}".to_vec())
                .unwrap()
                .text,
            "{}"
        );
    }
}
