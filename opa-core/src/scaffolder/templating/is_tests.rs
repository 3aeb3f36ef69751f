//! The tests of `x is name(args)`, as nunjucks defines them.

use super::ast::CmpOp;
use super::render::{R, Renderer, compare};
use super::value::Value;

/// Runs a test; the caller counts only `true` as passing.
pub(crate) fn run(
    r: &Renderer<'_>,
    name: &str,
    value: &Value,
    args: &[Value],
    pos: usize,
) -> R<Value> {
    let other = args.first().cloned().unwrap_or(Value::Undefined);
    let num = |v: &Value| v.to_number();
    let cmp = |op| Value::Bool(compare(op, value, &other));
    Ok(match name {
        "callable" => Value::Bool(matches!(value, Value::Func(_))),
        "defined" => Value::Bool(!value.is_undefined()),
        "undefined" => Value::Bool(value.is_undefined()),
        "null" => Value::Bool(matches!(value, Value::Null)),
        "divisibleby" => Value::Bool(num(value) % num(&other) == 0.0),
        "escaped" => Value::Bool(false),
        "equalto" | "eq" | "sameas" => Value::Bool(value.strict_eq(&other)),
        "ne" => Value::Bool(!value.strict_eq(&other)),
        "even" => Value::Bool(num(value) % 2.0 == 0.0),
        "odd" => Value::Bool(num(value) % 2.0 == 1.0),
        "falsy" => Value::Bool(!value.truthy()),
        "truthy" => Value::Bool(value.truthy()),
        "ge" => cmp(CmpOp::Ge),
        "gt" | "greaterthan" => cmp(CmpOp::Gt),
        "le" => cmp(CmpOp::Le),
        "lt" | "lessthan" => cmp(CmpOp::Lt),
        "number" => Value::Bool(matches!(value, Value::Num(_))),
        "string" => Value::Bool(matches!(value, Value::Str(_))),
        "lower" | "upper" => match value {
            Value::Str(s) => Value::Bool(if name == "lower" {
                s.to_lowercase() == **s
            } else {
                s.to_uppercase() == **s
            }),
            _ => {
                return Err(r.error(
                    pos,
                    format!(
                        "value.to{}Case is not a function",
                        if name == "lower" { "Lower" } else { "Upper" }
                    ),
                ));
            }
        },
        "iterable" => match value {
            Value::Undefined | Value::Null => {
                return Err(r.error(
                    pos,
                    "Cannot read properties of undefined (reading 'Symbol(Symbol.iterator)')",
                ));
            }
            Value::Str(_) | Value::Array(_) => Value::Bool(true),
            _ => Value::Bool(false),
        },
        "mapping" => Value::Bool(matches!(value, Value::Object(_))),
        _ => return Err(r.error(pos, format!("test not found: {name}"))),
    })
}
