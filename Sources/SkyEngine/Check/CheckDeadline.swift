import Foundation

/// Runs `operation` in its own task and returns its value, or `fallback` when it has not
/// finished after `seconds` (the operation keeps running detached; nobody waits for it).
enum CheckDeadline {
    static func run<T: Sendable>(
        seconds: Double, fallback: T, _ operation: @escaping @Sendable () async -> T
    ) async -> T {
        let once = OnceResult<T>()
        return await withCheckedContinuation { continuation in
            once.set(continuation)
            _Concurrency.Task.detached { once.resume(await operation()) }
            _Concurrency.Task.detached {
                try? await _Concurrency.Task.sleep(for: .seconds(seconds))
                once.resume(fallback)
            }
        }
    }
}

/// Resumes a continuation with the first value only.
private final class OnceResult<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?
    private var early: T?
    private var done = false

    func set(_ continuation: CheckedContinuation<T, Never>) {
        lock.lock()
        if let early {
            lock.unlock()
            continuation.resume(returning: early)
            return
        }
        self.continuation = continuation
        lock.unlock()
    }

    func resume(_ value: T) {
        lock.lock()
        guard !done else {
            lock.unlock()
            return
        }
        done = true
        if let continuation {
            self.continuation = nil
            lock.unlock()
            continuation.resume(returning: value)
        } else {
            early = value
            lock.unlock()
        }
    }
}
