import Foundation
import SkyState
import Testing
@testable import SkyKubeAPI
@testable import SkyOperator

/// `envFrom` naming a Secret that does not exist yet, on the real API server; the cluster runs
/// on the local backend (no SSH host needed).
@Suite(
    .enabled(if: OperatorTestbed.kubeAvailable && OperatorTestbed.skyletBuilt, OperatorTestbed.kubeReason),
    .serialized, .timeLimit(.minutes(5)))
struct OperatorSecretTests {
    /// The missing Secret is named in a SecretNotFound condition and event; the reconcile is
    /// retried with backoff, so creating the Secret later makes the cluster converge (its
    /// setup checks that the value arrived); deleting it leaves no record.
    @Test func aMissingSecretIsReportedAndRetriedUntilItExists() async throws {
        let bed = try await OperatorBed(tag: "secret", hosts: [])
        do {
            let home = try bed.skyHome("home")
            try await bed.startOperator("a", skyHome: home, extra: ["--leader-election-id", "secret"])
            try bed.apply("""
                apiVersion: sky.dev/v1alpha1
                kind: SkyCluster
                metadata: {name: sec}
                spec:
                  envFrom:
                  - secretRef: {name: creds}
                  task:
                    resources: {infra: local}
                    setup: test "$API_TOKEN" = tok-123
                """)
            let waiting = try await until("SecretNotFound condition", timeout: 60) { () -> SkyCluster? in
                let c = try await bed.cluster("sec")
                return c?.status?.conditions?.named("Ready")?.reason == "SecretNotFound" ? c : nil
            }
            let ready = try #require(waiting.status?.conditions?.named("Ready"))
            #expect(ready.status == "False")
            #expect(ready.message.contains("Secret 'creds'") && ready.message.contains("spec.envFrom[0].secretRef.name"), "\(ready.message)")
            #expect(ready.message.contains(bed.namespace))
            #expect(waiting.status?.phase == "Pending")
            let events = try await bed.kube.list(KubeEvent.self, namespace: bed.namespace).items
            #expect(events.contains { $0.involvedObject.name == "sec" && $0.reason == "SecretNotFound" })
            #expect(try await SQLiteStateStore(home: home).clusters().isEmpty)

            // Still missing a few seconds later: retried (backoff), not given up, not launched.
            try await _Concurrency.Task.sleep(for: .seconds(3))
            #expect(try await bed.cluster("sec")?.status?.phase == "Pending")
            let passes = bed.log("a").split(separator: "\n").filter { $0.contains("reconciled") && $0.contains("\(bed.namespace)/sec") }
            #expect(passes.count >= 3, "\(passes)")

            _ = try await bed.kube.create(
                Secret(metadata: ObjectMeta(name: "creds", namespace: bed.namespace), stringData: ["API_TOKEN": "tok-123"]))
            let up = try await until("sec Up once the Secret exists", timeout: 150) { () -> SkyCluster? in
                let c = try await bed.cluster("sec")
                if c?.status?.phase == "Failed" { throw Timeout(description: "sec failed: \(c?.status?.message ?? "")") }
                return c?.status?.phase == "Up" ? c : nil
            }
            #expect(up.status?.conditions?.named("Ready")?.reason == "ClusterUp")
            #expect(up.status?.infra?.hasPrefix("local") == true, "\(up.status?.infra ?? "")")
            // The value never lands in the resource, its events or the operator's log.
            #expect(!bed.log("a").contains("tok-123"))
            let after = try await bed.kube.list(KubeEvent.self, namespace: bed.namespace).items
            #expect(!after.contains { $0.message?.contains("tok-123") == true })

            #expect(try bed.kubectl(["delete", "skycluster", "sec", "--wait=false"]).status == 0)
            _ = try await until("sec gone", timeout: 90) { try await bed.cluster("sec") == nil ? true : nil }
            #expect(try await SQLiteStateStore(home: home).clusters().isEmpty)
        } catch {
            Issue.record("\(error)\n--- operator ---\n\(bed.log("a").suffix(3000))")
        }
        await bed.cleanUp()
    }
}
