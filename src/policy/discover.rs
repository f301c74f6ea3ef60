//! Finding the policy: `--policy PATH`, else `boundaries.toml` at the
//! workspace root, else a `boundaries` table in the root `Cargo.toml`'s
//! metadata. Two of them at once is an error, never a silent choice.

use std::path::{Path, PathBuf};

use toml::de::DeTable;

use super::file::{ensure_inside, read_regular, ReadError};
use super::value::{Table, Value, ValueKind};
use super::PolicySource;

/// The policy's file name at the workspace root.
pub const POLICY_FILE: &str = "boundaries.toml";

/// Where the policy was found, which says which table of the file is the
/// policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyPlace {
    /// A file of its own: `boundaries.toml` or `--policy`.
    File,
    /// `[workspace.metadata.boundaries]` in the root `Cargo.toml`.
    WorkspaceMetadata,
    /// `[package.metadata.boundaries]` in the root `Cargo.toml` (a
    /// workspace whose root is a package).
    PackageMetadata,
}

impl PolicyPlace {
    /// The table's dotted name, for messages.
    pub fn table(self) -> &'static str {
        match self {
            PolicyPlace::File => "the whole file",
            PolicyPlace::WorkspaceMetadata => "[workspace.metadata.boundaries]",
            PolicyPlace::PackageMetadata => "[package.metadata.boundaries]",
        }
    }

    /// The manifest section whose `metadata.boundaries` holds the policy.
    fn section(self) -> Option<&'static str> {
        match self {
            PolicyPlace::File => None,
            PolicyPlace::WorkspaceMetadata => Some("workspace"),
            PolicyPlace::PackageMetadata => Some("package"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("no policy found: there is no boundaries.toml at {} and no [workspace.metadata.boundaries] in its Cargo.toml", .root.display())]
    NotFound { root: PathBuf },
    /// Each policy as shown to users: a file, or a table in a file.
    #[error("two policies found: {first} and {second}; keep one of them")]
    TwoPolicies { first: String, second: String },
    #[error("cannot use the policy file: {0}")]
    Read(ReadError),
}

impl FindError {
    /// The stable code of the problem.
    pub fn code(&self) -> &'static str {
        match self {
            FindError::NotFound { .. } => "no-policy",
            FindError::TwoPolicies { .. } => "two-policies",
            FindError::Read(ReadError::NotFound { .. }) => "policy-not-found",
            FindError::Read(ReadError::NotAFile { .. }) => "policy-not-a-file",
            FindError::Read(ReadError::Outside { .. }) => "policy-outside-workspace",
            FindError::Read(ReadError::TooLarge { .. }) => "policy-too-large",
            FindError::Read(ReadError::Io { .. }) => "policy-unreadable",
        }
    }

    pub const CODES: [&'static str; 7] = [
        "no-policy",
        "two-policies",
        "policy-not-found",
        "policy-not-a-file",
        "policy-outside-workspace",
        "policy-too-large",
        "policy-unreadable",
    ];
}

/// The policy's text and where it is. `root` is the canonical workspace
/// root; `explicit` is `--policy`, which the user chose and which may lie
/// anywhere, but must be a regular file.
pub fn find(
    root: &Path,
    explicit: Option<&Path>,
) -> Result<(PolicySource, PolicyPlace), FindError> {
    let display =
        |path: &Path| crate::location::display_path(path.strip_prefix(root).unwrap_or(path));
    let source = |path: &Path, text: String| PolicySource {
        path: path.to_path_buf(),
        display: display(path),
        text,
    };
    if let Some(path) = explicit {
        let text = read_regular(path).map_err(FindError::Read)?;
        return Ok((source(path, text), PolicyPlace::File));
    }
    let file = root.join(POLICY_FILE);
    let file_exists = std::fs::symlink_metadata(&file).is_ok();
    let manifest = root.join("Cargo.toml");
    // cargo has read the root manifest; a policy table in it counts only
    // when it is a file inside the root like any other.
    let manifest_text = read_regular(&manifest)
        .and_then(|text| ensure_inside(&manifest, root).map(|()| text))
        .ok();
    let places = manifest_text
        .as_deref()
        .map(metadata_places)
        .unwrap_or_default();
    let in_table = |place: PolicyPlace| format!("{} in {}", place.table(), display(&manifest));
    if let [first, second, ..] = places.as_slice() {
        return Err(FindError::TwoPolicies {
            first: in_table(*first),
            second: in_table(*second),
        });
    }
    match (file_exists, places.first().copied()) {
        (true, Some(place)) => Err(FindError::TwoPolicies {
            first: display(&file),
            second: in_table(place),
        }),
        (true, None) => {
            // Committed as a symlink, it must still point inside the root.
            ensure_inside(&file, root).map_err(FindError::Read)?;
            let text = read_regular(&file).map_err(FindError::Read)?;
            Ok((source(&file, text), PolicyPlace::File))
        }
        (false, Some(place)) => Ok((source(&manifest, manifest_text.unwrap_or_default()), place)),
        (false, None) => Err(FindError::NotFound {
            root: root.to_path_buf(),
        }),
    }
}

/// The metadata tables of a manifest that hold a policy.
fn metadata_places(manifest: &str) -> Vec<PolicyPlace> {
    let Ok(document) = DeTable::parse(manifest) else {
        return Vec::new();
    };
    // Looked up where it lies: turning a 4,000-line manifest into owned
    // values only to find it has no policy cost more than the parse.
    let document = document.get_ref();
    [PolicyPlace::WorkspaceMetadata, PolicyPlace::PackageMetadata]
        .into_iter()
        .filter(|&place| {
            let section = (place.section())
                .and_then(|section| document.get(section))
                .and_then(|v| v.get_ref().as_table());
            let metadata = section.and_then(|s| s.get("metadata"));
            (metadata.and_then(|v| v.get_ref().as_table()))
                .is_some_and(|metadata| metadata.get("boundaries").is_some())
        })
        .collect()
}

/// The `boundaries` value under `[workspace.metadata]` or
/// `[package.metadata]`, whatever its type.
pub fn metadata_table(document: &Table, place: PolicyPlace) -> Option<&Value> {
    let ValueKind::Table(section) = &document.get(place.section()?)?.kind else {
        return None;
    };
    let ValueKind::Table(metadata) = &section.get("metadata")?.kind else {
        return None;
    };
    metadata.get("boundaries")
}
