//! `catalog:fetch`: reads entities from the catalog into the step's outputs.

use async_trait::async_trait;
use serde_json::{Value as Json, json};

use crate::entity::{EntityRef, RefDefaults};
use crate::scaffolder::action::{Action, ActionContext, ActionError};

/// `catalog:fetch`.
#[derive(Debug, Default, Clone, Copy)]
pub struct CatalogFetch;

#[async_trait]
impl Action for CatalogFetch {
    fn id(&self) -> &str {
        "catalog:fetch"
    }

    fn description(&self) -> &str {
        "Returns entity or entities from the catalog by entity reference(s)"
    }

    fn input_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "entityRef": {"type": "string"},
                "entityRefs": {"type": "array", "items": {"type": "string"}},
                "optional": {"type": "boolean"},
                "defaultKind": {"type": "string"},
                "defaultNamespace": {"type": "string"}
            }
        }))
    }

    fn output_schema(&self) -> Option<Json> {
        Some(json!({
            "type": "object",
            "properties": {
                "entity": {"type": "object"},
                "entities": {"type": "array", "items": {"type": "object"}}
            }
        }))
    }

    fn supports_dry_run(&self) -> bool {
        true
    }

    async fn handle(&self, ctx: &mut ActionContext) -> Result<(), ActionError> {
        let optional = ctx.input_bool("optional");
        let default_kind = ctx.input_str("defaultKind").map(str::to_string);
        let default_ns = ctx.input_str("defaultNamespace").map(str::to_string);
        let parse = |text: &str| -> Result<EntityRef, ActionError> {
            EntityRef::parse_with(
                text,
                RefDefaults {
                    kind: default_kind.as_deref(),
                    namespace: default_ns.as_deref(),
                },
            )
            .map_err(|e| ActionError::InvalidInput(e.to_string()))
        };
        let single = ctx.input_str("entityRef").map(str::to_string);
        let many: Option<Vec<String>> =
            ctx.input
                .get("entityRefs")
                .and_then(Json::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Json::as_str)
                        .map(str::to_string)
                        .collect()
                });
        if single.is_none() && many.is_none() {
            return Err(ActionError::InvalidInput(
                "Missing entity reference or references".into(),
            ));
        }
        let catalog = ctx.backends.catalog.clone();
        if let Some(text) = single {
            let r = parse(&text)?;
            match catalog.get_entity(&r).await? {
                Some(entity) => ctx.output("entity", entity),
                None if optional => {}
                None => {
                    return Err(ActionError::NotFound(format!(
                        "Entity {} not found",
                        r.to_canonical()
                    )));
                }
            }
        }
        if let Some(refs) = many {
            let mut entities = Vec::new();
            for text in refs {
                let r = parse(&text)?;
                match catalog.get_entity(&r).await? {
                    Some(e) => entities.push(e),
                    None if optional => entities.push(Json::Null),
                    None => {
                        return Err(ActionError::NotFound(format!(
                            "Entity {} not found",
                            r.to_canonical()
                        )));
                    }
                }
            }
            ctx.output("entities", Json::Array(entities));
        }
        Ok(())
    }
}
