import Foundation
import SkyEngine
import SkyState
import Synchronization
import Testing

@testable import SkyKubeAPI
@testable import SkyOperator

/// The operator out of cluster against the real API server, launching on the SSH testbed pool.
@Suite(
    .enabled(if: OperatorTestbed.available, OperatorTestbed.reason), .serialized,
    .timeLimit(.minutes(15)))
struct OperatorEndToEndTests {
    /// SkyCluster on the pool + SkyJob on it + a SkyJob with its own cluster; statuses go
    /// through their phases; `kubectl delete` tears down through the finalizer and the pool
    /// is left clean.
    @Test func clusterAndJobsRunOnThePoolAndDeleteLeavesNothing() async throws {
        let bed = try await OperatorBed(tag: "e2e")
        do {
            try await run(bed)
        } catch {
            Issue.record("\(error)\n--- operator log ---\n\(bed.log("a").suffix(4000))")
        }
        await bed.cleanUp()
    }

    private func run(_ bed: OperatorBed) async throws {
        let home = try bed.skyHome("home-a")
        try await bed.startOperator("a", skyHome: home)
        try await bed.apply(
            """
            apiVersion: sky.dev/v1alpha1
            kind: SkyCluster
            metadata: {name: c1}
            spec:
              task:
                resources: {infra: ssh/op}
                setup: echo "set up on $(hostname)"
            """)
        let phases = PhaseLog()
        let watcher = _Concurrency.Task {
            for try await event in bed.kube.watch(
                SkyJob.self, namespace: bed.namespace, resourceVersion: nil, timeoutSeconds: 280)
            {
                if let object = event.object, let phase = object.status?.phase {
                    phases.add(object.name, phase)
                }
            }
        }
        defer { watcher.cancel() }
        let up = try await until("SkyCluster c1 Up", timeout: 180) { () -> SkyCluster? in
            let c = try await bed.cluster("c1")
            if c?.status?.phase == "Failed" {
                throw Timeout(description: "c1 failed: \(c?.status?.message ?? "")")
            }
            return c?.status?.phase == "Up" ? c : nil
        }
        let skyName = "\(bed.namespace)-c1"
        #expect(up.status?.clusterName == skyName)
        #expect(up.status?.infra == "ssh/op")
        #expect(up.status?.nodes == 1)
        #expect(up.status?.observedGeneration == up.metadata.generation)
        #expect(up.status?.conditions?.named("Ready")?.status == "True")
        #expect(up.metadata.finalizers?.contains("sky.dev/teardown") == true)
        #expect(up.status?.handle?.contains("\"cloud\":\"ssh\"") == true)
        let engine = SkyEngine(
            home: home, environment: ["HOME": bed.root, "SKY_HOME": home, "USER": "tester"])
        let record = try #require(try await engine.clusterRecord(named: skyName))
        #expect(record.origin == "operator")
        let leased = try await SQLiteStateStore(home: home).hosts(of: skyName).map(\.host)
        #expect(leased.count == 1)

        // A SkyJob on the named cluster: really runs on the pool host, exit code reported.
        try await bed.apply(
            """
            apiVersion: sky.dev/v1alpha1
            kind: SkyJob
            metadata: {name: j1}
            spec:
              cluster: c1
              task:
                run: |
                  echo "job ran on $(hostname) as $(whoami)"
                  sleep 3
                  exit 3
            """)
        let failed = try await until("SkyJob j1 finished", timeout: 120) { () -> SkyJob? in
            let j = try await bed.job("j1")
            return j?.isFinished == true ? j : nil
        }
        #expect(failed.status?.phase == "Failed")
        #expect(failed.status?.exitCode == 3)
        let jobID = try #require(failed.status?.jobID)
        #expect(failed.status?.logs == "sky logs \(skyName) \(jobID)")
        #expect(failed.status?.completionTime != nil)
        let lines = LinesBox()
        _ = try await engine.logs(
            cluster: skyName, jobID: jobID, follow: false, tail: nil, worker: nil
        ) { lines.add($0) }
        let hostIndex = try #require(
            bed.hostIndices.first { OperatorTestbed.sshIPs[$0] == leased[0] })
        #expect(
            lines.all.contains {
                $0.contains("job ran on node\(hostIndex + 1) as sky\(hostIndex + 1)")
            }, "\(lines.all)")
        #expect(phases.of("j1").contains("Running"), "\(phases.of("j1"))")
        #expect(phases.of("j1").last == "Failed")

        // A SkyJob with no cluster creates and owns one (setup there, run as the job).
        try await bed.apply(
            """
            apiVersion: sky.dev/v1alpha1
            kind: SkyJob
            metadata: {name: j2}
            spec:
              task:
                resources: {infra: ssh/op}
                run: echo "own cluster $(hostname)"
            """)
        let succeeded = try await until("SkyJob j2 finished", timeout: 180) { () -> SkyJob? in
            let j = try await bed.job("j2")
            return j?.isFinished == true ? j : nil
        }
        #expect(succeeded.status?.phase == "Succeeded", "\(succeeded.status?.message ?? "")")
        #expect(succeeded.status?.exitCode == 0)
        let owned = try #require(try await bed.cluster("j2-cluster"))
        #expect(owned.metadata.ownerReferences?.first?.kind == "SkyJob")
        #expect(owned.metadata.ownerReferences?.first?.controller == true)
        #expect(owned.metadata.labels?["sky.dev/owned-by"] == "skyjob.j2")
        #expect(phases.of("j2").contains("Launching"))

        // Events were recorded on the resources.
        let events = try await bed.kube.list(KubeEvent.self, namespace: bed.namespace).items
        #expect(events.contains { $0.involvedObject.name == "c1" && $0.reason == "Launched" })
        #expect(events.contains { $0.involvedObject.name == "j1" && $0.reason == "Submitted" })

        // kubectl delete: the finalizer tears the clusters down (j2's through garbage collection).
        #expect(try await bed.kubectl(["delete", "skyjob", "j2", "--wait=false"]).status == 0)
        #expect(try await bed.kubectl(["delete", "skycluster", "c1", "--wait=false"]).status == 0)
        _ = try await until("both SkyClusters gone", timeout: 180) { () -> Bool? in
            let c1 = try await bed.cluster("c1")
            let c2 = try await bed.cluster("j2-cluster")
            return c1 == nil && c2 == nil ? true : nil
        }
        let left = try await SQLiteStateStore(home: home).clusters()
        let leases = try await SQLiteStateStore(home: home).leases(pool: "op")
        #expect(
            left.isEmpty && leases.isEmpty,
            "left in state: \(left.map { "\($0.name) \($0.status.rawValue)" }), leases: \(leases)\n--- operator log ---\n\(bed.log("a").suffix(6000))"
        )
        for index in bed.hostIndices {
            let state = try await bed.onHost(
                index,
                "cat ~/.sky/skylet/cluster.json 2>/dev/null; echo; pgrep -u $(id -u) -f 'skylet daemon' || true"
            )
            #expect(!state.contains(bed.namespace), "host \(index) still has \(state)")
        }
    }

    /// Operator A launched a cluster; it is killed and B starts with an empty Sky home: B finds
    /// the cluster from status.handle (no second cluster), runs a job on it and tears it down.
    @Test func restartWithAnEmptyHomeAdoptsTheClusterFromItsStatus() async throws {
        let bed = try await OperatorBed(tag: "adopt")
        do {
            let homeA = try bed.skyHome("home-a")
            try await bed.startOperator(
                "a", skyHome: homeA, extra: ["--leader-election-id", "adopt"])
            try await bed.apply(
                """
                apiVersion: sky.dev/v1alpha1
                kind: SkyCluster
                metadata: {name: c}
                spec:
                  task:
                    resources: {infra: ssh/op}
                """)
            let up = try await until("c Up", timeout: 180) { () -> SkyCluster? in
                let c = try await bed.cluster("c")
                return c?.status?.phase == "Up" ? c : nil
            }
            let skyName = try #require(up.status?.clusterName)
            let hostsA = try await SQLiteStateStore(home: homeA).hosts(of: skyName).map(\.host)
            await bed.stopOperator("a", kill: true)

            let homeB = try bed.skyHome("home-b")
            try await bed.startOperator(
                "b", skyHome: homeB, extra: ["--leader-election-id", "adopt"])
            try await bed.apply(
                """
                apiVersion: sky.dev/v1alpha1
                kind: SkyJob
                metadata: {name: j}
                spec:
                  cluster: c
                  task: {run: echo adopted-ok}
                """)
            let job = try await until("j finished", timeout: 120) { () -> SkyJob? in
                let j = try await bed.job("j")
                return j?.isFinished == true ? j : nil
            }
            #expect(job.status?.phase == "Succeeded", "\(job.status?.message ?? "")")
            let adopted = try await SQLiteStateStore(home: homeB).clusters()
            #expect(adopted.map(\.name) == [skyName])
            #expect(
                try await SQLiteStateStore(home: homeB).hosts(of: skyName).map(\.host) == hostsA)
            #expect(bed.log("b").contains("adopted cluster from status.handle"))

            #expect(
                try await bed.kubectl(["delete", "skycluster", "c", "--wait=false"]).status == 0)
            _ = try await until("c gone", timeout: 120) {
                try await bed.cluster("c") == nil ? true : nil
            }
            #expect(try await SQLiteStateStore(home: homeB).clusters().isEmpty)
            for index in bed.hostIndices {
                let state = try await bed.onHost(
                    index, "cat ~/.sky/skylet/cluster.json 2>/dev/null")
                #expect(!state.contains(bed.namespace), "host \(index) still has \(state)")
            }
            // A (killed) left its own state behind; clean its leases' record for the next test.
            _ = try? await SQLiteStateStore(home: homeA).deleteCluster(named: skyName)
        } catch {
            Issue.record(
                "\(error)\n--- a ---\n\(bed.log("a").suffix(2000))\n--- b ---\n\(bed.log("b").suffix(3000))"
            )
        }
        await bed.cleanUp()
    }
}

extension OperatorEndToEndTests {
    /// The operator is killed (SIGKILL) right after it started a launch; the next one, on the
    /// same state directory, converges to one UP cluster: no second cluster, one host leased.
    @Test func killedMidLaunchConvergesToOneCluster() async throws {
        let bed = try await OperatorBed(tag: "kill")
        do {
            let home = try bed.skyHome("home")
            try await bed.startOperator(
                "a", skyHome: home, extra: ["--leader-election-id", "kill"])
            try await bed.apply(
                """
                apiVersion: sky.dev/v1alpha1
                kind: SkyCluster
                metadata: {name: k}
                spec:
                  task:
                    resources: {infra: ssh/op}
                """)
            _ = try await until("k Launching", timeout: 60) { () -> Bool? in
                try await bed.cluster("k")?.status?.phase == "Launching" ? true : nil
            }
            await bed.stopOperator("a", kill: true)
            try await bed.startOperator(
                "b", skyHome: home, extra: ["--leader-election-id", "kill"])
            let up = try await until("k Up after the restart", timeout: 180) { () -> SkyCluster? in
                let c = try await bed.cluster("k")
                return c?.status?.phase == "Up" ? c : nil
            }
            let name = try #require(up.status?.clusterName)
            let store = SQLiteStateStore(home: home)
            #expect(try await store.clusters().map(\.name) == [name])
            #expect(try await store.hosts(of: name).count == 1)
            var holders = 0
            for index in bed.hostIndices {
                if try await bed.onHost(index, "cat ~/.sky/skylet/cluster.json 2>/dev/null")
                    .contains(bed.namespace)
                {
                    holders += 1
                }
            }
            #expect(holders == 1)
            #expect(
                try await bed.kubectl(["delete", "skycluster", "k", "--wait=false"]).status == 0)
            _ = try await until("k gone", timeout: 120) {
                try await bed.cluster("k") == nil ? true : nil
            }
            #expect(try await store.clusters().isEmpty)
        } catch {
            Issue.record(
                "\(error)\n--- a ---\n\(bed.log("a").suffix(2000))\n--- b ---\n\(bed.log("b").suffix(3000))"
            )
        }
        await bed.cleanUp()
    }
}

/// Phases seen per object, in order, without repeats.
final class PhaseLog: Sendable {
    private let phases = Mutex<[String: [String]]>([:])
    func add(_ name: String, _ phase: String) {
        phases.withLock { if $0[name]?.last != phase { $0[name, default: []].append(phase) } }
    }
    func of(_ name: String) -> [String] { phases.withLock { $0[name] ?? [] } }
}

final class LinesBox: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
