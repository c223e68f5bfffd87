//! Decoding untrusted bytes with third-party decoders that can panic. parquet-rs 59 asserts
//! on some malformed pages (`num_bits <= size_of::<T>() * 8` in its bit unpacker, found by
//! `fuzz/`), so a contributor's broken Parquet file would stop a run with a panic. Decoding
//! calls go through [`catch`], which turns such a panic into an error the reader records as
//! `corrupt_parquet`; [`is_catching`] lets a panic hook stay quiet about a panic that is
//! caught.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;

thread_local! {
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// A decoder panicked on the bytes it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecoderPanicked;

impl std::fmt::Display for DecoderPanicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the decoder failed on malformed data")
    }
}

impl From<DecoderPanicked> for parquet::errors::ParquetError {
    fn from(e: DecoderPanicked) -> Self {
        parquet::errors::ParquetError::General(e.to_string())
    }
}

/// Runs `decode`, turning a panic inside it into `Err`. Whatever `decode` borrowed must be
/// dropped afterwards, not used again: a panicking decoder leaves its state unknown.
pub fn catch<T>(decode: impl FnOnce() -> T) -> Result<T, DecoderPanicked> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = std::panic::catch_unwind(AssertUnwindSafe(decode));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    result.map_err(|_| DecoderPanicked)
}

/// Whether this thread is inside [`catch`] (a panic now will be caught).
pub fn is_catching() -> bool {
    CATCHING.with(|c| c.get() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_an_error_and_the_flag_is_reset() {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        assert_eq!(catch(|| 1 + 1), Ok(2));
        let r: Result<(), _> = catch(|| {
            assert!(is_catching());
            panic!("malformed")
        });
        std::panic::set_hook(previous);
        assert_eq!(r, Err(DecoderPanicked));
        assert!(!is_catching());
    }
}
