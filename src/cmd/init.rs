//! `init`: writes a commented starter `bdpay.toml`, in the output language.

use bdpay_core::error::ToolError;
use bdpay_core::msg;
use bdpay_core::render::Style;

use crate::term;

pub fn init(path: &str, force: bool, style: &Style) -> Result<u8, ToolError> {
    let template = bdpay_core::starter_config(style.lang);
    if path == "-" {
        term::out(template);
        return Ok(0);
    }
    let p = std::path::Path::new(path);
    if crate::host::metadata(p).is_ok() && !force {
        return Err(
            ToolError::in_file(path, msg!("already exists", "文件已存在")).help(msg!(
                "pass --force to overwrite it, or `init -` to print the starter config",
                "用 --force 覆盖，或用 `init -` 只打印配置模板"
            )),
        );
    }
    crate::host::write(p, template.as_bytes(), false)
        .map_err(|e| crate::input::cannot_write(path, &e))?;
    term::err(&format!(
        "{}\n",
        msg!(
            "wrote {path}: fill in [merchant], [keys] and [callbacks], then run `bdpay-doctor check`",
            "已写入 {path}：填好 [merchant]、[keys] 和 [callbacks] 后运行 `bdpay-doctor check`"
        )
        .get(style.lang)
    ));
    Ok(0)
}
