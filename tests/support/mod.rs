//! Helpers shared by the integration tests. Include with `mod support;`.

// Each test file compiles its own copy of these helpers and uses only some.
#![allow(dead_code)]

pub mod answers;
pub mod fake_telegram;
pub mod harness;
pub mod people;
pub mod process;
pub mod redis;
pub mod webhook;
