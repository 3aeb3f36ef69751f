//! Who may operate an app: members of its owner group and of the platform's admin group.

use serde::Serialize;

use crate::entity::EntityRef;
use crate::platform::Membership;

/// The outcome of a permission check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "decision")]
pub enum Permission {
    /// Allowed, and why.
    Allowed {
        /// `owner` (the user owns the app), `owner-group` or `admin-group`.
        via: &'static str,
    },
    /// Refused, with a message for the user.
    Refused {
        /// Why.
        reason: String,
    },
}

/// Whether `user` may operate an app owned by `owner`: the user is the owner, or a member of the
/// owner group, or of `admin_group`.
pub fn check_permission(
    membership: &dyn Membership,
    user: &EntityRef,
    owner: &EntityRef,
    admin_group: Option<&EntityRef>,
) -> Permission {
    if user == owner {
        return Permission::Allowed { via: "owner" };
    }
    if owner.kind.eq_ignore_ascii_case("Group") && membership.is_member(user, owner) {
        return Permission::Allowed { via: "owner-group" };
    }
    if let Some(admins) = admin_group {
        if membership.is_member(user, admins) {
            return Permission::Allowed { via: "admin-group" };
        }
    }
    let admins = admin_group
        .map(|g| format!(" or of the platform admin group {g}"))
        .unwrap_or_default();
    Permission::Refused {
        reason: format!(
            "{user} may not operate this app: only members of its owner {owner}{admins} may"
        ),
    }
}
