//! Group membership, as the catalog states it: a User's `spec.memberOf` and a Group's
//! `spec.members`. Permission checks of operations ask [`Membership`].

use serde_json::Value;

use super::fields::{entity_ref_of, text_list};
use super::index::EntityLookup;
use crate::entity::{EntityRef, RefDefaults};

/// Who belongs to which group.
pub trait Membership: Send + Sync {
    /// Whether `user` is a direct member of `group`.
    fn is_member(&self, user: &EntityRef, group: &EntityRef) -> bool;
}

fn refs(entity: &Value, key: &str, default_kind: &str) -> Vec<EntityRef> {
    let namespace = entity
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or(crate::entity::DEFAULT_NAMESPACE);
    text_list(entity, "spec", key)
        .iter()
        .filter_map(|r| {
            EntityRef::parse_with(r, RefDefaults::kind(default_kind).with_namespace(namespace)).ok()
        })
        .collect()
}

/// Membership read from any [`EntityLookup`]: a user is a member of a group when the User lists
/// it in `spec.memberOf` or the Group lists the user in `spec.members`.
impl<T: EntityLookup + ?Sized> Membership for T {
    fn is_member(&self, user: &EntityRef, group: &EntityRef) -> bool {
        if let Some(u) = self.entity(user) {
            if entity_ref_of(u).is_some_and(|r| r.kind.eq_ignore_ascii_case("User"))
                && refs(u, "memberOf", "Group").contains(group)
            {
                return true;
            }
        }
        self.entity(group).is_some_and(|g| {
            entity_ref_of(g).is_some_and(|r| r.kind.eq_ignore_ascii_case("Group"))
                && refs(g, "members", "User").contains(user)
        })
    }
}

/// Membership from the catalog's relations: `user memberOf group` (emitted from the User's
/// `spec.memberOf` and the Group's `spec.members` alike).
impl Membership for crate::catalog::Catalog {
    fn is_member(&self, user: &EntityRef, group: &EntityRef) -> bool {
        let group = group.to_canonical();
        self.relations(&user.to_canonical()).iter().any(|r| {
            r.relation_type == crate::catalog::RelationType::MemberOf && r.target_ref == group
        })
    }
}
