//! The report-back edit in Rust: what the pipelines' report-back step does to
//! `catalog-info.yaml` with `yq`, for backends that deploy without a CI system (the local cloud)
//! and to pin down the step's meaning in tests.

use serde_json::{Map, Value};

use super::error::PipelineError;
use crate::yaml::{Limits, parse_single};

/// Writes `outputs` into `metadata.appData.<env>.<provider>` of the app entity in `text` (a
/// single-document `catalog-info.yaml`) and adds `env_ref` to `spec.dependsOn` unless it is
/// there (compared case-insensitively). Returns the new text (re-emitted YAML: comments are not
/// kept), or `None` when nothing changed.
pub fn record_deployment(
    text: &str,
    env: &str,
    provider: &str,
    env_ref: &str,
    outputs: &Map<String, Value>,
) -> Result<Option<String>, PipelineError> {
    let root = parse_single(text, &Limits::default())
        .map_err(|d| PipelineError::Emit(format!("{}:{}: {}", d.line, d.column, d.message)))?
        .ok_or_else(|| PipelineError::Emit("catalog-info.yaml is empty".into()))?;
    let mut entity = root.to_json();
    let before = entity.clone();
    let obj = entity
        .as_object_mut()
        .ok_or_else(|| PipelineError::Emit("catalog-info.yaml is not a mapping".into()))?;
    let metadata = object_at(obj, "metadata")?;
    let app_data = object_at(metadata, "appData")?;
    let per_env = object_at(app_data, env)?;
    per_env.insert(provider.to_string(), Value::Object(outputs.clone()));
    let spec = object_at(obj, "spec")?;
    let depends = spec
        .entry("dependsOn")
        .or_insert_with(|| Value::Array(Vec::new()));
    if depends.is_null() {
        *depends = Value::Array(Vec::new());
    }
    let list = depends
        .as_array_mut()
        .ok_or_else(|| PipelineError::Emit("spec.dependsOn is not a list".into()))?;
    let present = list
        .iter()
        .any(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case(env_ref)));
    if !present {
        list.push(Value::String(env_ref.to_string()));
    }
    if entity == before {
        return Ok(None);
    }
    yaml_serde::to_string(&entity)
        .map(Some)
        .map_err(|e| PipelineError::Emit(e.to_string()))
}

fn object_at<'a>(
    parent: &'a mut Map<String, Value>,
    key: &str,
) -> Result<&'a mut Map<String, Value>, PipelineError> {
    let slot = parent
        .entry(key.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if slot.is_null() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut()
        .ok_or_else(|| PipelineError::Emit(format!("{key} is not a mapping")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const APP: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments\nspec:\n  type: aws-app\n  owner: team-a\n  lifecycle: experimental\n  dependsOn: []\n";

    #[test]
    fn writes_outputs_and_depends_on_once() {
        let outputs = json!({"StackName": "payments-dev", "ApiUrl": "https://x"});
        let outputs = outputs.as_object().unwrap();
        let once = record_deployment(
            APP,
            "dev",
            "dev-use1",
            "awsenvironment:default/dev",
            outputs,
        )
        .unwrap()
        .unwrap();
        let v = parse_single(&once, &Limits::default())
            .unwrap()
            .unwrap()
            .to_json();
        assert_eq!(
            v["metadata"]["appData"]["dev"]["dev-use1"]["StackName"],
            "payments-dev"
        );
        assert_eq!(
            v["spec"]["dependsOn"],
            json!(["awsenvironment:default/dev"])
        );
        assert_eq!(v["spec"]["owner"], "team-a");
        // The same report again changes nothing: no commit, no pipeline.
        assert_eq!(
            record_deployment(
                &once,
                "dev",
                "dev-use1",
                "AWSEnvironment:default/dev",
                outputs
            )
            .unwrap(),
            None
        );
        // A second provider of the same environment is added beside the first.
        let two = record_deployment(
            &once,
            "dev",
            "dev-euw1",
            "awsenvironment:default/dev",
            outputs,
        )
        .unwrap()
        .unwrap();
        let v = parse_single(&two, &Limits::default())
            .unwrap()
            .unwrap()
            .to_json();
        assert_eq!(
            v["metadata"]["appData"]["dev"].as_object().unwrap().len(),
            2
        );
        assert_eq!(v["spec"]["dependsOn"].as_array().unwrap().len(), 1);
    }
}
