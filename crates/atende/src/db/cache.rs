//! A read-through cache for the few rows read on every webhook and changed rarely (the
//! channel behind a webhook URL, its tenant's status). The store that writes such a row
//! forgets its key in this process at once; other instances see the change within the
//! cache's time to live. Keys are bounded by the rows that exist (misses are not
//! cached), so no eviction policy is needed.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::Mutex,
    time::{Duration, Instant},
};

pub struct RowCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> RowCache<K, V> {
    pub fn new(ttl: Duration) -> Self {
        RowCache { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// The cached value, if fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.insert(key, (Instant::now(), value));
    }

    /// The cached value, else what `load` finds (cached when found; misses are not).
    pub async fn get_or_load<E, F>(&self, key: K, load: F) -> Result<Option<V>, E>
    where
        F: std::future::Future<Output = Result<Option<V>, E>>,
    {
        if let Some(hit) = self.get(&key) {
            return Ok(Some(hit));
        }
        let found = load.await?;
        if let Some(value) = &found {
            self.put(key, value.clone());
        }
        Ok(found)
    }

    /// Drops a key (its row was written).
    pub fn forget(&self, key: &K) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_served_until_forgotten_or_stale() {
        let cache = RowCache::new(Duration::from_millis(50));
        cache.put(1, "a");
        assert_eq!(cache.get(&1), Some("a"));
        cache.forget(&1);
        assert_eq!(cache.get(&1), None);
        cache.put(2, "b");
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get(&2), None, "stale after the time to live");
    }
}
