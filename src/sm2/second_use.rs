//! A value an object builds on its second use and keeps: the prepared tables of a verifying or
//! an encrypting key cost about one operation to build and make each later one about twice as
//! fast, so a key used once does not pay for them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Nothing on the first use; from the second on, the value `build` makes (once, shared by
/// clones made after it).
pub(crate) struct BuiltOnSecondUse<T> {
    value: OnceLock<Arc<T>>,
    used: AtomicBool,
}

impl<T> BuiltOnSecondUse<T> {
    pub(crate) const fn new() -> Self {
        Self {
            value: OnceLock::new(),
            used: AtomicBool::new(false),
        }
    }

    /// Records a use: `None` for the first, then the value, built by `build` if it is not yet.
    pub(crate) fn on_use(&self, build: impl FnOnce() -> T) -> Option<&T> {
        if let Some(value) = self.value.get() {
            return Some(value);
        }
        if !self.used.swap(true, Ordering::Relaxed) {
            return None;
        }
        Some(self.value.get_or_init(|| Arc::new(build())))
    }

    /// Whether the value has been built.
    pub(crate) fn is_built(&self) -> bool {
        self.value.get().is_some()
    }
}

impl<T> Clone for BuiltOnSecondUse<T> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            used: AtomicBool::new(self.used.load(Ordering::Relaxed)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first use gets nothing and builds nothing; the second builds once; later uses and
    /// clones share it.
    #[test]
    fn builds_on_the_second_use_only() {
        let builds = std::cell::Cell::new(0);
        let build = || {
            builds.set(builds.get() + 1);
            7
        };
        let cache = BuiltOnSecondUse::new();
        assert_eq!(cache.on_use(build), None);
        assert!(!cache.is_built());
        assert_eq!(cache.on_use(build), Some(&7));
        assert_eq!(cache.on_use(build), Some(&7));
        assert_eq!(cache.clone().on_use(build), Some(&7));
        assert_eq!(builds.get(), 1);
        assert!(cache.is_built());
    }
}
