import Foundation
import SkyKubeAPI
import Testing

@testable import SkyOperator

@Suite(.timeLimit(.minutes(1)))
struct WorkQueueTests {
    @Test func keysAreDeduplicatedAndReaddedWhileProcessingRunOnceMore() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("a")
        await queue.add("b")
        #expect(await queue.depth == 2)
        let first = await queue.next()
        #expect(first == "a")
        await queue.add("a")  // while processing: once more after done
        #expect(await queue.depth == 1)
        await queue.done("a")
        #expect(await queue.next() == "b")
        #expect(await queue.next() == "a")
    }

    @Test func failuresBackOffExponentiallyAndForgetResets() async {
        let queue = WorkQueue<String>(baseDelay: .milliseconds(10), maxDelay: .seconds(1))
        await queue.addRateLimited("k")
        await queue.addRateLimited("k")
        #expect(await queue.failureCount("k") == 2)
        #expect(await queue.depth == 0)  // not yet: delayed
        let key = await queue.next()
        #expect(key == "k")
        await queue.forget("k")
        #expect(await queue.failureCount("k") == 0)
    }

    @Test func shutDownReleasesWaitingWorkers() async {
        let queue = WorkQueue<String>()
        async let waiting = queue.next()
        try? await _Concurrency.Task.sleep(for: .milliseconds(50))
        await queue.shutDown()
        #expect(await waiting == nil)
    }

    @Test func conditionsKeepTheirTransitionTimeWhileTheStatusHolds() {
        var conditions: [Condition] = []
        var ready = Condition(
            type: "Ready", status: false, reason: "Launching", message: "", observedGeneration: 1)
        ready.lastTransitionTime = "2020-01-01T00:00:00Z"
        conditions.set(ready)
        conditions.set(
            Condition(
                type: "Ready", status: false, reason: "StillLaunching", message: "x",
                observedGeneration: 1))
        #expect(conditions.count == 1)
        #expect(conditions[0].lastTransitionTime == "2020-01-01T00:00:00Z")
        #expect(conditions[0].reason == "StillLaunching")
        conditions.set(
            Condition(type: "Ready", status: true, reason: "Up", message: "", observedGeneration: 1)
        )
        #expect(conditions[0].lastTransitionTime != "2020-01-01T00:00:00Z")
    }

    @Test func mergePatchClearsRemovedFields() {
        let old = KubeJSONFixture.object(["phase": "Up", "message": "m"])
        let new = KubeJSONFixture.object(["phase": "Failed"])
        let patch = KubeJSON.mergePatch(from: old, to: new)
        #expect(patch == .object(["phase": .string("Failed"), "message": .null]))
    }
}

enum KubeJSONFixture {
    static func object(_ fields: [String: String]) -> KubeJSON {
        .object(fields.mapValues { .string($0) })
    }
}
