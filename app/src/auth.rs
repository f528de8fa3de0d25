//! Who is signed in and what they may do.

pub mod api;
pub mod idle;
pub mod pages;
pub mod password_rules;
mod role;

#[cfg(feature = "ssr")]
mod current_user;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod policy;
pub mod reset;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod totp;
pub mod two_factor;

#[cfg(feature = "ssr")]
pub use current_user::CurrentUser;
pub use role::Role;
