//! The actions a runner knows, by id.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Action;

/// Actions by id. Rust code, and later the Node and Python bindings, add to it.
#[derive(Clone, Default)]
pub struct ActionRegistry {
    actions: BTreeMap<String, Arc<dyn Action>>,
}

impl ActionRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// A registry with every built-in action (`fetch:*`, `fs:*`, `debug:log`, `catalog:*`,
    /// `publish:gitlab`, `publish:github`, `roadiehq:utils:fs:write`).
    pub fn with_builtins() -> Self {
        let mut registry = Self::new();
        for action in crate::scaffolder::actions::builtin_actions() {
            registry.register(action);
        }
        registry
    }

    /// Adds an action; returns the one it replaces with the same id.
    pub fn register(&mut self, action: Arc<dyn Action>) -> Option<Arc<dyn Action>> {
        self.actions.insert(action.id().to_string(), action)
    }

    /// The action with this id.
    pub fn get(&self, id: &str) -> Option<Arc<dyn Action>> {
        self.actions.get(id).cloned()
    }

    /// Every id, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.actions.keys().map(String::as_str)
    }

    /// Number of actions.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }
}

impl std::fmt::Debug for ActionRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.actions.keys()).finish()
    }
}
