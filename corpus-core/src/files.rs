//! Opening the files a run reads: only regular files, checked on the open descriptor, so that a
//! FIFO, a socket or a device named `*.jsonl` (or given as the tokenizer) is refused at once
//! instead of blocking a run forever or spinning on `/dev/zero`.
//!
//! Checking the path first (`metadata().is_file()`) and then opening leaves a window in which
//! the file can be swapped for a FIFO, and opening a FIFO for reading blocks until a writer
//! comes. So the file is opened with `O_NONBLOCK` (which a FIFO's open honours and a regular
//! file's reads ignore) and the check is made with `fstat` on what was opened.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// What a file that is not a regular file is, for messages: `a FIFO`, `a directory`, ….
pub fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// The error [`open_regular`] gives for anything but a regular file (`InvalidInput`, with what
/// it is).
fn not_regular(meta: &std::fs::Metadata) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("not a regular file: it is {}", kind_of(meta)))
}

/// Opens `path` for reading if it is a regular file (after following symlinks); anything else
/// is an `InvalidInput` error that says what it is. Never blocks.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Without O_NONBLOCK, check the path first (a FIFO swapped in afterwards can block).
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(not_regular(&meta));
        }
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    Ok(file)
}

/// Reads a whole regular file of at most `max` bytes (a longer one is an `InvalidData` error).
pub fn read_regular(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("larger than {max} bytes")));
    }
    Ok(bytes)
}

/// An I/O error in words that name no path: the OS message without its `(os error N)` tail.
pub fn describe_error(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Reads a whole regular UTF-8 text file of at most `max` bytes (`InvalidData` if not UTF-8).
pub fn read_text(path: &Path, max: u64) -> io::Result<String> {
    String::from_utf8(read_regular(path, max)?)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// XXH3-128 and length of everything `reader` yields, read in 1 MiB blocks; `progress` is
/// called with each block's length. How inputs are fingerprinted and work files sealed.
pub fn xxh3_128(reader: &mut impl Read, progress: &dyn Fn(u64)) -> io::Result<(u128, u64)> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return Ok((hasher.digest128(), bytes)),
            Ok(n) => {
                hasher.update(&buf[..n]);
                bytes += n as u64;
                progress(n as u64);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Whether `path` (symlinks followed) is a regular file.
pub fn is_regular(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_open_and_the_rest_are_refused_without_blocking() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let file = dir.path().join("a.jsonl");
        std::fs::write(&file, "{}\n")?;
        assert_eq!(read_regular(&file, 100)?, b"{}\n");
        assert_eq!(read_regular(&file, 2).map_err(|e| e.kind()), Err(io::ErrorKind::InvalidData));
        let err = open_regular(dir.path()).map(|_| ()).map_err(|e| e.to_string());
        assert!(err.as_ref().is_err_and(|e| e.contains("directory")), "{err:?}");
        #[cfg(unix)]
        {
            let err = open_regular(Path::new("/dev/zero")).map(|_| ()).map_err(|e| e.to_string());
            assert!(err.as_ref().is_err_and(|e| e.contains("character device")), "{err:?}");
            let link = dir.path().join("link.jsonl");
            std::os::unix::fs::symlink(&file, &link)?;
            assert!(open_regular(&link).is_ok(), "a symlink to a regular file is read");
        }
        Ok(())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_is_refused_at_once() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let fifo = dir.path().join("pipe.jsonl");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status()?;
        assert!(status.success());
        let err = open_regular(&fifo).map(|_| ()).map_err(|e| e.to_string());
        assert!(err.as_ref().is_err_and(|e| e.contains("FIFO")), "{err:?}");
        assert!(!is_regular(&fifo));
        Ok(())
    }
}
