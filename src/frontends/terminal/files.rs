//! Saving an export in the working directory: a new file every time, never over another file
//! and never through a link that happens to stand at its name.

use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::path::PathBuf;

use crate::mentor::Attachment;

/// How many names are tried (`log.md`, `log-2.md` …) before giving up.
const NAMES_TRIED: u32 = 1_000;

/// Writes an export into the working directory and says where.
pub fn save(attachment: &Attachment) -> String {
    match write_new(&attachment.filename, &attachment.data) {
        Ok(path) => format!(
            "Saved {} ({} bytes).\n",
            path.display(),
            attachment.data.len()
        ),
        Err(error) => format!(
            "I could not save {}: {error}. Nothing else was changed.\n",
            attachment.filename
        ),
    }
}

/// Creates the first free name with create-new semantics (`O_EXCL`): two exports at once get
/// two files, and an existing file or symbolic link at a name is skipped, never written through.
fn write_new(filename: &str, data: &[u8]) -> std::io::Result<PathBuf> {
    let (stem, extension) = filename.rsplit_once('.').unwrap_or((filename, ""));
    for n in 1..=NAMES_TRIED {
        let path = match n {
            1 => PathBuf::from(filename),
            n => PathBuf::from(format!("{stem}-{n}.{extension}")),
        };
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(data)?;
                file.sync_all()?;
                return Ok(path);
            }
            Err(error) if error.kind() == ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(std::io::Error::new(
        ErrorKind::AlreadyExists,
        "every name for it is taken",
    ))
}
