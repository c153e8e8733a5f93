//! What the proofs share: reading files as sources, introspecting a
//! database, comparing two schemas with a readable diff.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

use autogen_schema::Schema;
use autogen_sql::{Parsed, Severity, Source};

/// The workspace root (where `fixtures/` lives).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Files of `directory` with `extension`, in path order.
pub fn files(directory: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// The shared corpus of real-world schemas: `../shared/corpus` next to the
/// workspace, or the folder `AUTOGEN_CORPUS` names (relative to the
/// workspace); `AUTOGEN_CORPUS=none` runs as a clone without it would.
/// `None` when it is not there, after a line saying that `what` is passed
/// over — the tests that need it then pass without reading it.
pub fn corpus(what: &str) -> Option<PathBuf> {
    let corpus = match std::env::var_os("AUTOGEN_CORPUS") {
        Some(value) if value == "none" => {
            eprintln!("AUTOGEN_CORPUS=none: {what} passed over");
            return None;
        }
        Some(value) => {
            let named = workspace().join(value);
            assert!(
                named.is_dir(),
                "AUTOGEN_CORPUS names {}, which is not a folder",
                named.display()
            );
            named
        }
        // `../shared/corpus`, spelt without the `..` in messages.
        None => workspace().parent().unwrap_or(&workspace()).join("shared/corpus"),
    };
    if corpus.is_dir() {
        Some(corpus)
    } else {
        eprintln!(
            "{} is not here (AUTOGEN_CORPUS can name another place): {what} passed over",
            corpus.display()
        );
        None
    }
}

pub fn source(path: &Path) -> Source {
    Source {
        name: path.strip_prefix(workspace()).unwrap_or(path).display().to_string(),
        text: std::fs::read_to_string(path).unwrap(),
    }
}

/// The schema a database holds, as introspection reads it, with extension
/// versions left out (SQL files do not say them).
pub fn introspect(url: &str) -> Schema {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let read = runtime
        .block_on(autogen_introspect::introspect(url, &autogen_introspect::Options::default()))
        .unwrap();
    let mut schema = read.schema;
    for extension in schema.extensions.values_mut() {
        extension.version = None;
    }
    schema
}

/// The errors parsing gave, as one message, if any.
pub fn errors(what: &str, parsed: &Parsed) -> Option<String> {
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    (!errors.is_empty()).then(|| format!("{what}:\n{}", errors.join("\n")))
}

/// A unified diff of the two schemas' JSON, or `None` when equal.
pub fn schema_diff(
    left_name: &str,
    left: &Schema,
    right_name: &str,
    right: &Schema,
) -> Option<String> {
    if left == right {
        return None;
    }
    let left_json = serde_json::to_string_pretty(left).unwrap();
    let right_json = serde_json::to_string_pretty(right).unwrap();
    let diff = similar::TextDiff::from_lines(&left_json, &right_json);
    Some(format!(
        "{left_name} and {right_name} differ:\n{}",
        diff.unified_diff().context_radius(4).header(left_name, right_name)
    ))
}
