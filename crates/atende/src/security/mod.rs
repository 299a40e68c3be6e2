//! Security primitives that shared state holds and domains use: JWT keys and login
//! rate limits. No domain logic here.

pub mod password;
pub mod rate_limit;
pub mod token;
