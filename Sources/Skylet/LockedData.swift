import Foundation
import Synchronization

/// A value produced on one thread and awaited on another.
final class LockedData: Sendable {
    private let value = Mutex<Data?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func set(_ data: Data) {
        value.withLock { $0 = data }
        ready.signal()
    }

    func waitForValue() -> Data {
        ready.wait()
        return value.withLock { $0 } ?? Data()
    }
}
