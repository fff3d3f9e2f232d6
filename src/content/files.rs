//! Where the dialogue files come from: built into the binary, or a folder on disk
//! (`SPOTCHECK_DIALOGUES`, `spotcheck check DIR`) so a clinician can try an edit without rebuilding.

use std::collections::BTreeMap;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_dialogues.rs"));
}

/// The dialogue files, by path relative to the dialogues folder (`en/bot.ftl`).
#[derive(Clone, Debug, Default)]
pub struct FileSet {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl FileSet {
    /// The dialogues built into the binary.
    pub fn embedded() -> FileSet {
        FileSet {
            files: embedded::FILES
                .iter()
                .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
                .collect(),
        }
    }

    /// Every file under a folder.
    pub fn read_dir(root: &Path) -> std::io::Result<FileSet> {
        let mut set = FileSet::default();
        read_into(root, root, &mut set)?;
        Ok(set)
    }

    /// The text files (`.toml`, `.ftl`) that are not valid UTF-8, with the offset of the first
    /// byte that is not. Such a file is refused rather than read with replacement characters:
    /// a text a person reads could otherwise change without anyone seeing it.
    pub fn not_utf8(&self) -> Vec<(String, usize)> {
        self.files
            .iter()
            .filter(|(path, _)| path.ends_with(".toml") || path.ends_with(".ftl"))
            .filter_map(|(path, bytes)| {
                let error = std::str::from_utf8(bytes).err()?;
                Some((path.clone(), error.valid_up_to()))
            })
            .collect()
    }

    pub fn text(&self, path: &str) -> Option<String> {
        self.files
            .get(path)
            .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
    }

    /// The language folders: every folder holding `.ftl` files.
    pub fn languages(&self) -> Vec<String> {
        let mut languages: Vec<String> = self
            .files
            .keys()
            .filter(|path| path.ends_with(".ftl"))
            .filter_map(|path| path.split_once('/').map(|(language, _)| language.to_string()))
            .collect();
        languages.dedup();
        languages
    }

    /// Files under a folder with an ending, as (path, text).
    pub fn texts_under(&self, folder: &str, ending: &str) -> Vec<(String, String)> {
        self.files
            .iter()
            .filter(|(path, _)| path.starts_with(&format!("{folder}/")) && path.ends_with(ending))
            .map(|(path, bytes)| (path.clone(), String::from_utf8_lossy(bytes).into_owned()))
            .collect()
    }
}

fn read_into(root: &Path, dir: &Path, set: &mut FileSet) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            read_into(root, &path, set)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            let key = relative.to_string_lossy().replace('\\', "/");
            set.files.insert(key, std::fs::read(&path)?);
        }
    }
    Ok(())
}
