//! Checks of the platform kinds' metadata fields, shared by environments and providers.

use crate::diagnostic::codes;
use crate::entity::validate::Problems;
use crate::yaml::{Node, Value};

/// How a metadata field must look.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FieldRule {
    /// Any string.
    Text,
    /// One of these strings, or empty (not yet chosen).
    OneOf(&'static [&'static str]),
    /// A 12-digit account id, or empty (not yet provisioned).
    AccountId,
    /// An AWS region, or empty.
    Region,
    /// An IAM role ARN, or empty.
    RoleArn,
    /// A whole number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// Checks the listed fields of `metadata` that are present.
pub(crate) fn check_fields(root: &Node, rules: &[(&str, FieldRule)], out: &mut Problems) {
    let Some(metadata) = root.get("metadata").and_then(Node::as_map) else {
        return;
    };
    for (name, rule) in rules {
        let Some((key, value)) = metadata.entry(name) else {
            continue;
        };
        let _ = key;
        if let Some(expectation) = violation(value, *rule) {
            let path = format!("metadata.{name}");
            let found = match &value.value {
                Value::String(s) => format!("\"{s}\""),
                _ => value.to_json().to_string(),
            };
            out.push(
                codes::INVALID_VALUE,
                path.clone(),
                format!("\"{path}\" must be {expectation}, found {found}"),
                value.pos,
            );
        }
    }
}

fn violation(value: &Node, rule: FieldRule) -> Option<String> {
    use super::aws_ids::{is_account_id, is_region, is_role_arn};
    let text = value.as_str();
    let ok = match rule {
        FieldRule::Text => text.is_some(),
        FieldRule::OneOf(allowed) => text.is_some_and(|s| s.is_empty() || allowed.contains(&s)),
        FieldRule::AccountId => match &value.value {
            Value::String(s) => s.is_empty() || is_account_id(s),
            Value::Int(i) => is_account_id(&i.to_string()),
            _ => false,
        },
        FieldRule::Region => text.is_some_and(|s| s.is_empty() || is_region(s)),
        FieldRule::RoleArn => text.is_some_and(|s| s.is_empty() || is_role_arn(s)),
        FieldRule::Number => matches!(value.value, Value::Int(_)),
        FieldRule::Boolean => matches!(value.value, Value::Bool(_)),
    };
    if ok {
        return None;
    }
    Some(match rule {
        FieldRule::Text => "a string".into(),
        FieldRule::OneOf(allowed) => format!("one of {} (or empty)", allowed.join(", ")),
        FieldRule::AccountId => {
            "a 12-digit AWS account id such as \"123456789012\" (quoted, so YAML keeps leading zeros), or empty until provisioned".into()
        }
        FieldRule::Region => {
            "an AWS region such as \"us-east-1\", or empty until provisioned".into()
        }
        FieldRule::RoleArn => {
            "an IAM role ARN (arn:aws:iam::<account>:role/<name>), or empty until provisioned"
                .into()
        }
        FieldRule::Number => "a whole number".into(),
        FieldRule::Boolean => "true or false".into(),
    })
}
