//! Security primitives that shared state holds and domains use: JWT keys, login
//! rate limits and the outbound-address policy. No domain logic here.

pub mod outbound;
pub mod password;
pub mod rate_limit;
pub mod token;
