//! Scheduling: pure rules for when things are due, and the runner that plans them as rows
//! and sends each exactly once through a front end's `Messenger`.

pub mod rules;
pub mod runner;
