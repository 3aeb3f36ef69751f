//! Who asks for what: the admission request a rule is evaluated against (`request.operation`,
//! `request.userInfo`, the requester's roles).

use serde::{Deserialize, Serialize};

/// The requester and the operation, as Kyverno receives them from an admission review.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestInfo {
    /// `CREATE` (the default), `UPDATE`, `DELETE` or `CONNECT`.
    #[serde(default = "default_operation")]
    pub operation: String,
    /// The requesting user.
    #[serde(default)]
    pub user_info: UserInfo,
    /// The requester's namespaced roles, as `namespace:name`.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The requester's cluster roles.
    #[serde(default)]
    pub cluster_roles: Vec<String>,
}

fn default_operation() -> String {
    "CREATE".to_string()
}

impl Default for RequestInfo {
    fn default() -> Self {
        Self {
            operation: default_operation(),
            user_info: UserInfo::default(),
            roles: Vec::new(),
            cluster_roles: Vec::new(),
        }
    }
}

impl RequestInfo {
    /// Whether nothing is known about the requester. Kyverno then ignores the user parts of
    /// `match` blocks (as its CLI does without `--userinfo`).
    pub fn has_no_requester(&self) -> bool {
        self.roles.is_empty() && self.cluster_roles.is_empty() && self.user_info.is_empty()
    }
}

/// The requesting user (`request.userInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    /// The user name; service accounts are `system:serviceaccount:<namespace>:<name>`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub username: String,
    /// The user's id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    /// The user's groups.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

impl UserInfo {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.username.is_empty() && self.uid.is_empty() && self.groups.is_empty()
    }
}

/// The prefix of service account user names.
pub const SERVICE_ACCOUNT_PREFIX: &str = "system:serviceaccount:";

impl UserInfo {
    /// The service account's namespace and name, when the user is one.
    pub fn service_account(&self) -> Option<(&str, &str)> {
        self.username
            .strip_prefix(SERVICE_ACCOUNT_PREFIX)?
            .split_once(':')
    }
}
