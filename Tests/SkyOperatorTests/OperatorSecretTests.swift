import Foundation
import SkyState
import Testing

@testable import SkyKubeAPI
@testable import SkyOperator

/// What the operator checks before launching, on the real API server: `envFrom` naming a
/// Secret that does not exist yet, and fields the 1.20 server pruned. Clusters run on the
/// local backend (no SSH host needed).
@Suite(
    .enabled(
        if: OperatorTestbed.kubeAvailable && OperatorTestbed.skyletBuilt, OperatorTestbed.kubeReason
    ),
    .serialized, .timeLimit(.minutes(10)))
struct OperatorSecretTests {
    /// The missing Secret is named in a SecretNotFound condition and event; the reconcile is
    /// retried with backoff, so creating the Secret later makes the cluster converge (its
    /// setup checks that the value arrived); deleting it leaves no record.
    @Test func aMissingSecretIsReportedAndRetriedUntilItExists() async throws {
        let bed = try await OperatorBed(tag: "secret", hosts: [])
        do {
            let home = try bed.skyHome("home")
            try await bed.startOperator(
                "a", skyHome: home, extra: ["--leader-election-id", "secret"])
            try await bed.apply(
                """
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
            let waiting = try await until("SecretNotFound condition", timeout: 60) {
                () -> SkyCluster? in
                let c = try await bed.cluster("sec")
                return c?.status?.conditions?.named("Ready")?.reason == "SecretNotFound" ? c : nil
            }
            let ready = try #require(waiting.status?.conditions?.named("Ready"))
            #expect(ready.status == "False")
            #expect(
                ready.message.contains("Secret 'creds'")
                    && ready.message.contains("spec.envFrom[0].secretRef.name"), "\(ready.message)")
            #expect(ready.message.contains(bed.namespace))
            #expect(waiting.status?.phase == "Pending")
            // The event follows the status write (another API call): wait for it too.
            _ = try await until("SecretNotFound event", timeout: 30) { () -> Bool? in
                let events = try await bed.kube.list(KubeEvent.self, namespace: bed.namespace)
                return events.items.contains {
                    $0.involvedObject.name == "sec" && $0.reason == "SecretNotFound"
                } ? true : nil
            }
            #expect(try await SQLiteStateStore(home: home).clusters().isEmpty)

            // Still missing a few seconds later: retried (backoff), not given up, not launched.
            try await _Concurrency.Task.sleep(for: .seconds(3))
            #expect(try await bed.cluster("sec")?.status?.phase == "Pending")
            let passes = bed.log("a").split(separator: "\n").filter {
                $0.contains("reconciled") && $0.contains("\(bed.namespace)/sec")
            }
            #expect(passes.count >= 3, "\(passes)")

            _ = try await bed.kube.create(
                Secret(
                    metadata: ObjectMeta(name: "creds", namespace: bed.namespace),
                    stringData: ["API_TOKEN": "tok-123"]))
            let up = try await until("sec Up once the Secret exists", timeout: 150) {
                () -> SkyCluster? in
                let c = try await bed.cluster("sec")
                if c?.status?.phase == "Failed" {
                    throw Timeout(description: "sec failed: \(c?.status?.message ?? "")")
                }
                return c?.status?.phase == "Up" ? c : nil
            }
            #expect(up.status?.conditions?.named("Ready")?.reason == "ClusterUp")
            #expect(up.status?.infra?.hasPrefix("local") == true, "\(up.status?.infra ?? "")")
            // The value never lands in the resource, its events or the operator's log.
            #expect(!bed.log("a").contains("tok-123"))
            let after = try await bed.kube.list(KubeEvent.self, namespace: bed.namespace).items
            #expect(!after.contains { $0.message?.contains("tok-123") == true })

            #expect(
                try await bed.kubectl(["delete", "skycluster", "sec", "--wait=false"]).status == 0)
            _ = try await until("sec gone", timeout: 90) {
                try await bed.cluster("sec") == nil ? true : nil
            }
            #expect(try await SQLiteStateStore(home: home).clusters().isEmpty)
        } catch {
            Issue.record("\(error)\n--- operator ---\n\(bed.log("a").suffix(3000))")
        }
        await bed.cleanUp()
    }

    /// Kubernetes 1.20 prunes fields unknown to the schema; kubectl's client-side validation
    /// is what rejects them. Applied with `--validate=false`, the stored task silently lacks
    /// the field: the operator compares it with kubectl's last-applied configuration and
    /// refuses the resource (no launch of a different task than the one written).
    @Test func fieldsThe120ServerPrunedAreReportedNotLaunched() async throws {
        let bed = try await OperatorBed(tag: "prune", hosts: [])
        do {
            let home = try bed.skyHome("home")
            try await bed.startOperator(
                "a", skyHome: home, extra: ["--leader-election-id", "prune"])
            let manifest = """
                apiVersion: sky.dev/v1alpha1
                kind: SkyCluster
                metadata: {name: typo}
                spec:
                  task:
                    resources: {infra: local, cpu: 2}
                """
            // kubectl validates by default: rejected before it reaches the server.
            let validated = try await OperatorBed.kubectl(
                ["apply", "-n", bed.namespace, "-f", "-"], stdin: manifest)
            #expect(
                validated.status != 0 && validated.output.contains("unknown field \"cpu\""),
                "\(validated.output)")
            // Without validation the 1.20 server stores it with the field pruned.
            let unvalidated = try await OperatorBed.kubectl(
                ["apply", "--validate=false", "-n", bed.namespace, "-f", "-"], stdin: manifest)
            #expect(unvalidated.status == 0, "\(unvalidated.output)")
            let stored = try #require(try await bed.cluster("typo"))
            #expect(stored.spec.task?["resources"]?["cpu"] == nil)
            #expect(stored.spec.task?["resources"]?["infra"] == .string("local"))
            let refused = try await until("typo refused", timeout: 60) { () -> SkyCluster? in
                let c = try await bed.cluster("typo")
                return c?.status?.phase == "Failed" ? c : nil
            }
            let ready = try #require(refused.status?.conditions?.named("Ready"))
            #expect(ready.reason == "InvalidTask")
            #expect(
                ready.message.contains("spec.task.resources.cpu") && ready.message.contains("cpu"),
                "\(ready.message)")
            #expect(try await SQLiteStateStore(home: home).clusters().isEmpty)
        } catch {
            Issue.record("\(error)\n--- operator ---\n\(bed.log("a").suffix(3000))")
        }
        await bed.cleanUp()
    }

    @Test func droppedKeysAreFoundInNestedMapsAndLists() {
        let original = KubeJSON.object([
            "run": .string("x"), "rn": .string("y"),
            "resources": .object(["infra": .string("local"), "cpu": .int(2)]),
            "file_mounts": .array([.object(["a": .int(1)]), .object(["b": .int(2), "c": .int(3)])]),
        ])
        let stored = KubeJSON.object([
            "run": .string("x"),
            "resources": .object(["infra": .string("local")]),
            "file_mounts": .array([.object(["a": .int(1)]), .object(["b": .int(2)])]),
        ])
        #expect(
            TaskSource.droppedKeys(from: original, in: stored) == [
                "file_mounts[1].c", "resources.cpu", "rn",
            ])
        #expect(TaskSource.droppedKeys(from: stored, in: stored).isEmpty)
    }
}
