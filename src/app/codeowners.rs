//! Finds and reads the workspace's CODEOWNERS file, and names the owners of
//! each violation.

use std::path::Path;

use crate::check::Violation;
use crate::graph::Graph;
use crate::owners::{Codeowners, ViolationOwners, LOCATIONS, MAX_SIZE};
use crate::source::{contained, read_source, Target};

/// The CODEOWNERS file GitHub would use: the first of its three places
/// that exists. It is read only as a regular file inside the root, bounded;
/// one that cannot be read so, or is larger than GitHub reads, gives no
/// owners.
pub fn read(root: &Path) -> Option<Codeowners> {
    let root = root.canonicalize().ok()?;
    let relative = LOCATIONS
        .into_iter()
        .find(|place| root.join(place).symlink_metadata().is_ok())?;
    let text = contained(&root, &root.join(relative))
        .and_then(|path| read_source(&path))
        .ok()
        .filter(|text| text.len() <= MAX_SIZE)?;
    Some(Codeowners::parse(relative, &text))
}

/// Sets each violation's owners: of the file its (first) reference is in,
/// and of the file of the module it reaches.
pub fn name_owners(codeowners: &Codeowners, graph: &Graph, violations: &mut [Violation]) {
    let model = &graph.model;
    for violation in violations {
        let reference = &model.references[violation.reference()];
        let to = match reference.target {
            Target::Module(module) => codeowners.owners(&model.modules[module].file).to_vec(),
            Target::External(_) => Vec::new(),
        };
        violation.owners = Some(Box::new(ViolationOwners {
            from: codeowners.owners(&reference.location.file).to_vec(),
            to,
        }));
    }
}
