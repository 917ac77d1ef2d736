import Foundation
import Testing

@testable import SkyKubeAPI
@testable import SkyOperator

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Replicas, leader election, health endpoints and SkyService rejection: the API server only.
@Suite(
    .enabled(if: OperatorTestbed.kubeAvailable, OperatorTestbed.kubeReason), .serialized,
    .timeLimit(.minutes(10)))
struct OperatorReplicaTests {
    static func get(_ port: Int, _ path: String) async throws -> (Int, String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let (data, response) = try await URLSession.shared.data(from: url)
        return (
            (response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self)
        )
    }

    static func isLeader(_ port: Int) async -> Bool {
        guard let (_, text) = try? await get(port, "/metrics") else { return false }
        return text.contains("\nsky_operator_leader 1\n")
    }

    @Test func twoReplicasHaveOneLeaderAndATerminatedLeaderHandsOver() async throws {
        let bed = try await OperatorBed(tag: "ha")
        do {
            let portA = try await bed.startOperator(
                "a", skyHome: try bed.skyHome("a"), extra: ["--leader-election-id", "ha"])
            _ = try await until("a leads") { await Self.isLeader(portA) ? true : nil }
            let portB = try await bed.startOperator(
                "b", skyHome: try bed.skyHome("b"), extra: ["--leader-election-id", "ha"])
            _ = try await until("b waits for the lease") {
                bed.log("b").contains("waiting for leadership") ? true : nil
            }
            #expect(await Self.isLeader(portA))
            #expect(!(await Self.isLeader(portB)))
            // Both are live and ready (a standby is ready too).
            #expect(try await Self.get(portB, "/healthz").0 == 200)
            #expect(try await Self.get(portB, "/readyz").0 == 200)
            // The leader is ready once its caches have synced (503 until then).
            _ = try await until("a is ready") {
                try await Self.get(portA, "/readyz").0 == 200 ? true : nil
            }
            #expect(try await Self.get(portA, "/nope").0 == 404)
            let lease = try #require(
                try await bed.kube.get(Lease.self, namespace: bed.namespace, name: "ha"))
            #expect(lease.spec.holderIdentity == "a")

            // Only the leader reconciles: a SkyService gets its status from a.
            try await bed.apply(
                """
                apiVersion: sky.dev/v1alpha1
                kind: SkyService
                metadata: {name: s1}
                spec:
                  task:
                    service: {readiness_probe: /, replicas: 1}
                    run: python3 -m http.server 8080
                """)
            let service = try await until("s1 rejected") { () -> SkyService? in
                let s = try await bed.kube.get(
                    SkyService.self, namespace: bed.namespace, name: "s1")
                return s?.status?.phase == nil ? nil : s
            }
            #expect(service.status?.phase == "Failed")
            #expect(service.status?.conditions?.named("Ready")?.reason == "ServeNotAvailable")
            #expect(service.status?.observedGeneration == service.metadata.generation)
            let events = try await until("s1's event") { () -> [KubeEvent]? in
                let items = try await bed.kube.list(KubeEvent.self, namespace: bed.namespace).items
                return items.contains { $0.involvedObject.name == "s1" } ? items : nil
            }
            #expect(
                events.contains { $0.involvedObject.name == "s1" && $0.reportingInstance == "a" })
            #expect(!bed.log("b").contains("reconciled"))

            // SIGTERM: a releases the lease at once and exits 0; b takes over without waiting out
            // the lease duration (the lease shows the transition).
            await bed.stopOperator("a")
            #expect(bed.log("a").contains("released leadership"))
            _ = try await until("b leads") { await Self.isLeader(portB) ? true : nil }
            let after = try #require(
                try await bed.kube.get(Lease.self, namespace: bed.namespace, name: "ha"))
            #expect(after.spec.holderIdentity == "b")
            #expect(after.spec.leaseTransitions == 1)
        } catch {
            Issue.record(
                "\(error)\n--- a ---\n\(bed.log("a").suffix(2000))\n--- b ---\n\(bed.log("b").suffix(2000))"
            )
        }
        await bed.cleanUp()
    }

    /// The leader's renewals fail (the Lease is taken behind its back): it stops reconciling
    /// and exits 1 at its next renewal instead of acting on; the standby takes the lease over
    /// once the intruder's term has run out and reconciles from then on.
    @Test func aLeaderWhoseRenewalFailsStopsAndTheStandbyTakesOver() async throws {
        let bed = try await OperatorBed(tag: "lost")
        do {
            let portA = try await bed.startOperator(
                "a", skyHome: try bed.skyHome("a"), extra: ["--leader-election-id", "lost"])
            _ = try await until("a leads") { await Self.isLeader(portA) ? true : nil }
            let portB = try await bed.startOperator(
                "b", skyHome: try bed.skyHome("b"), extra: ["--leader-election-id", "lost"])
            _ = try await until("b waits for the lease") {
                bed.log("b").contains("waiting for leadership") ? true : nil
            }

            // Behind a's back: another holder, renewed now, for 6 s.
            var lease = try #require(
                try await bed.kube.get(Lease.self, namespace: bed.namespace, name: "lost"))
            #expect(lease.spec.holderIdentity == "a")
            lease.spec.holderIdentity = "intruder"
            lease.spec.leaseDurationSeconds = 6
            lease.spec.renewTime = KubeTime.micro(Date())
            _ = try await bed.kube.update(lease)

            // a notices at its next renewal (every 2 s), stops its controllers and exits 1.
            let status = try await until("a exits", timeout: 30) { bed.exitStatus("a") }
            #expect(status == 1)
            #expect(bed.log("a").contains("leadership lost"), "\(bed.log("a").suffix(1500))")
            #expect(!(bed.log("a").contains("released leadership")))  // it was not a's to release

            // b takes over after the intruder's 6 s and is the only one reconciling.
            _ = try await until("b leads", timeout: 60) { await Self.isLeader(portB) ? true : nil }
            let after = try #require(
                try await bed.kube.get(Lease.self, namespace: bed.namespace, name: "lost"))
            #expect(after.spec.holderIdentity == "b")
            try await bed.apply(
                """
                apiVersion: sky.dev/v1alpha1
                kind: SkyService
                metadata: {name: s2}
                spec:
                  task:
                    service: {readiness_probe: /, replicas: 1}
                    run: python3 -m http.server 8080
                """)
            _ = try await until("s2 reconciled") { () -> Bool? in
                let s = try await bed.kube.get(
                    SkyService.self, namespace: bed.namespace, name: "s2")
                return s?.status?.phase == nil ? nil : true
            }
            // The event follows the status write.
            let events = try await until("s2's event") { () -> [KubeEvent]? in
                let items = try await bed.kube.list(KubeEvent.self, namespace: bed.namespace).items
                return items.contains { $0.involvedObject.name == "s2" } ? items : nil
            }
            #expect(
                events.contains { $0.involvedObject.name == "s2" && $0.reportingInstance == "b" })
            #expect(
                !events.contains { $0.involvedObject.name == "s2" && $0.reportingInstance == "a" })
        } catch {
            Issue.record(
                "\(error)\n--- a ---\n\(bed.log("a").suffix(2000))\n--- b ---\n\(bed.log("b").suffix(2000))"
            )
        }
        await bed.cleanUp()
    }

    @Test func flagsAndEnvironmentFallbacks() throws {
        let options = try OperatorOptions.parse(
            ["--namespace", "team", "--health-port=9000", "--resync-seconds", "60"],
            environment: [
                "SKY_OPERATOR_LEADER_ELECTION_ID": "x", "SKY_OPERATOR_NAMESPACE": "ignored",
                "SKY_OPERATOR_SKY_HOME": "/s",
            ])
        #expect(options.namespace == "team")
        #expect(options.healthPort == 9000)
        #expect(options.metricsPort == 8080)
        #expect(options.resyncSeconds == 60)
        #expect(options.leaderElectionID == "x")
        #expect(options.skyHome == "/s")
        #expect(options.leaseNamespace == "team")
        #expect(try OperatorOptions.parse([], environment: [:]).leaseNamespace == "default")
        #expect(throws: OperatorError.self) {
            try OperatorOptions.parse(["--bogus", "1"], environment: [:])
        }
        #expect(throws: OperatorError.self) {
            try OperatorOptions.parse(["--health-port", "x"], environment: [:])
        }
    }
}
