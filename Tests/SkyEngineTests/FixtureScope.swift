import Synchronization
import Testing

/// A test trait that runs every cleanup its test's fixtures registered (`FixtureScope.defer`)
/// after the test and waits for it, whether the test passed, failed or threw. A `defer` that
/// starts a detached `Task` for an async cleanup loses the race against the test process's
/// exit when the test is the last to finish, leaving its clusters, Slurm jobs and folders.
struct FixtureScope: TestTrait, SuiteTrait, TestScoping {
    /// The cleanups of the running test, latest first.
    @TaskLocal static var current: Cleanups?

    final class Cleanups: Sendable {
        private let actions = Mutex<[@Sendable () async -> Void]>([])

        func add(_ action: @escaping @Sendable () async -> Void) {
            actions.withLock { $0.append(action) }
        }

        func runAll() async {
            let all = actions.withLock { actions in
                defer { actions = [] }
                return actions
            }
            for action in all.reversed() { await action() }
        }
    }

    struct Missing: Error, CustomStringConvertible {
        let fixture: String
        var description: String {
            "\(fixture) cleans up through FixtureScope: add the .fixtureScope trait to the test's suite"
        }
    }

    /// Registers `cleanUp` to run after the current test; throws when the test has no scope
    /// (its suite lacks `.fixtureScope`), so that no fixture goes without its cleanup.
    static func `defer`(_ fixture: String, _ cleanUp: @escaping @Sendable () async -> Void) throws {
        guard let current else { throw Missing(fixture: fixture) }
        current.add(cleanUp)
    }

    var isRecursive: Bool { true }

    /// A scope per test case, none for the suite itself.
    func scopeProvider(for test: Test, testCase: Test.Case?) -> FixtureScope? {
        testCase == nil ? nil : self
    }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let cleanups = Cleanups()
        try await Self.$current.withValue(cleanups) {
            do {
                try await function()
            } catch {
                await cleanups.runAll()
                throw error
            }
            await cleanups.runAll()
        }
    }
}

extension Trait where Self == FixtureScope {
    /// Runs the cleanups of the test's fixtures after it, and waits for them.
    static var fixtureScope: Self { FixtureScope() }
}
