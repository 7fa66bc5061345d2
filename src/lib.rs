//! mentorbot: a self-hosted bot that mentors product managers on the way to product leadership.
//!
//! One platform-neutral core ([`mentor`]) with front ends ([`frontends`]) for the terminal and
//! chat platforms; [`content`] loads `prompts/`; [`store`] is the only place with SQL.

pub mod app;
pub mod calendar;
pub mod clock;
pub mod coach;
pub mod config;
pub mod content;
pub mod error;
pub mod frontends;
pub mod health;
pub mod mentor;
pub mod outbound;
pub mod platform;
pub mod schedule;
pub mod store;
