import Foundation
import SkyState
import Testing

@testable import SkyKubeAPI
@testable import SkyOperator

/// A SkyJob's own cluster on the local backend, on the real API server.
@Suite(
    .enabled(
        if: OperatorTestbed.kubeAvailable && OperatorTestbed.skyletBuilt, OperatorTestbed.kubeReason
    ),
    .serialized, .timeLimit(.minutes(10)))
struct OperatorOwnedClusterTests {
    /// The cluster under a running job is deleted: the job ends (cancelled by the teardown, or
    /// failed naming its deleted cluster), and no new cluster is launched in its place.
    @Test func deletingTheClusterUnderARunningJobEndsItWithoutRelaunching() async throws {
        let bed = try await OperatorBed(tag: "owned", hosts: [])
        do {
            let home = try bed.skyHome("home")
            try await bed.startOperator(
                "a", skyHome: home, extra: ["--leader-election-id", "owned"])
            try await bed.apply(
                """
                apiVersion: sky.dev/v1alpha1
                kind: SkyJob
                metadata: {name: long}
                spec:
                  task:
                    resources: {infra: local}
                    run: sleep 120
                """)
            _ = try await until("long Running", timeout: 120) { () -> Bool? in
                let j = try await bed.job("long")
                if j?.isFinished == true {
                    throw Timeout(description: "long ended: \(j?.status?.message ?? "")")
                }
                return j?.status?.phase == "Running" ? true : nil
            }
            #expect(
                try await bed.kubectl(["delete", "skycluster", "long-cluster", "--wait=false"])
                    .status == 0)
            let failed = try await until("long Failed", timeout: 120) { () -> SkyJob? in
                let j = try await bed.job("long")
                return j?.isFinished == true ? j : nil
            }
            // The teardown cancels the job on the node: the job ends Cancelled when its record is
            // read in between, else Failed because its cluster is gone.
            let phase = failed.status?.phase ?? ""
            #expect(["Cancelled", "Failed"].contains(phase), "\(failed.status?.message ?? "")")
            if phase == "Failed" {
                #expect(
                    failed.status?.conditions?.named("Ready")?.reason == "ClusterDeleted",
                    "\(failed.status?.message ?? "")")
            }
            // No replacement cluster: neither the resource nor an engine record.
            try await _Concurrency.Task.sleep(for: .seconds(3))
            #expect(try await bed.cluster("long-cluster") == nil)
            #expect(try await SQLiteStateStore(home: home).clusters().isEmpty)
        } catch {
            Issue.record("\(error)\n--- operator ---\n\(bed.log("a").suffix(3000))")
        }
        await bed.cleanUp()
    }
}
