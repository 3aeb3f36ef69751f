//! Label selectors as Kyverno evaluates them: `matchLabels` keys and values may be wildcard
//! patterns (a pattern entry holds when some label matches both), `matchExpressions` are the
//! Kubernetes set-based requirements.

use std::collections::BTreeMap;

use super::filter::LabelSelector;
use super::wildcard;

/// Whether `labels` satisfy `selector`. An unknown operator is an error (as in Kubernetes).
pub fn selector_matches(
    selector: &LabelSelector,
    labels: &BTreeMap<String, String>,
) -> Result<bool, String> {
    for (key, value) in &selector.match_labels {
        let holds = if wildcard::has_wildcard(key) || wildcard::has_wildcard(value) {
            labels
                .iter()
                .any(|(k, v)| wildcard::matches(key, k) && wildcard::matches(value, v))
        } else {
            labels.get(key) == Some(value)
        };
        if !holds {
            return Ok(false);
        }
    }
    for req in &selector.match_expressions {
        let found = labels.get(&req.key);
        let holds = match req.operator.as_str() {
            "In" => found.is_some_and(|v| req.values.contains(v)),
            "NotIn" => found.is_none_or(|v| !req.values.contains(v)),
            "Exists" => found.is_some(),
            "DoesNotExist" => found.is_none(),
            other => {
                return Err(format!(
                    "{other:?} is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)"
                ));
            }
        };
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}
