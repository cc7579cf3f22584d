//! Editing one long cell in the operator's own editor (`$VISUAL`, else `$EDITOR`, else vi).

use std::io::Write;

/// Writes `text` to a temporary file, runs the editor on it and reads it back. The final
/// newline editors add is not part of the value.
pub fn edit(text: &str) -> Result<String, String> {
    let command = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".into());
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let mut file = tempfile::Builder::new()
        .prefix("intake-cell-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("cannot make a file for the editor: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("cannot make a file for the editor: {e}"))?;
    let status = std::process::Command::new(program)
        .args(words)
        .arg(file.path())
        .status()
        .map_err(|e| format!("cannot run the editor {program:?}: {e}; set $EDITOR"))?;
    if !status.success() {
        return Err(format!(
            "the editor {program:?} failed ({status}); the cell is unchanged"
        ));
    }
    let edited = std::fs::read_to_string(file.path())
        .map_err(|e| format!("cannot read back what the editor wrote: {e}"))?;
    Ok(edited
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(&edited)
        .to_string())
}
