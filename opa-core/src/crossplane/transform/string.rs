//! The `string` transform: `Format`, `Convert`, `TrimPrefix`, `TrimSuffix`, `Regexp`, `Join`.

use base64::Engine;
use serde_json::Value;
use sha1::Digest;

use super::StringTransform;
use super::map::compile;
use crate::crossplane::error::{PatchError, PatchResult};
use crate::crossplane::{gofmt, gojson};

/// Resolves a `string` transform; the output is always a string.
pub fn resolve_string(t: &StringTransform, input: Value) -> PatchResult<String> {
    let kind = t.kind.as_deref().unwrap_or("Format");
    let not_set =
        |what: &str| PatchError::new(format!("string transform of type {kind} {what} is not set"));
    match kind {
        "Format" => {
            let format = t.fmt.as_ref().ok_or_else(|| not_set("fmt"))?;
            Ok(gofmt::sprintf(format, &[input]))
        }
        "Convert" => {
            let conversion = t.convert.as_ref().ok_or_else(|| not_set("convert"))?;
            convert(conversion, &input)
        }
        "TrimPrefix" | "TrimSuffix" => {
            let trim = t.trim.as_ref().ok_or_else(|| not_set("trim"))?;
            let s = gofmt::sprint(&input);
            let out = if kind == "TrimPrefix" {
                s.strip_prefix(trim.as_str())
            } else {
                s.strip_suffix(trim.as_str())
            };
            Ok(out.map_or(s.clone(), str::to_string))
        }
        "Regexp" => {
            let r = t.regexp.as_ref().ok_or_else(|| not_set("regexp"))?;
            let re = compile(&r.match_).map_err(|e| e.wrap("could not compile regexp"))?;
            let s = gofmt::sprint(&input);
            let group = r.group.unwrap_or(0);
            let no_match = || {
                PatchError::new(format!(
                    "regexp {} had no matches for group {group}",
                    gofmt::quote(&r.match_)
                ))
            };
            let caps = re.captures(&s).ok_or_else(no_match)?;
            let g = usize::try_from(group).map_err(|_| no_match())?;
            if g >= caps.len() {
                return Err(no_match());
            }
            Ok(caps
                .get(g)
                .map_or(String::new(), |m| m.as_str().to_string()))
        }
        "Join" => {
            let join = t.join.as_ref().ok_or_else(|| not_set("join"))?;
            let Value::Array(items) = &input else {
                return Err(PatchError::new("cannot join non-array values"));
            };
            let parts: Vec<String> = items.iter().map(gofmt::sprint).collect();
            Ok(parts.join(&join.separator))
        }
        other => Err(PatchError::new(format!(
            "type {other} is not supported for string transform type"
        ))),
    }
}

/// Go's `strings.ToUpper`/`ToLower`: rune by rune, without multi-rune expansions.
fn map_case(s: &str, upper: bool) -> String {
    s.chars()
        .map(|c| {
            let mut m: Vec<char> = if upper {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            if m.len() == 1 { m.remove(0) } else { c }
        })
        .collect()
}

/// The bytes a hash conversion hashes: a string's own bytes, anything else as Go's JSON.
fn hash_input(input: &Value) -> Vec<u8> {
    match input {
        Value::String(s) => s.as_bytes().to_vec(),
        other => gojson::marshal(other).into_bytes(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % MOD;
        b = (b + a) % MOD;
    }
    (b << 16) | a
}

fn convert(conversion: &str, input: &Value) -> PatchResult<String> {
    let s = gofmt::sprint(input);
    match conversion {
        "ToUpper" => Ok(map_case(&s, true)),
        "ToLower" => Ok(map_case(&s, false)),
        "ToJson" => Ok(gojson::marshal(input)),
        "ToBase64" => Ok(base64::engine::general_purpose::STANDARD.encode(s.as_bytes())),
        "FromBase64" => from_base64(&s).map_err(|e| e.wrap("string is not valid base64")),
        "ToSha1" => Ok(hex(&sha1::Sha1::digest(hash_input(input)))),
        "ToSha256" => Ok(hex(&sha2::Sha256::digest(hash_input(input)))),
        "ToSha512" => Ok(hex(&sha2::Sha512::digest(hash_input(input)))),
        "ToAdler32" => Ok(adler32(&hash_input(input)).to_string()),
        other => Err(PatchError::new(format!(
            "type {other} is not supported for string convert"
        ))),
    }
}

/// Go's `base64.StdEncoding.DecodeString`: padding required, newlines ignored; the error names
/// the byte offset as Go's `CorruptInputError` does.
fn from_base64(s: &str) -> PatchResult<String> {
    let cleaned: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    match base64::engine::general_purpose::STANDARD.decode(cleaned.as_bytes()) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => {
            let offset = match e {
                base64::DecodeError::InvalidByte(o, _)
                | base64::DecodeError::InvalidLastSymbol(o, _) => o,
                base64::DecodeError::InvalidLength(n) => {
                    if n % 4 == 1 {
                        n - 1
                    } else {
                        n
                    }
                }
                base64::DecodeError::InvalidPadding => cleaned.len(),
            };
            Err(PatchError::new(format!(
                "illegal base64 data at input byte {offset}"
            )))
        }
    }
}
