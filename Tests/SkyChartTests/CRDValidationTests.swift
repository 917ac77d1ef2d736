import Foundation
import Testing

/// The API server's schema rejects what `sky validate` rejects where a structural schema can
/// say it, naming the field; valid SkyPilot tasks pasted under `spec.task` are accepted.
@Suite("CRD schema on the API server", .enabled(if: KubeTestbed.available, KubeTestbed.skipReason))
struct CRDValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var kind = "SkyCluster"
        var spec: String
        /// The field path the error must name.
        var field: String
        var testDescription: String { "\(kind): \(field)" }
    }

    /// Rejected by the API server itself (kubectl's client-side validation off). Kubernetes 1.20
    /// names list items without their index (`ordered.use_spot`).
    static let serverRejections: [Case] = [
        Case(spec: Manifest.task("num_nodes: -1\nrun: echo"), field: "spec.task.num_nodes"),
        Case(spec: Manifest.task("num_nodes: \"x\""), field: "spec.task.num_nodes"),
        Case(spec: Manifest.task("resources:\n  cpus: [2]"), field: "spec.task.resources.cpus"),
        Case(spec: Manifest.task("resources:\n  cloud: 3"), field: "spec.task.resources.cloud"),
        Case(
            spec: Manifest.task("resources:\n  use_spot: maybe"),
            field: "spec.task.resources.use_spot"),
        Case(
            spec: Manifest.task("resources:\n  disk_size: 10x"),
            field: "spec.task.resources.disk_size"),
        Case(
            spec: Manifest.task("resources:\n  ordered:\n  - use_spot: 3"),
            field: "spec.task.resources.ordered.use_spot"),
        Case(spec: Manifest.task("run: [echo, hi]"), field: "spec.task.run"),
        // Fields of the map form of a field that also takes scalars (autostop: 10m | {...}).
        Case(
            spec: Manifest.task("resources:\n  autostop:\n    wait_for: sometimes"),
            field: "spec.task.resources.autostop.wait_for"),
        Case(
            spec: Manifest.task("resources:\n  accelerators:\n    A100: many"),
            field: "spec.task.resources.accelerators.A100"),
        Case(spec: Manifest.task("workdir:\n  ref: main"), field: "spec.task.workdir.url"),
        Case(
            spec: Manifest.task("secrets:\n  HF_TOKEN: hf-secret-value-123"),
            field: "spec.task.secrets"),
        Case(spec: Manifest.task("secrets: [HF_TOKEN]"), field: "spec.task.secrets"),
        Case(
            spec: Manifest.task("run: echo", extraSpec: "  envFrom:\n  - secretRef: {}"),
            field: "spec.envFrom.secretRef.name"),
        Case(kind: "SkyJob", spec: "  cluster: dev", field: "spec.task"),
        Case(
            kind: "SkyService", spec: Manifest.task("run: python -m http.server 8080"),
            field: "spec.task.service"),
        Case(
            kind: "SkyService",
            spec: Manifest.task(
                "service:\n  readiness_probe: /\n  load_balancing_policy: fastest\nrun: echo"),
            field: "spec.task.service.load_balancing_policy"),
    ]

    @Test(
        "invalid tasks are rejected by the API server, naming the field",
        arguments: serverRejections)
    func serverRejects(_ c: Case) throws {
        try KubeTestbed.ensureCRDs()
        try KubeTestbed.withNamespace("skychart-bad") { ns in
            let result = try KubeTestbed.kubectl(
                ["apply", "--validate=false", "-n", ns, "-f", "-"],
                stdin: Manifest.resource(c.kind, "bad", spec: c.spec))
            #expect(result.status != 0, "accepted: \(result.output)")
            #expect(result.output.contains(c.field), "\(result.output)")
            #expect(
                !result.output.contains("hf-secret-value-123"),
                "an inline secret value was echoed back")
            let get = try KubeTestbed.kubectl(["get", c.kind.lowercased(), "bad", "-n", ns])
            #expect(get.status != 0, "the object exists: \(get.output)")
        }
    }

    /// Unknown fields: the API server prunes them (Kubernetes 1.20 has no server-side strict
    /// field validation); kubectl rejects them against the schema the server publishes.
    static let unknownFields: [Case] = [
        Case(spec: Manifest.task("run: echo\nrn: echo typo"), field: "rn"),
        Case(spec: Manifest.task("resources:\n  cpu: 2"), field: "cpu"),
        Case(
            spec: Manifest.task("resources:\n  ordered:\n  - cpus: 2\n    use_spott: true"),
            field: "use_spott"),
        Case(
            kind: "SkyService", spec: Manifest.task("service:\n  readiness_probe: /\n  replica: 2"),
            field: "replica"),
        Case(
            kind: "SkyJob", spec: Manifest.task("run: echo", extraSpec: "  clustr: dev"),
            field: "clustr"),
    ]

    @Test(
        "unknown task fields are rejected by kubectl's validation against the CRD schema",
        arguments: unknownFields)
    func unknownFieldsRejected(_ c: Case) throws {
        try KubeTestbed.ensureCRDs()
        try KubeTestbed.withNamespace("skychart-unknown") { ns in
            let result = try KubeTestbed.kubectl(
                ["apply", "-n", ns, "-f", "-"],
                stdin: Manifest.resource(c.kind, "bad", spec: c.spec))
            #expect(result.status != 0, "accepted: \(result.output)")
            // kubectl 1.20: `unknown field "rn" in ...`; servers >= 1.25: `unknown field "spec.task.rn"`.
            #expect(
                result.output.contains("unknown field") && result.output.contains("\(c.field)\""),
                "\(result.output)")
        }
    }

    @Test("every single-document corpus task that SkyPilot parses is accepted under spec.task")
    func corpusTasksAccepted() throws {
        try KubeTestbed.ensureCRDs()
        let corpus = try CorpusTasks.load()
        #expect(corpus.accepted.count >= 200, "only \(corpus.accepted.count) corpus tasks found")
        let stream = corpus.accepted.map { name, yaml in
            Manifest.resource("SkyCluster", name, spec: Manifest.task(yaml))
        }.joined(separator: "---\n")
        try KubeTestbed.withNamespace("skychart-corpus") { ns in
            // kubectl's schema validation and the API server's (dry run: nothing is stored).
            let result = try KubeTestbed.kubectl(
                ["apply", "--dry-run=server", "-n", ns, "-f", "-"], stdin: stream)
            #expect(result.status == 0, "\(result.stderr)")
            let created = result.stdout.split(separator: "\n").filter {
                $0.hasSuffix("created (server dry run)")
            }
            #expect(created.count == corpus.accepted.count, "\(result.output)")
        }
    }

    @Test("examples/operator manifests are accepted")
    func examplesAccepted() throws {
        try KubeTestbed.ensureCRDs()
        let dir = Repo.root + "/examples/operator"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasSuffix(".yaml")
        }.sorted()
        #expect(files.count >= 3)
        try KubeTestbed.withNamespace("skychart-examples") { ns in
            for file in files {
                let result = try KubeTestbed.kubectl([
                    "apply", "--dry-run=server", "-n", ns, "-f", "\(dir)/\(file)",
                ])
                #expect(result.status == 0, "\(file): \(result.output)")
            }
        }
    }
}
