//! The `math` transform: `Multiply`, `ClampMin`, `ClampMax`.

use serde_json::Value;

use super::{MathTransform, field_invalid, field_required};
use crate::crossplane::error::{PatchError, PatchResult};
use crate::crossplane::gofmt;

/// Validates a math transform as Crossplane's `MathTransform.Validate` does.
fn validate(t: &MathTransform) -> PatchResult<&str> {
    let kind = t.kind.as_deref().unwrap_or("Multiply");
    match kind {
        "Multiply" if t.multiply.is_none() => Err(field_required(
            "multiply",
            "must specify a value if a multiply math transform is specified",
        )),
        "ClampMin" if t.clamp_min.is_none() => Err(field_required(
            "clampMin",
            "must specify a value if a clamp min math transform is specified",
        )),
        "ClampMax" if t.clamp_max.is_none() => Err(field_required(
            "clampMax",
            "must specify a value if a clamp max math transform is specified",
        )),
        "Multiply" | "ClampMin" | "ClampMax" => Ok(kind),
        other => Err(field_invalid("type", other, "unknown math transform type")),
    }
}

/// Resolves a `math` transform. The input must be a number; `Multiply` keeps integers integers,
/// and a clamp returns either the input unchanged or the bound (an integer).
pub fn resolve_math(t: &MathTransform, input: Value) -> PatchResult<Value> {
    let kind = validate(t)?;
    let Value::Number(n) = &input else {
        return Err(PatchError::new(format!(
            "input is required to be a number for math transformer, got {}",
            gofmt::type_name(&input)
        )));
    };
    match kind {
        "Multiply" => {
            let m = t.multiply.unwrap_or_default();
            if let Some(i) = n.as_i64() {
                Ok(Value::from(i.wrapping_mul(m)))
            } else {
                let f = n.as_f64().unwrap_or_default() * m as f64;
                Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number))
            }
        }
        _ => {
            // Go converts the input to int64 (truncating a float) to compare it.
            let value = n
                .as_i64()
                .unwrap_or_else(|| n.as_f64().unwrap_or_default() as i64);
            match (kind, t.clamp_min, t.clamp_max) {
                ("ClampMin", Some(min), _) if value < min => Ok(Value::from(min)),
                ("ClampMax", _, Some(max)) if value > max => Ok(Value::from(max)),
                _ => Ok(input),
            }
        }
    }
}
