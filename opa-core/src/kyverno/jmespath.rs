//! JMESPath as Kyverno speaks it: the standard functions (from the `jmespath` crate) plus the
//! Kyverno functions policies commonly use (`to_upper`, `split`, `regex_replace_all`, `truncate`,
//! `base64_encode`, `items`, `lookup`, arithmetic…), with Kyverno's names and argument types.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use base64::Engine as _;
use jmespath::functions::{ArgumentType as A, CustomFunction, Signature};
use jmespath::{Context, ErrorReason, JmespathError, Rcvar, Runtime, Variable};
use serde_json::Value as Json;

use super::wildcard;

static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let mut rt = Runtime::new();
    rt.register_builtin_functions();
    register_kyverno_functions(&mut rt);
    rt
});

/// Evaluates a JMESPath expression over JSON data. The error is a one-line message.
pub fn search(expression: &str, data: &Json) -> Result<Json, String> {
    let expr = RUNTIME
        .compile(expression)
        .map_err(|e| format!("invalid JMESPath expression {expression:?}: {}", e.reason))?;
    let data = Variable::try_from(data).map_err(|e| e.reason.to_string())?;
    let result = expr
        .search(data)
        .map_err(|e| format!("JMESPath query {expression:?} failed: {}", e.reason))?;
    Ok(to_json(&result))
}

/// Converts a JMESPath result to JSON; whole floats become integers, as Go's JSON encoder writes
/// them (`3`, not `3.0`).
fn to_json(v: &Variable) -> Json {
    match v {
        Variable::Null | Variable::Expref(_) => Json::Null,
        Variable::Bool(b) => Json::Bool(*b),
        Variable::String(s) => Json::String(s.clone()),
        Variable::Number(n) => Json::Number(normalize_number(n)),
        Variable::Array(items) => Json::Array(items.iter().map(|i| to_json(i)).collect()),
        Variable::Object(map) => {
            Json::Object(map.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn normalize_number(n: &serde_json::Number) -> serde_json::Number {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => {
            serde_json::Number::from(f as i64)
        }
        _ => n.clone(),
    }
}

fn fail(ctx: &Context<'_>, function: &str, message: impl std::fmt::Display) -> JmespathError {
    JmespathError::from_ctx(
        ctx,
        ErrorReason::Parse(format!("JMESPath function '{function}': {message}")),
    )
}

fn string(s: impl Into<String>) -> Rcvar {
    Rcvar::new(Variable::String(s.into()))
}

fn number(f: f64) -> Rcvar {
    let n = if f.fract() == 0.0 && f.abs() < 9.0e15 {
        serde_json::Number::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).unwrap_or_else(|| serde_json::Number::from(0))
    };
    Rcvar::new(Variable::Number(n))
}

fn str_arg(args: &[Rcvar], i: usize) -> &str {
    args[i].as_string().map(String::as_str).unwrap_or("")
}

fn num_arg(args: &[Rcvar], i: usize) -> f64 {
    args[i].as_number().unwrap_or(0.0)
}

/// A string or number argument as text, as Kyverno's `ifaceToString` does.
fn text_arg(args: &[Rcvar], i: usize) -> String {
    match &*args[i] {
        Variable::String(s) => s.clone(),
        Variable::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 => format!("{}", f as i64),
            Some(f) => format!("{f}"),
            None => n.to_string(),
        },
        Variable::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

type Body = dyn Fn(&[Rcvar], &mut Context<'_>) -> Result<Rcvar, JmespathError> + Send + Sync;

fn register(rt: &mut Runtime, name: &'static str, inputs: Vec<A>, body: Box<Body>) {
    rt.register_function(
        name,
        Box::new(CustomFunction::new(Signature::new(inputs, None), body)),
    );
}

fn register_kyverno_functions(rt: &mut Runtime) {
    use A::{Any, Array, Number, Object, String as Str, Union};
    let str_or_num = || Union(vec![Str, Number]);

    register(
        rt,
        "compare",
        vec![Str, Str],
        Box::new(|a, _| {
            Ok(number(match str_arg(a, 0).cmp(str_arg(a, 1)) {
                std::cmp::Ordering::Less => -1.0,
                std::cmp::Ordering::Equal => 0.0,
                std::cmp::Ordering::Greater => 1.0,
            }))
        }),
    );
    register(
        rt,
        "equal_fold",
        vec![Str, Str],
        Box::new(|a, _| {
            Ok(Rcvar::new(Variable::Bool(
                str_arg(a, 0).to_lowercase() == str_arg(a, 1).to_lowercase(),
            )))
        }),
    );
    register(
        rt,
        "replace",
        vec![Str, Str, Str, Number],
        Box::new(|a, _| {
            let (s, old, new, n) = (str_arg(a, 0), str_arg(a, 1), str_arg(a, 2), num_arg(a, 3));
            Ok(string(if n < 0.0 {
                s.replace(old, new)
            } else {
                s.replacen(old, new, n as usize)
            }))
        }),
    );
    register(
        rt,
        "replace_all",
        vec![Str, Str, Str],
        Box::new(|a, _| Ok(string(str_arg(a, 0).replace(str_arg(a, 1), str_arg(a, 2))))),
    );
    register(
        rt,
        "to_upper",
        vec![Str],
        Box::new(|a, _| Ok(string(str_arg(a, 0).to_uppercase()))),
    );
    register(
        rt,
        "to_lower",
        vec![Str],
        Box::new(|a, _| Ok(string(str_arg(a, 0).to_lowercase()))),
    );
    register(
        rt,
        "trim",
        vec![Str, Str],
        Box::new(|a, _| {
            let cutset: Vec<char> = str_arg(a, 1).chars().collect();
            Ok(string(str_arg(a, 0).trim_matches(cutset.as_slice())))
        }),
    );
    register(
        rt,
        "trim_prefix",
        vec![Str, Str],
        Box::new(|a, _| {
            let (s, p) = (str_arg(a, 0), str_arg(a, 1));
            Ok(string(s.strip_prefix(p).unwrap_or(s)))
        }),
    );
    register(
        rt,
        "split",
        vec![Str, Str],
        Box::new(|a, _| {
            let (s, sep) = (str_arg(a, 0), str_arg(a, 1));
            let parts: Vec<Rcvar> = if sep.is_empty() {
                s.chars().map(|c| string(c.to_string())).collect()
            } else {
                s.split(sep).map(string).collect()
            };
            Ok(Rcvar::new(Variable::Array(parts)))
        }),
    );
    register(
        rt,
        "truncate",
        vec![Str, Number],
        Box::new(|a, _| {
            let n = num_arg(a, 1).max(0.0) as usize;
            Ok(string(str_arg(a, 0).chars().take(n).collect::<String>()))
        }),
    );
    for (name, literal) in [
        ("regex_replace_all", false),
        ("regex_replace_all_literal", true),
    ] {
        register(
            rt,
            name,
            vec![Str, str_or_num(), str_or_num()],
            Box::new(move |a, ctx| {
                let re = regex::Regex::new(str_arg(a, 0)).map_err(|e| fail(ctx, name, e))?;
                let (src, repl) = (text_arg(a, 1), text_arg(a, 2));
                Ok(string(if literal {
                    re.replace_all(&src, regex::NoExpand(&repl)).into_owned()
                } else {
                    re.replace_all(&src, repl.as_str()).into_owned()
                }))
            }),
        );
    }
    register(
        rt,
        "regex_match",
        vec![Str, str_or_num()],
        Box::new(|a, ctx| {
            let re = regex::Regex::new(str_arg(a, 0)).map_err(|e| fail(ctx, "regex_match", e))?;
            Ok(Rcvar::new(Variable::Bool(re.is_match(&text_arg(a, 1)))))
        }),
    );
    register(
        rt,
        "pattern_match",
        vec![Str, str_or_num()],
        Box::new(|a, _| {
            Ok(Rcvar::new(Variable::Bool(wildcard::matches(
                str_arg(a, 0),
                &text_arg(a, 1),
            ))))
        }),
    );
    register(
        rt,
        "label_match",
        vec![Object, Object],
        Box::new(|a, _| {
            let (want, have) = (a[0].as_object(), a[1].as_object());
            let holds = match (want, have) {
                (Some(want), Some(have)) => want.iter().all(|(k, v)| have.get(k) == Some(v)),
                _ => false,
            };
            Ok(Rcvar::new(Variable::Bool(holds)))
        }),
    );
    for name in ["add", "subtract", "multiply", "divide", "modulo"] {
        register(
            rt,
            name,
            vec![Number, Number],
            Box::new(move |a, ctx| {
                let (x, y) = (num_arg(a, 0), num_arg(a, 1));
                let r = match name {
                    "add" => x + y,
                    "subtract" => x - y,
                    "multiply" => x * y,
                    "divide" if y == 0.0 => return Err(fail(ctx, name, "Zero divisor passed")),
                    "divide" => x / y,
                    _ => {
                        if x.fract() != 0.0 || y.fract() != 0.0 {
                            return Err(fail(
                                ctx,
                                name,
                                "Non-integer argument(s) passed for modulo",
                            ));
                        }
                        if y == 0.0 {
                            return Err(fail(ctx, name, "Zero divisor passed"));
                        }
                        ((x as i64) % (y as i64)) as f64
                    }
                };
                Ok(number(r))
            }),
        );
    }
    register(
        rt,
        "sum",
        vec![Array],
        Box::new(|a, ctx| {
            let items = a[0].as_array().cloned().unwrap_or_default();
            let mut total = 0.0;
            for i in items {
                total += i
                    .as_number()
                    .ok_or_else(|| fail(ctx, "sum", "expects an array of numbers"))?;
            }
            Ok(number(total))
        }),
    );
    register(
        rt,
        "round",
        vec![Number, Number],
        Box::new(|a, _| {
            let scale = 10f64.powi(num_arg(a, 1) as i32);
            Ok(number((num_arg(a, 0) * scale).round() / scale))
        }),
    );
    register(
        rt,
        "base64_encode",
        vec![Str],
        Box::new(|a, _| {
            Ok(string(
                base64::engine::general_purpose::STANDARD.encode(str_arg(a, 0)),
            ))
        }),
    );
    register(
        rt,
        "base64_decode",
        vec![Str],
        Box::new(|a, ctx| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(str_arg(a, 0))
                .map_err(|e| fail(ctx, "base64_decode", e))?;
            Ok(string(String::from_utf8_lossy(&bytes).into_owned()))
        }),
    );
    register(
        rt,
        "parse_json",
        vec![Str],
        Box::new(|a, ctx| {
            let v: Json =
                serde_json::from_str(str_arg(a, 0)).map_err(|e| fail(ctx, "parse_json", e))?;
            Variable::try_from(v).map(Rcvar::new)
        }),
    );
    register(
        rt,
        "parse_yaml",
        vec![Str],
        Box::new(|a, ctx| {
            let node = crate::yaml::parse_single(str_arg(a, 0), &crate::yaml::Limits::default())
                .map_err(|d| fail(ctx, "parse_yaml", d.message))?;
            let v = node.map(|n| n.to_json()).unwrap_or(Json::Null);
            Variable::try_from(v).map(Rcvar::new)
        }),
    );
    register(
        rt,
        "to_boolean",
        vec![Str],
        Box::new(|a, ctx| match str_arg(a, 0).to_lowercase().as_str() {
            "true" => Ok(Rcvar::new(Variable::Bool(true))),
            "false" => Ok(Rcvar::new(Variable::Bool(false))),
            other => Err(fail(
                ctx,
                "to_boolean",
                format!("{other:?} is not a boolean"),
            )),
        }),
    );
    register(
        rt,
        "items",
        vec![Union(vec![Object, Array]), Str, Str],
        Box::new(|a, _| {
            let (kname, vname) = (str_arg(a, 1).to_string(), str_arg(a, 2).to_string());
            let entry = |k: Rcvar, v: Rcvar| {
                let mut m = BTreeMap::new();
                m.insert(kname.clone(), k);
                m.insert(vname.clone(), v);
                Rcvar::new(Variable::Object(m))
            };
            let out: Vec<Rcvar> = match &*a[0] {
                Variable::Object(map) => map
                    .iter()
                    .map(|(k, v)| entry(string(k.clone()), v.clone()))
                    .collect(),
                Variable::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| entry(number(i as f64), v.clone()))
                    .collect(),
                _ => Vec::new(),
            };
            Ok(Rcvar::new(Variable::Array(out)))
        }),
    );
    register(
        rt,
        "object_from_lists",
        vec![Array, Array],
        Box::new(|a, _| {
            let keys = a[0].as_array().cloned().unwrap_or_default();
            let values = a[1].as_array().cloned().unwrap_or_default();
            let mut m = BTreeMap::new();
            for (i, k) in keys.iter().enumerate() {
                if let Some(k) = k.as_string() {
                    let v = values
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| Rcvar::new(Variable::Null));
                    m.insert(k.clone(), v);
                }
            }
            Ok(Rcvar::new(Variable::Object(m)))
        }),
    );
    register(
        rt,
        "lookup",
        vec![Union(vec![Object, Array]), str_or_num()],
        Box::new(|a, ctx| match (&*a[0], &*a[1]) {
            (Variable::Object(m), Variable::String(k)) => Ok(m
                .get(k)
                .cloned()
                .unwrap_or_else(|| Rcvar::new(Variable::Null))),
            (Variable::Array(items), Variable::Number(n)) => {
                let i = n.as_f64().unwrap_or(-1.0);
                if i.fract() != 0.0 {
                    return Err(fail(ctx, "lookup", "the index must be an integer"));
                }
                Ok(usize::try_from(i as i64)
                    .ok()
                    .and_then(|i| items.get(i).cloned())
                    .unwrap_or_else(|| Rcvar::new(Variable::Null)))
            }
            _ => Err(fail(
                ctx,
                "lookup",
                "expects an object and a key, or an array and an index",
            )),
        }),
    );
    register(
        rt,
        "time_now_utc",
        vec![],
        Box::new(|_, _| Ok(string(now_rfc3339()))),
    );
    let _ = Any;
}

/// The current UTC time as RFC 3339 with seconds, as Go's `time.RFC3339` writes it.
fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::search;
    use serde_json::json;

    #[test]
    fn kyverno_functions() {
        let data = json!({"a": "Hello-World", "n": 3, "labels": {"x": "1"}});
        let q = |e: &str| search(e, &data).unwrap();
        assert_eq!(q("to_upper(a)"), json!("HELLO-WORLD"));
        assert_eq!(q("to_lower(a)"), json!("hello-world"));
        assert_eq!(q("split(a, '-')"), json!(["Hello", "World"]));
        assert_eq!(q("truncate(a, `5`)"), json!("Hello"));
        assert_eq!(q("add(n, `2`)"), json!(5));
        assert_eq!(q("divide(n, `2`)"), json!(1.5));
        assert_eq!(
            q("regex_replace_all('([a-z]+)', a, '$1!')"),
            json!("Hello!-World!")
        );
        assert_eq!(q("base64_encode('abc')"), json!("YWJj"));
        assert_eq!(q("base64_decode('YWJj')"), json!("abc"));
        assert_eq!(q("items(labels, 'k', 'v')"), json!([{"k": "x", "v": "1"}]));
        assert_eq!(q("lookup(labels, 'x')"), json!("1"));
        assert_eq!(q("pattern_match('Hello*', a)"), json!(true));
        assert_eq!(q("n"), json!(3));
        assert_eq!(q("join('-', ['a', 'b'])"), json!("a-b"));
        assert!(search("divide(n, `0`)", &data).is_err());
    }
}
