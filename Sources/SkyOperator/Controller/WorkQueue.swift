import Foundation

/// A rate-limited work queue (client-go's workqueue): a key is queued once however many
/// times it is added; a key being processed that is added again is processed once more after;
/// failures come back with per-key exponential backoff; delayed adds wait their time.
actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var queued: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirtyWhileProcessing: Set<Key> = []
    private var failures: [Key: Int] = [:]
    private var delayed: [Key: ContinuousClock.Instant] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var shuttingDown = false
    private var timerTask: _Concurrency.Task<Void, Never>?
    let baseDelay: Duration
    let maxDelay: Duration

    init(baseDelay: Duration = .milliseconds(50), maxDelay: Duration = .seconds(300)) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    var depth: Int { queue.count }

    /// Queues `key` now.
    func add(_ key: Key) {
        guard !shuttingDown else { return }
        delayed.removeValue(forKey: key)
        if processing.contains(key) {
            dirtyWhileProcessing.insert(key)
            return
        }
        guard !queued.contains(key) else { return }
        queued.insert(key)
        if !waiters.isEmpty {
            queued.remove(key)
            processing.insert(key)
            waiters.removeFirst().resume(returning: key)
        } else {
            queue.append(key)
        }
    }

    /// Queues `key` after `delay` (an earlier pending time wins).
    func add(_ key: Key, after delay: Duration) {
        guard !shuttingDown else { return }
        if delay <= .zero { return add(key) }
        let due = ContinuousClock.now + delay
        if let current = delayed[key], current <= due { return }
        delayed[key] = due
        scheduleTimer()
    }

    /// Queues `key` after its backoff (base × 2^failures, capped) and counts a failure.
    func addRateLimited(_ key: Key) {
        let count = failures[key, default: 0]
        failures[key] = count + 1
        let factor = 1 << min(count, 20)
        let delay = min(baseDelay * factor, maxDelay)
        add(key, after: delay)
    }

    /// Clears the key's failure count (after a successful reconcile).
    func forget(_ key: Key) {
        failures.removeValue(forKey: key)
    }

    func failureCount(_ key: Key) -> Int { failures[key, default: 0] }

    /// The next key to process (nil once shut down). Call `done` after processing it.
    func next() async -> Key? {
        if let key = popReady() { return key }
        if shuttingDown { return nil }
        return await withCheckedContinuation { continuation in
            waiters.append(continuation)
        }
    }

    private func popReady() -> Key? {
        guard !queue.isEmpty else { return nil }
        let key = queue.removeFirst()
        queued.remove(key)
        processing.insert(key)
        return key
    }

    func done(_ key: Key) {
        processing.remove(key)
        if dirtyWhileProcessing.remove(key) != nil { add(key) }
    }

    /// Stops handing out keys; waiting workers get nil.
    func shutDown() {
        shuttingDown = true
        timerTask?.cancel()
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
    }

    private func scheduleTimer() {
        timerTask?.cancel()
        guard let due = delayed.values.min() else { return }
        timerTask = _Concurrency.Task { [weak self] in
            try? await _Concurrency.Task.sleep(until: due, clock: .continuous)
            if _Concurrency.Task.isCancelled { return }
            await self?.fireDue()
        }
    }

    private func fireDue() {
        let now = ContinuousClock.now
        let due = delayed.filter { $0.value <= now }.map(\.key)
        for key in due {
            delayed.removeValue(forKey: key)
            add(key)
        }
        scheduleTimer()
    }
}
