import Synchronization

/// Lines collected from a callback on any thread (progress reports).
final class Lines: Sendable {
    private let stored = Mutex<[String]>([])

    func append(_ line: String) { stored.withLock { $0.append(line) } }

    var all: [String] { stored.withLock { $0 } }
}
