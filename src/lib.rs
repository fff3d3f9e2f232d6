//! SpotCheck: a Telegram bot (and terminal tool) that walks a worried person through the glass
//! test and the red-flag questions for pinprick red spots, and answers with sourced advice at one
//! of four levels. See ARCHITECTURE.md for the map.

pub mod batch;
pub mod bot;
pub mod cli;
pub mod content;
pub mod conversation;
pub mod triage;
