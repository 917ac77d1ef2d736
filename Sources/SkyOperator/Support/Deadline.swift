import Foundation
import Synchronization

/// Bounded waits: nothing in the operator waits without a deadline (a hung launch, log
/// stream or API request must not hang a reconcile, a lease renewal or the shutdown).
enum Deadline {
    /// The operation did not finish in time.
    struct Exceeded: Error, CustomStringConvertible {
        var what: String
        var timeout: Duration
        var description: String { "\(what) did not finish within \(timeout); it is retried" }
    }

    /// Runs `operation`, cancelling it and throwing `Exceeded` when it takes longer than
    /// `timeout`. The answer comes at the deadline even when the operation ignores its
    /// cancellation (it is then left to end on its own).
    static func run<T: Sendable>(
        _ what: String, timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let work = _Concurrency.Task { try await operation() }
        // Cancelling the caller cancels the operation (the wait then ends with it).
        let ended = await withTaskCancellationHandler {
            await wait(for: work, timeout: timeout)
        } onCancel: {
            work.cancel()
        }
        guard ended else {
            work.cancel()
            throw Exceeded(what: what, timeout: timeout)
        }
        return try await work.value
    }

    /// Waits until `task` ends or `timeout` passes (the task is not cancelled); true when it
    /// ended. The wait holds even when the caller is cancelled (cleanup at shutdown runs in
    /// cancelled tasks), and is bounded by `timeout` anyway.
    static func wait<T: Sendable, E: Error>(for task: _Concurrency.Task<T, E>, timeout: Duration)
        async -> Bool
    {
        let once = Once()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            once.set(continuation)
            let timer = _Concurrency.Task {
                try? await _Concurrency.Task.sleep(for: timeout)
                once.resume(false)
            }
            _Concurrency.Task {
                _ = await task.result
                once.resume(true)
                timer.cancel()
            }
        }
    }

    /// Resumes a continuation once, whoever comes first (a resume before `set` is kept).
    private final class Once: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<Bool, Never>?, result: Bool?)>(
            (nil, nil))

        func set(_ continuation: CheckedContinuation<Bool, Never>) {
            let early: Bool? = state.withLock { state in
                if let result = state.result { return result }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }

        func resume(_ value: Bool) {
            let continuation: CheckedContinuation<Bool, Never>? = state.withLock { state in
                guard state.result == nil else { return nil }
                state.result = value
                let c = state.continuation
                state.continuation = nil
                return c
            }
            continuation?.resume(returning: value)
        }
    }
}
