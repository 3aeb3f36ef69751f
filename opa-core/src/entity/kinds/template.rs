//! `Template` (`scaffolder.backstage.io/v1beta3`): a scaffolder template, validated as
//! `@backstage/plugin-scaffolder-common`'s `templateEntityV1beta3Validator` does.

use serde::{Deserialize, Serialize};

use super::{KindSchema, OWNER};
use crate::entity::object::EntitySpec;
use crate::entity::schema::{Field, NON_EMPTY, OBJECT, STRING, Ty};

/// The `apiVersion` of scaffolder templates.
pub const TEMPLATE_API_VERSION: &str = "scaffolder.backstage.io/v1beta3";

/// The spec of a Template. The form parameters, steps and output are kept as JSON here; the
/// scaffolder gives them their meaning.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSpec {
    /// What the template creates (`service`, `website`…).
    #[serde(rename = "type")]
    pub template_type: String,
    /// The owning group or user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Lifecycle of the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<String>,
    /// The form: one JSON Schema object or a list of pages.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub parameters: serde_json::Value,
    /// The steps, each with an `action`.
    pub steps: Vec<serde_json::Value>,
    /// Links and text shown when the run ends.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub output: serde_json::Value,
    /// Every other field (`presentation`, `secrets`, `EXPERIMENTAL_*`…).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl EntitySpec for TemplateSpec {
    const KIND: &'static str = "Template";
    const API_VERSIONS: &'static [&'static str] = &[TEMPLATE_API_VERSION];
}

const PERMISSIONS: Ty = Ty::Object {
    fields: &[Field::optional("tags", Ty::Array(&STRING))],
    additional: None,
};

const PARAMETER_PAGE: Ty = Ty::Object {
    fields: &[Field::optional("backstage:permissions", PERMISSIONS)],
    additional: None,
};

const FORM_DECORATORS: Ty = Ty::Array(&Ty::Object {
    fields: &[
        Field::optional("id", STRING),
        Field::optional("input", OBJECT),
    ],
    additional: None,
});

const STEP: Ty = Ty::Object {
    fields: &[
        Field::optional("id", STRING),
        Field::optional("name", STRING),
        Field::required("action", STRING),
        Field::optional("input", OBJECT),
        Field::optional("if", Ty::StringOrBool),
        Field::optional("backstage:permissions", PERMISSIONS),
    ],
    additional: None,
};

const OUTPUT: Ty = Ty::Object {
    fields: &[
        Field::optional(
            "links",
            Ty::Array(&Ty::Object {
                fields: &[
                    Field::optional("if", Ty::StringOrBool),
                    Field::optional("url", NON_EMPTY),
                    Field::optional("entityRef", NON_EMPTY),
                    Field::optional("title", NON_EMPTY),
                    Field::optional("icon", NON_EMPTY),
                ],
                additional: None,
            }),
        ),
        Field::optional(
            "text",
            Ty::Array(&Ty::Object {
                fields: &[
                    Field::optional("if", Ty::StringOrBool),
                    Field::optional("title", NON_EMPTY),
                    Field::optional("icon", NON_EMPTY),
                    Field::optional("content", STRING),
                ],
                additional: None,
            }),
        ),
    ],
    additional: Some(&STRING),
};

/// `Template.v1beta3.schema.json` of `@backstage/plugin-scaffolder-common`.
pub(crate) static SCHEMA: KindSchema = KindSchema {
    kind: "Template",
    api_versions: &[TEMPLATE_API_VERSION],
    spec: Ty::Object {
        fields: &[
            Field::required("type", NON_EMPTY),
            Field::optional("owner", NON_EMPTY),
            Field::optional("lifecycle", NON_EMPTY),
            Field::optional(
                "parameters",
                Ty::OneOf(&[PARAMETER_PAGE, Ty::Array(&PARAMETER_PAGE)]),
            ),
            Field::optional(
                "secrets",
                Ty::Object {
                    fields: &[Field::optional("schema", OBJECT)],
                    additional: None,
                },
            ),
            Field::optional(
                "presentation",
                Ty::Object {
                    fields: &[Field::optional(
                        "buttonLabels",
                        Ty::Object {
                            fields: &[
                                Field::optional("backButtonText", STRING),
                                Field::optional("createButtonText", STRING),
                                Field::optional("reviewButtonText", STRING),
                            ],
                            additional: None,
                        },
                    )],
                    additional: None,
                },
            ),
            Field::optional(
                "EXPERIMENTAL_recovery",
                Ty::Object {
                    fields: &[Field::optional("EXPERIMENTAL_strategy", STRING)],
                    additional: None,
                },
            ),
            Field::optional("formDecorators", FORM_DECORATORS),
            Field::optional("EXPERIMENTAL_formDecorators", FORM_DECORATORS),
            Field::required("steps", Ty::Array(&STEP)),
            Field::optional("output", OUTPUT),
        ],
        additional: None,
    },
    relations: &[OWNER],
    extra: None,
};
