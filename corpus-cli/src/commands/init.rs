//! `corpus init <dir>`: writes a commented contribution.toml for a folder of data files.

use anyhow::Context as _;
use corpus_core::i18n::{Lang, Msg};
use corpus_core::ingest::manifest::{MANIFEST_FILE, Visibility};
use corpus_core::licence::{self, Licensing};

use crate::ExitStatus;
use crate::cli::{GlobalArgs, InitArgs};

pub fn init(args: InitArgs, global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    if !args.dir.is_dir() {
        errln!("{}", Msg::new("dir-not-found").arg("dir", args.dir.display().to_string()).text(lang));
        return Ok(ExitStatus::UsageError);
    }
    let path = args.dir.join(MANIFEST_FILE);
    if path.exists() && !args.force {
        errln!("{}", Msg::new("init-exists").arg("path", path.display().to_string()).text(lang));
        return Ok(ExitStatus::UsageError);
    }
    let licensing = Licensing::load(None, None, licence::today())?;
    let found = corpus_core::init::survey(&args.dir);
    let text = corpus_core::init::template(&args.dir, &found, lang, &licensing.admissible(Visibility::Public));
    // Written beside, then renamed: an interrupted init leaves no half manifest.
    let tmp = args.dir.join(format!(".{MANIFEST_FILE}.tmp"));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    if !global.quiet {
        outln!("{}", Msg::new("init-written").arg("path", path.display().to_string()).text(lang))?;
    }
    Ok(ExitStatus::Success)
}
