//! Validation stage: checks that need every policy at once (per-file checks happen on load).

use std::collections::{BTreeMap, HashMap};

use crate::content::{Associated, Policy, is_valid_id};
use crate::error::{DependsOn, Diagnostic};

/// Cross-policy checks: unique ids and resolvable associated policies.
/// `external` lists titles of policies kept elsewhere, which are not warned about.
pub fn validate_policies(policies: &[Policy], external: &[String]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Each id's first policy; the few that clash, all of them, in id order for the messages.
    let mut by_id: HashMap<&str, &Policy> = HashMap::with_capacity(policies.len());
    let mut clashes: BTreeMap<&str, Vec<&Policy>> = BTreeMap::new();
    for policy in policies {
        if let Some(first) = by_id.insert(policy.id.as_str(), policy) {
            by_id.insert(policy.id.as_str(), first);
            clashes
                .entry(policy.id.as_str())
                .or_insert_with(|| vec![first])
                .push(policy);
        }
    }
    for same in clashes.values() {
        diags.extend(duplicate_id_errors(same));
    }
    for policy in policies {
        for assoc in &policy.associated {
            if let Some(diag) = check_associated(policy, assoc, &by_id, external) {
                diags.push(at_line(policy, assoc.line, assoc.column, diag));
            }
        }
    }
    diags
}

/// Blames the files that set the clashing id explicitly (`id:`), else all but the first.
fn duplicate_id_errors(same: &[&Policy]) -> Vec<Diagnostic> {
    let explicit: Vec<&Policy> = same
        .iter()
        .copied()
        .filter(|p| p.id_line.is_some())
        .collect();
    let blamed = if explicit.is_empty() || explicit.len() == same.len() {
        &same[1..]
    } else {
        &explicit[..]
    };
    blamed
        .iter()
        .map(|policy| {
            let others: Vec<String> = same
                .iter()
                .filter(|o| o.path != policy.path)
                .map(|o| o.path.display().to_string())
                .collect();
            let diag = Diagnostic::error(
                &policy.path,
                format!(
                    "duplicate id `{}`: {} already uses it",
                    policy.id,
                    others.join(", ")
                ),
            )
            .help(
                "every policy needs its own id: set a different `id:` or rename one of the files",
            );
            at_line(policy, policy.id_line.unwrap_or(1), 1, diag)
        })
        .collect()
}

fn check_associated(
    policy: &Policy,
    assoc: &Associated,
    by_id: &HashMap<&str, &Policy>,
    external: &[String],
) -> Option<Diagnostic> {
    let text = assoc.text.as_str();
    if text == policy.id {
        return Some(
            Diagnostic::warning(
                &policy.path,
                format!("`{text}` lists the policy as associated with itself"),
            )
            .help("remove this entry"),
        );
    }
    if by_id.contains_key(text) || external.iter().any(|e| e.trim() == text) {
        return None;
    }
    if is_valid_id(text) {
        let mut diag = Diagnostic::error(
            &policy.path,
            format!("associated policy `{text}` does not exist"),
        )
        .depends_on(DependsOn::Policy(text.to_owned()));
        diag = match closest(text, by_id.keys().copied()) {
            Some(near) => diag.help(format!("did you mean `{near}`?")),
            None => diag.help(
                "use the id of a policy in content/, or the full title of a policy kept elsewhere",
            ),
        };
        return Some(diag);
    }
    Some(
        Diagnostic::warning(
            &policy.path,
            format!("associated policy \"{text}\" is not in content/; it is shown as plain text"),
        )
        .help("to link it, use the id of a policy in content/; if it is kept elsewhere, add its title to `external_policies` in policybook.toml"),
    )
}

/// Points `diag` at a line of the policy's front matter (where ids and associations are written).
pub fn at_line(policy: &Policy, line: usize, column: usize, diag: Diagnostic) -> Diagnostic {
    diag.at(&policy.front_matter, line, column)
}

/// The candidate within a small edit distance of `word`, for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.len() / 3).max(1);
    candidates
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_ids() {
        let ids = ["e-safety", "data-protection", "social-media"];
        assert_eq!(closest("esafety", ids.into_iter()), Some("e-safety"));
        assert_eq!(
            closest("data-protecton", ids.into_iter()),
            Some("data-protection")
        );
        assert_eq!(closest("finance", ids.into_iter()), None);
    }
}
