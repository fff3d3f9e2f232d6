//! Helpers shared by the integration tests. Include with `mod support;`.

pub mod fake_telegram;
