//! Team namespaces: what a platform team hands out when a team asks for a namespace in an
//! environment — the Namespace, its quota and default limits, a default-deny NetworkPolicy, the
//! `developer` ClusterRole bound to the team's group, and a ServiceAccount.
//!
//! ```
//! use opa_core::rbac::{NamespaceRequest, team_namespace};
//!
//! let request = NamespaceRequest::new("payments", "dev");
//! let resources = team_namespace(&request).unwrap();
//! assert_eq!(resources[0]["kind"], "Namespace");
//! assert_eq!(resources[0]["metadata"]["name"], "payments-dev");
//! ```

mod namespace;
mod request;
mod role;

pub use namespace::team_namespace;
pub use request::{DEFAULT_CPU, DEFAULT_MEMORY, Environment, NamespaceRequest};
pub use role::{DEVELOPER_ROLE, developer_cluster_role};
