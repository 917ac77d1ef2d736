import Foundation

/// Long work started by a reconcile (a launch, a log follower) keyed by name: one at a time
/// per key; its outcome is kept until the next reconcile takes it. In memory only: after a
/// restart the reconcilers find the state again in the API server and the engine.
actor BackgroundWork<Outcome: Sendable> {
    private var running: [String: _Concurrency.Task<Void, Never>] = [:]
    private var outcomes: [String: Outcome] = [:]

    func isRunning(_ key: String) -> Bool { running[key] != nil }

    /// Starts `work` unless one runs for `key`; `then` runs after the outcome is stored.
    func start(
        _ key: String, work: @escaping @Sendable () async -> Outcome,
        then: @escaping @Sendable () async -> Void
    ) {
        guard running[key] == nil else { return }
        running[key] = _Concurrency.Task {
            let outcome = await work()
            self.finish(key, outcome)
            await then()
        }
    }

    private func finish(_ key: String, _ outcome: Outcome) {
        running.removeValue(forKey: key)
        outcomes[key] = outcome
    }

    func outcome(_ key: String) -> Outcome? { outcomes[key] }

    func takeOutcome(_ key: String) -> Outcome? { outcomes.removeValue(forKey: key) }

    /// Cancels the work of `key` and waits up to `timeout` for it to end; false when it is
    /// still running then (work that ignores its cancellation is never waited on forever).
    @discardableResult
    func cancel(_ key: String, timeout: Duration = .seconds(30)) async -> Bool {
        guard let task = running[key] else { return true }
        task.cancel()
        return await Deadline.wait(for: task, timeout: timeout)
    }

    /// Cancels everything and waits up to `timeout` in all (shutdown).
    func cancelAll(timeout: Duration = .seconds(20)) async {
        let tasks = Array(running.values)
        for task in tasks { task.cancel() }
        let deadline = ContinuousClock.now + timeout
        for task in tasks {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return }
            _ = await Deadline.wait(for: task, timeout: left)
        }
    }
}
