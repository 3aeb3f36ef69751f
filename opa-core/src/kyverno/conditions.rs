//! Preconditions: `any`/`all` lists of `{key, operator, value}` conditions, evaluated after
//! variable substitution (a variable naming a missing field is `null` here).
//!
//! Strings compare as wildcard patterns (the condition's value is the pattern), numbers
//! numerically, and quantities such as `1Gi` or `500m` by their amount.

use serde_json::Value as Json;

use super::variables::{Missing, VariableContext};
use super::wildcard;

/// Whether the preconditions hold; `Err` when one cannot be evaluated.
pub fn preconditions_hold(
    preconditions: &Json,
    ctx: &VariableContext,
    path: &str,
) -> Result<bool, String> {
    let conditions = ctx.substitute(preconditions, path, Missing::Null)?;
    match &conditions {
        Json::Array(all) => all_hold(all),
        Json::Object(map) => {
            let any = match map.get("any") {
                Some(Json::Array(items)) if !items.is_empty() => {
                    let mut one = false;
                    for c in items {
                        if condition_holds(c)? {
                            one = true;
                            break;
                        }
                    }
                    one
                }
                _ => true,
            };
            let all = match map.get("all") {
                Some(Json::Array(items)) => all_hold(items)?,
                _ => true,
            };
            Ok(any && all)
        }
        Json::Null => Ok(true),
        other => Err(format!(
            "preconditions must be any/all lists, found {other}"
        )),
    }
}

fn all_hold(items: &[Json]) -> Result<bool, String> {
    for c in items {
        if !condition_holds(c)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether one `{key, operator, value}` condition holds.
pub fn condition_holds(condition: &Json) -> Result<bool, String> {
    let key = condition.get("key").unwrap_or(&Json::Null);
    let value = condition.get("value").unwrap_or(&Json::Null);
    let operator = condition
        .get("operator")
        .and_then(Json::as_str)
        .ok_or("a condition needs an operator")?;
    Ok(match operator {
        "Equals" | "Equal" => equals(key, value),
        "NotEquals" | "NotEqual" => !equals(key, value),
        "In" | "AnyIn" => any_in(key, value),
        "AllIn" => all_in(key, value),
        "NotIn" | "AllNotIn" => items(key).iter().all(|k| !contains(value, k)),
        "AnyNotIn" => items(key).iter().any(|k| !contains(value, k)),
        "GreaterThan" => compare(key, value).is_some_and(|o| o.is_gt()),
        "GreaterThanOrEquals" => compare(key, value).is_some_and(|o| o.is_ge()),
        "LessThan" => compare(key, value).is_some_and(|o| o.is_lt()),
        "LessThanOrEquals" => compare(key, value).is_some_and(|o| o.is_le()),
        "DurationGreaterThan" => durations(key, value).is_some_and(|(a, b)| a > b),
        "DurationGreaterThanOrEquals" => durations(key, value).is_some_and(|(a, b)| a >= b),
        "DurationLessThan" => durations(key, value).is_some_and(|(a, b)| a < b),
        "DurationLessThanOrEquals" => durations(key, value).is_some_and(|(a, b)| a <= b),
        other => return Err(format!("unknown condition operator {other:?}")),
    })
}

fn equals(key: &Json, value: &Json) -> bool {
    match (key, value) {
        (Json::String(k), Json::String(v)) => {
            if let (Some(a), Some(b)) = (quantity(k), quantity(v)) {
                return a == b;
            }
            wildcard::matches(v, k)
        }
        (Json::Number(_), Json::String(v)) | (Json::String(v), Json::Number(_)) => {
            let n = if key.is_number() { key } else { value };
            quantity(v).zip(n.as_f64()).is_some_and(|(a, b)| a == b)
        }
        (Json::Number(a), Json::Number(b)) => a.as_f64() == b.as_f64(),
        _ => key == value,
    }
}

/// The elements of a key or value: an array's items, a string that holds a JSON array, or the
/// value itself.
fn items(v: &Json) -> Vec<Json> {
    match v {
        Json::Array(items) => items.clone(),
        Json::String(s) if s.trim_start().starts_with('[') => {
            serde_json::from_str::<Vec<Json>>(s).unwrap_or_else(|_| vec![v.clone()])
        }
        other => vec![other.clone()],
    }
}

fn contains(set: &Json, element: &Json) -> bool {
    items(set)
        .iter()
        .any(|candidate| match (element, candidate) {
            (Json::String(e), Json::String(c)) => {
                wildcard::matches(c, e) || wildcard::matches(e, c)
            }
            _ => equals(element, candidate),
        })
}

fn any_in(key: &Json, value: &Json) -> bool {
    items(key).iter().any(|k| contains(value, k))
}

fn all_in(key: &Json, value: &Json) -> bool {
    let keys = items(key);
    !keys.is_empty() && keys.iter().all(|k| contains(value, k))
}

fn number_of(v: &Json) -> Option<f64> {
    match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => quantity(s),
        _ => None,
    }
}

fn compare(key: &Json, value: &Json) -> Option<std::cmp::Ordering> {
    number_of(key)?.partial_cmp(&number_of(value)?)
}

fn durations(key: &Json, value: &Json) -> Option<(f64, f64)> {
    let d = |v: &Json| match v {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => duration_seconds(s),
        _ => None,
    };
    Some((d(key)?, d(value)?))
}

/// A Kubernetes quantity (`4`, `500m`, `1.5Gi`, `2k`) as a number.
pub fn quantity(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(s.len());
    let (number, suffix) = s.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match suffix {
        "" => 1.0,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        _ => return None,
    };
    Some(n * factor)
}

/// A Go duration (`1h30m`, `90s`, `1.5h`) in seconds.
fn duration_seconds(s: &str) -> Option<f64> {
    let mut total = 0.0;
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let n_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
        let n: f64 = rest[..n_end].parse().ok()?;
        rest = &rest[n_end..];
        let u_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..u_end] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        total += n * unit;
        rest = &rest[u_end..];
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(key: Json, op: &str, value: Json) -> bool {
        condition_holds(&json!({"key": key, "operator": op, "value": value})).unwrap()
    }

    #[test]
    fn operators() {
        assert!(holds(json!("team-a"), "Equals", json!("team-*")));
        assert!(!holds(json!("team-a"), "NotEquals", json!("team-a")));
        assert!(holds(
            json!("kube-system"),
            "AnyIn",
            json!(["kube-*", "default"])
        ));
        assert!(holds(json!("prod"), "AnyNotIn", json!(["dev", "staging"])));
        assert!(holds(json!(["a", "b"]), "AllIn", json!(["a", "b", "c"])));
        assert!(!holds(json!(["a", "z"]), "AllIn", json!(["a", "b", "c"])));
        assert!(holds(json!("2Gi"), "GreaterThan", json!("1024Mi")));
        assert!(holds(json!(3), "GreaterThanOrEquals", json!(3)));
        assert!(holds(json!("90m"), "DurationGreaterThan", json!("1h")));
        assert!(holds(
            json!("CREATE"),
            "AnyIn",
            json!("[\"CREATE\", \"UPDATE\"]")
        ));
    }
}
