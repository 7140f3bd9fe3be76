//! Version history of a policy: what changed between two released texts of it.

pub mod diff;
