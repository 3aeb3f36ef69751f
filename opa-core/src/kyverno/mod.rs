//! Kyverno generate policies, evaluated offline.
//!
//! A [`Policy`] (`kyverno.io/v1` `ClusterPolicy` or `Policy`) has rules; a generate rule whose
//! `match` holds (and `exclude` does not) for a resource produces new resources from `data`
//! written in the rule or by cloning existing resources, with `{{ }}` variables over the request
//! (`request.object`, `request.operation`, `request.userInfo`…) substituted by JMESPath.
//!
//! ```
//! use opa_core::kyverno::{self, ApplyInput, RequestInfo};
//! use opa_core::yaml::{Limits, parse_single};
//!
//! let policy = parse_single(r#"
//! apiVersion: kyverno.io/v1
//! kind: ClusterPolicy
//! metadata: {name: add-quota}
//! spec:
//!   rules:
//!   - name: quota
//!     match: {any: [{resources: {kinds: [Namespace]}}]}
//!     generate:
//!       apiVersion: v1
//!       kind: ResourceQuota
//!       name: default
//!       namespace: "{{request.object.metadata.name}}"
//!       data: {spec: {hard: {limits.cpu: "4"}}}
//! "#, &Limits::default()).unwrap().unwrap();
//! let policy = kyverno::parse_policy(&policy).unwrap().unwrap();
//! let ns = serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}});
//! let report = kyverno::apply(ApplyInput {
//!     policies: &[policy],
//!     resources: std::slice::from_ref(&ns),
//!     cluster: std::slice::from_ref(&ns),
//!     request: &RequestInfo::default(),
//! });
//! let quota = &report.results[0].generated[0];
//! assert_eq!(quota["metadata"]["namespace"], "team-a");
//! ```

pub mod apply;
pub mod conditions;
pub mod context;
pub mod filter;
pub mod generate;
pub mod jmespath;
pub mod matching;
pub mod policy;
pub mod references;
pub mod request;
pub mod resource;
pub mod selector;
pub mod sources;
pub mod variables;
pub mod wildcard;

pub use apply::{ApplyInput, ApplyReport, RuleResult, RuleStatus, apply};
pub use policy::{Policy, PolicyKind, Rule, parse_policy};
pub use request::{RequestInfo, UserInfo};
pub use resource::ResourceRef;
pub use sources::{ApplySources, SourceProblem, SourceReport, apply_sources};
