//! Scheduling: the planner turns each weekly rule into an outbox row, the runner claims due rows
//! and sends each once through the member's front end, one handler per delivery kind decides
//! what to send, and the delivery policy decides what is still worth sending.

pub mod handlers;
pub mod planner;
pub mod policy;
pub mod runner;
