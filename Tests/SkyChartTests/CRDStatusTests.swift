import Foundation
import Testing

/// The CRDs install, serve the short names and the `/status` subresource with the operator's
/// status fields, and `kubectl get` shows the printer columns.
@Suite(
    "CRD install, status and printer columns",
    .enabled(if: KubeTestbed.available, KubeTestbed.skipReason))
struct CRDStatusTests {
    private static let task =
        "resources:\n  infra: ssh/skytestbed\n  cpus: 1+\nnum_nodes: 2\nrun: hostname"

    /// Header and first row of `kubectl get`, split on runs of spaces.
    private func table(_ arguments: [String]) throws -> (header: [String], row: [String]) {
        let result = try KubeTestbed.kubectl(["get"] + arguments)
        try #require(result.status == 0, "\(result.output)")
        let lines = result.stdout.split(separator: "\n").map {
            $0.split(separator: " ").map(String.init)
        }
        try #require(lines.count >= 2, "\(result.stdout)")
        return (lines[0], lines[1])
    }

    @Test("kubectl get skc / skj / sks shows the status fields in the printer columns")
    func printerColumns() throws {
        try KubeTestbed.ensureCRDs()
        try KubeTestbed.withNamespace("skychart-cols") { ns in
            let manifests = [
                Manifest.resource("SkyCluster", "dev", spec: Manifest.task(Self.task)),
                Manifest.resource(
                    "SkyJob", "train", spec: "  cluster: dev\n" + Manifest.task("run: echo hi")),
                Manifest.resource(
                    "SkyService", "web",
                    spec: Manifest.task(
                        "service:\n  readiness_probe: /\n  replicas: 1\nrun: python3 -m http.server 8080"
                    )),
            ].joined(separator: "---\n")
            let apply = try KubeTestbed.kubectl(["apply", "-n", ns, "-f", "-"], stdin: manifests)
            try #require(apply.status == 0, "\(apply.output)")

            let now = ISO8601DateFormatter().string(from: Date())
            let clusterStatus = """
                {"status":{"observedGeneration":1,"phase":"Up","clusterName":"dev-\(ns)","infra":"ssh/skytestbed",
                "resources":"2x(cpus=1+)","nodes":2,"handle":"opaque","message":"cluster is up",
                "conditions":[{"type":"Ready","status":"True","reason":"Launched","message":"","lastTransitionTime":"\(now)","observedGeneration":1}]}}
                """
            let jobStatus = """
                {"status":{"observedGeneration":1,"phase":"Succeeded","clusterName":"dev","jobID":3,"exitCode":0,
                "logs":"sky logs dev 3","startTime":"\(now)","completionTime":"\(now)",
                "conditions":[{"type":"Complete","status":"True","reason":"Succeeded","lastTransitionTime":"\(now)"}]}}
                """
            for (plural, name, json) in [
                ("skyclusters", "dev", clusterStatus), ("skyjobs", "train", jobStatus),
                (
                    "skyservices", "web",
                    #"{"status":{"phase":"Failed","message":"serve engine not available"}}"#
                ),
            ] {
                let patch = try KubeTestbed.patchStatus(
                    plural, namespace: ns, name: name, json: json)
                #expect(patch.status == 0, "\(plural): \(patch.output)")
            }

            let skc = try table(["skc", "-n", ns])
            #expect(skc.header == ["NAME", "PHASE", "INFRA", "RESOURCES", "NODES", "AGE"])
            #expect(
                Array(skc.row.prefix(5)) == ["dev", "Up", "ssh/skytestbed", "2x(cpus=1+)", "2"])
            let wide = try table(["skyclusters", "-n", ns, "-o", "wide"])
            #expect(wide.header.last == "MESSAGE")

            let skj = try table(["skj", "-n", ns])
            #expect(skj.header == ["NAME", "PHASE", "CLUSTER", "JOBID", "EXITCODE", "AGE"])
            #expect(Array(skj.row.prefix(5)) == ["train", "Succeeded", "dev", "3", "0"])

            let sks = try table(["sks", "-n", ns])
            #expect(sks.header == ["NAME", "PHASE", "AGE"])
            #expect(Array(sks.row.prefix(2)) == ["web", "Failed"])

            // The `sky` category lists all three kinds.
            let all = try KubeTestbed.kubectl(["get", "sky", "-n", ns, "-o", "name"])
            #expect(all.stdout.split(separator: "\n").count == 3, "\(all.output)")
        }
    }

    @Test(
        "the status subresource enforces the phase values and types, and spec writes ignore status")
    func statusSchema() throws {
        try KubeTestbed.ensureCRDs()
        try KubeTestbed.withNamespace("skychart-status") { ns in
            let apply = try KubeTestbed.kubectl(
                ["apply", "-n", ns, "-f", "-"],
                stdin: Manifest.resource("SkyCluster", "dev", spec: Manifest.task(Self.task)))
            try #require(apply.status == 0, "\(apply.output)")
            let badPhase = try KubeTestbed.patchStatus(
                "skyclusters", namespace: ns, name: "dev", json: #"{"status":{"phase":"Running"}}"#)
            #expect(badPhase.status != 0)
            #expect(badPhase.output.contains("status.phase"), "\(badPhase.output)")
            let badNodes = try KubeTestbed.patchStatus(
                "skyclusters", namespace: ns, name: "dev", json: #"{"status":{"nodes":"two"}}"#)
            #expect(badNodes.output.contains("status.nodes"), "\(badNodes.output)")
            let badCondition = try KubeTestbed.patchStatus(
                "skyclusters", namespace: ns, name: "dev",
                json: #"{"status":{"conditions":[{"type":"Ready","status":"Yes"}]}}"#)
            #expect(
                badCondition.status != 0 && badCondition.output.contains("status.conditions"),
                "\(badCondition.output)")

            // A status written through the main resource is dropped (status subresource on).
            let merge = try KubeTestbed.kubectl(
                [
                    "patch", "skc", "dev", "-n", ns, "--type=merge", "-p",
                    #"{"status":{"phase":"Up"}}"#,
                ])
            #expect(merge.status == 0, "\(merge.output)")
            let phase = try KubeTestbed.kubectl([
                "get", "skc", "dev", "-n", ns, "-o", "jsonpath={.status.phase}",
            ])
            #expect(
                phase.stdout.isEmpty,
                "status.phase was written through the main resource: \(phase.stdout)")
        }
    }
}
