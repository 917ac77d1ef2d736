import Foundation
import Testing

@testable import Skylet

struct ChangeWaiterTests {
    private func folder() throws -> String {
        let path = NSTemporaryDirectory() + "sky-waiter-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A write by another process to a file in a watched folder wakes the waiter (the timeout is
    /// long enough that only the change can end the wait with true).
    @Test func aWriteInAWatchedFolderWakesIt() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("a\n".utf8).write(to: URL(fileURLWithPath: dir + "/run.log"))
        let waiter = ChangeWaiter(directories: [dir, "/nonexistent-\(UUID().uuidString)"])
        #expect(waiter.isWatching)
        // Nothing changed yet: the wait times out.
        #expect(!waiter.wait(timeoutMilliseconds: 20, fallbackMilliseconds: 0))
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "sleep 0.2; echo b >> \"$1\"", "sh", dir + "/run.log"]
        try writer.run()
        #expect(waiter.wait(timeoutMilliseconds: 30_000, fallbackMilliseconds: 0))
        writer.waitUntilExit()
        // The writer's close may come as an event of its own; after it, nothing more is queued
        // and the wait times out again.
        waiter.wait(timeoutMilliseconds: 20, fallbackMilliseconds: 0)
        #expect(!waiter.wait(timeoutMilliseconds: 20, fallbackMilliseconds: 0))
    }

    /// A change made before the wait (between the follower's last read and its wait) is not
    /// lost: the wait returns at once.
    @Test func aChangeBeforeTheWaitIsNotLost() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let waiter = ChangeWaiter(directories: [dir])
        try Data("created\n".utf8).write(to: URL(fileURLWithPath: dir + "/run.log"))
        #expect(waiter.wait(timeoutMilliseconds: 30_000, fallbackMilliseconds: 0))
    }

    /// With no folder to watch the waiter only sleeps, and says no change woke it.
    @Test func withoutAFolderItSleeps() {
        let waiter = ChangeWaiter(directories: ["/nonexistent-\(UUID().uuidString)"])
        #expect(!waiter.isWatching)
        #expect(!waiter.wait(timeoutMilliseconds: 30_000, fallbackMilliseconds: 1))
    }
}
