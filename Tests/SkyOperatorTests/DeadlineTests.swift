import Foundation
import Synchronization
import Testing

@testable import SkyOperator

/// Bounded waits: work that ignores its cancellation is not waited on past the deadline.
@Suite(.timeLimit(.minutes(1)))
struct DeadlineTests {
    /// Waits `seconds` without honouring cancellation (like a wait for a child process), and
    /// without holding a thread.
    static func stubborn(_ seconds: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume() }
        }
    }

    @Test func runGivesUpAtTheDeadlineEvenWhenTheWorkIgnoresCancellation() async {
        let finished = Mutex(false)
        await #expect(throws: Deadline.Exceeded.self) {
            try await Deadline.run("stubborn work", timeout: .milliseconds(200)) {
                await Self.stubborn(30)
                finished.withLock { $0 = true }
            }
        }
        // The answer came while the work (which ignores its cancellation) still ran.
        #expect(!finished.withLock { $0 })
        let value = try? await Deadline.run("quick work", timeout: .seconds(30)) { 42 }
        #expect(value == 42)
    }

    @Test func cancellingBackgroundWorkWaitsBoundedAndReportsWhetherItEnded() async {
        let work = BackgroundWork<Int>()
        await work.start(
            "slow",
            work: {
                await Self.stubborn(30)
                return 1
            }, then: {})
        await work.start(
            "polite",
            work: {
                try? await _Concurrency.Task.sleep(for: .seconds(30))
                return 2
            }, then: {})
        #expect(await work.isRunning("slow"))
        #expect(await work.cancel("slow", timeout: .milliseconds(200)) == false)
        #expect(await work.isRunning("slow"))  // still running: the caller retries later
        #expect(await work.cancel("polite", timeout: .seconds(20)) == true)
        #expect(await work.outcome("polite") == 2)
    }
}
