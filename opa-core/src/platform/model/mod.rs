//! The resolved platform model: typed providers, environments and applications read from
//! catalog entities, and how an environment resolves to its providers.

mod application;
mod environment;
mod error;
mod fields;
mod index;
mod membership;
mod provider;
mod resolution;
mod runtime;

pub use application::{APP_COMPONENT_TYPE, AppData, Application};
pub use environment::Environment;
pub use error::{NotProvisioned, PlatformError, ProviderPart};
pub use index::{EntityIndex, EntityLookup};
pub use membership::Membership;
pub use provider::EnvironmentProvider;
pub use resolution::{
    ResolvedEnvironment, ResolvedProvider, resolve_environment, resolve_parameter_names,
    resolve_providers,
};
pub use runtime::{IacType, RuntimeType};

pub use super::PLATFORM_API_VERSION;
/// The kind of an environment entity.
pub const ENVIRONMENT_KIND: &str = "AWSEnvironment";
/// The kind of an environment provider entity.
pub const PROVIDER_KIND: &str = "AWSEnvironmentProvider";
