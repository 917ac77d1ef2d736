import Foundation
import SkyCore
import Testing

@Suite(.serialized)
struct SkyletSchedulingTests {
    @Test func jobsWantingAllGPUsRunOneAfterTheOther() throws {
        let h = try SkyletHarness(nodes: 1, cpus: 4, gpus: 2)
        defer { h.cleanup() }
        let gate = h.root + "/release-first"
        let first = try h.submit(
            h.spec(
                run:
                    "echo first=$CUDA_VISIBLE_DEVICES; while [ ! -f \(gate) ]; do sleep 0.05; done",
                gpus: 2))
        let second = try h.submit(h.spec(run: "echo second=$CUDA_VISIBLE_DEVICES", gpus: 2))
        #expect(try h.waitFor(first) { $0 == .running } == .running)
        // The second job cannot get the GPUs while the first holds them.
        #expect(try h.status(second) == .pending)
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        #expect(try h.waitFor(second) == .succeeded)
        let jobs = try h.queue()
        let a = try #require(jobs.first { $0.jobID == first })
        let b = try #require(jobs.first { $0.jobID == second })
        #expect(a.status == .succeeded)
        #expect(try #require(b.startAt) >= (try #require(a.endAt)))
        #expect(try h.logs(first).contains("first=0,1"))
        #expect(try h.logs(second).contains("second=0,1"))
    }

    @Test func oneGPUJobsShareTheNodeOnDifferentGPUs() throws {
        let h = try SkyletHarness(nodes: 1, cpus: 4, gpus: 2)
        defer { h.cleanup() }
        let gate = h.root + "/release"
        let script =
            "echo gpu=$CUDA_VISIBLE_DEVICES; touch \(h.root)/started-$CUDA_VISIBLE_DEVICES; while [ ! -f \(gate) ]; do sleep 0.05; done"
        let a = try h.submit(h.spec(run: script, gpus: 1))
        let b = try h.submit(h.spec(run: script, gpus: 1))
        #expect(h.waitForFile(h.root + "/started-0"))
        #expect(h.waitForFile(h.root + "/started-1"))
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        #expect(try h.waitFor(a) == .succeeded)
        #expect(try h.waitFor(b) == .succeeded)
        let gpus = Set(
            [try h.logs(a), try h.logs(b)].map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            })
        #expect(gpus == ["gpu=0", "gpu=1"])
    }

    @Test func cpuDemandLimitsConcurrencyInFIFOOrder() throws {
        let h = try SkyletHarness(nodes: 1, cpus: 2)
        defer { h.cleanup() }
        let gate = h.root + "/go"
        let hold = "while [ ! -f \(gate) ]; do sleep 0.05; done"
        let ids = try (0..<3).map { _ in try h.submit(h.spec(run: hold, cpus: 1)) }
        #expect(try h.waitFor(ids[0]) { $0 == .running } == .running)
        #expect(try h.waitFor(ids[1]) { $0 == .running } == .running)
        #expect(try h.status(ids[2]) == .pending)
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        for id in ids { #expect(try h.waitFor(id) == .succeeded) }
    }
}
