//! `opa:get-component-info`: useful forms of a component's name for later steps (OPA on AWS
//! outputs its kebab-case form, used in resource and stack names).

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use super::kebab_case::kebab_case;
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `opa:get-component-info`.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetComponentInfo;

#[async_trait]
impl Action for GetComponentInfo {
    fn id(&self) -> &str {
        "opa:get-component-info"
    }

    fn description(&self) -> &str {
        "Sets useful component info for other actions to use"
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["componentName"],
            "properties": {
                "componentName": {
                    "title": "Component Name",
                    "description": "The name of the component",
                    "type": "string"
                }
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "required": ["kebabCaseComponentName"],
            "properties": {
                "kebabCaseComponentName": {
                    "title": "The component name, converted to kebab case",
                    "type": "string"
                }
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let name = ctx.required_str("componentName")?;
        let kebab = kebab_case(name);
        ctx.logger
            .info(format!("Kebab case component name: {kebab}"));
        ctx.output("kebabCaseComponentName", kebab);
        Ok(())
    }
}
