//! An error of Crossplane's patch-and-transform machinery, worded as Crossplane words it.
//!
//! Crossplane builds its messages by wrapping (`cannot apply the "FromCompositeFieldPath" patch at
//! index 0: transform at index 1 returned error: ...`); [`PatchError::wrap`] does the same, so a message read here is
//! the message a Crossplane user would see in an event. These errors describe problems in the
//! user's Composition or claim: the renderer turns them into diagnostics.

use std::fmt;

/// A patch, transform or field path failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchError {
    message: String,
    not_found: bool,
}

impl PatchError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            not_found: false,
        }
    }

    /// A "field path not found" error: the only kind an `Optional` patch policy ignores.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            not_found: true,
        }
    }

    /// Prefixes the message with `context: `, keeping whether the cause was "not found" (as Go's
    /// `errors.Wrap` keeps the cause).
    #[must_use]
    pub fn wrap(self, context: impl fmt::Display) -> Self {
        Self {
            message: format!("{context}: {}", self.message),
            not_found: self.not_found,
        }
    }

    /// Whether the root cause is a field path that does not exist.
    pub fn is_not_found(&self) -> bool {
        self.not_found
    }

    /// The full message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatchError {}

/// `Result` with a [`PatchError`].
pub type PatchResult<T> = Result<T, PatchError>;
