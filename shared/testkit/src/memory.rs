//! The benchmark process's memory, for the figures benchmarks print beside their times.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The process's resident memory now, in KiB (0 where /proc is not there to read).
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Samples the resident memory every 50 ms from `start` until `peak`.
pub struct PeakMemory {
    done: Arc<AtomicBool>,
    sampler: std::thread::JoinHandle<u64>,
}

impl PeakMemory {
    pub fn start() -> Self {
        let done = Arc::new(AtomicBool::new(false));
        let sampler = {
            let done = done.clone();
            std::thread::spawn(move || {
                let mut peak = rss_kib();
                while !done.load(Ordering::Relaxed) {
                    peak = peak.max(rss_kib());
                    std::thread::sleep(Duration::from_millis(50));
                }
                peak.max(rss_kib())
            })
        };
        Self { done, sampler }
    }

    /// The highest resident memory seen, in KiB.
    pub fn peak(self) -> u64 {
        self.done.store(true, Ordering::Relaxed);
        self.sampler.join().unwrap_or(0)
    }
}
