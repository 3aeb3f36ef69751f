//! Runnable examples of OPA-rs from Rust; see the `examples` in this package.
