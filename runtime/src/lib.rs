//! What generated code links against: field errors, three-state inputs, the rules table types, the operation engine
//! (parse, validate, limits, cache) and the execution glue's support.
//!
//! Generated code names everything here by absolute path (`::runtime::...`), and derives through the re-exported
//! `serde`, so a crate using generated code needs only this crate as a dependency.

pub mod complexity;
pub mod dynamic;
pub mod engine;
pub mod error;
pub mod exec;
pub mod input;
mod measure;
pub mod response;
pub mod rules;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::{ErrorCode, FieldError, FieldResult};
pub use input::{Id, MaybeAbsent};

// Re-exported for generated code, which must not require its users to depend on these directly.
pub use apollo_compiler;
pub use chrono;
pub use futures;
pub use serde;
pub use serde_json;
pub use url;

/// Includes the module generated for one schema by `generator::compile` in `build.rs`: either as a whole module
/// (dead-code warnings allowed in it, since a crate typically uses part of what a schema defines)
///
/// ```text
/// runtime::include_schema!(pub mod greenhouse_onboarding);
/// ```
///
/// or inside a module of your own:
///
/// ```text
/// pub mod greenhouse_onboarding {
///     runtime::include_schema!("greenhouse_onboarding");
/// }
/// ```
#[macro_export]
macro_rules! include_schema {
    ($(#[$attr:meta])* $vis:vis mod $module:ident) => {
        $(#[$attr])*
        #[allow(dead_code)]
        $vis mod $module {
            include!(concat!(env!("OUT_DIR"), "/", stringify!($module), ".rs"));
        }
    };
    ($module:literal) => {
        include!(concat!(env!("OUT_DIR"), "/", $module, ".rs"));
    };
}
