import Foundation
import Synchronization
import Testing

@testable import SkyKubeAPI
@testable import SkyOperator

/// The testbeds the operator tests need: the Kubernetes API server (`k8s.sh env`) and the
/// SSH pool (`sshpool.sh env`), plus the built `sky-operator` and `skylet`.
enum OperatorTestbed {
    static let env = ProcessInfo.processInfo.environment
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static var kubeconfig: String? {
        guard let path = env["KUBECONFIG"], FileManager.default.fileExists(atPath: path) else {
            return nil
        }
        return path
    }
    static var kubectl: String { env["KUBECTL"] ?? "kubectl" }
    static var sshIPs: [String] {
        (env["SKY_TESTBED_SSH_IPS"] ?? "").split(separator: " ").map(String.init)
    }
    static var sshKey: String { env["SKY_TESTBED_SSH_KEY"] ?? "" }

    static func product(_ name: String) -> String {
        var dir = URL(fileURLWithPath: Bundle.main.bundlePath)
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        let candidates = [
            dir.appendingPathComponent(name).path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
                .appendingPathComponent(name).path,
            root + "/.build/debug/" + name,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? candidates[0]
    }

    static var kubeAvailable: Bool { kubeconfig != nil }
    static var sshAvailable: Bool {
        sshIPs.count >= 12 && FileManager.default.fileExists(atPath: sshKey)
            && FileManager.default.isExecutableFile(atPath: product("skylet"))
    }
    static var available: Bool { kubeAvailable && sshAvailable }
    static var skyletBuilt: Bool { FileManager.default.isExecutableFile(atPath: product("skylet")) }
    static let kubeReason: Comment =
        "Kubernetes testbed not configured: run `eval \"$(Tests/testbed/k8s.sh env)\"` (KUBECONFIG unset)"
    static let reason: Comment =
        "Kubernetes + SSH testbeds needed: run `eval \"$(Tests/testbed/k8s.sh env)\"` and `eval \"$(Tests/testbed/sshpool.sh env)\"` (KUBECONFIG or SKY_TESTBED_SSH_* unset, or skylet not built)"
}

/// One test's world: a namespace, a Sky home with a pool of testbed hosts, operator processes.
final class OperatorBed: Sendable {
    let root: String
    let namespace: String
    let kube: KubeClient
    let hostIndices: [Int]
    private let processes = Mutex<[String: Spawned]>([:])

    /// Hosts 9 and 10 of `sshpool.sh up 12` are the operator suites' (Tests/testbed/README.md).
    init(tag: String, hosts: [Int] = [8, 9]) async throws {
        root = "/tmp/sky-op-\(tag)-\(UUID().uuidString.prefix(6).lowercased())"
        namespace = "op-\(tag)-\(UUID().uuidString.prefix(6).lowercased())"
        hostIndices = hosts
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        kube = try await KubeClient.connect(kubeconfig: OperatorTestbed.kubeconfig, context: nil)
        _ = try await kube.create(Namespace(name: namespace))
        try await Self.installCRDs()
    }

    /// The pool file for a Sky home: pool `op` with this bed's hosts (those the SSH bed has:
    /// suites that need the pool are enabled only with all 12; the others write what exists).
    var poolsYAML: String {
        var text = "op:\n  identity_file: \(OperatorTestbed.sshKey)\n  hosts:\n"
        let ips = OperatorTestbed.sshIPs
        for i in hostIndices where i < ips.count {
            text += "    - ip: \(ips[i])\n      user: sky\(i + 1)\n"
        }
        return text
    }

    /// A new Sky home (state directory) with the pool file.
    func skyHome(_ name: String) throws -> String {
        let home = root + "/" + name
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        if !hostIndices.isEmpty {
            try poolsYAML.write(
                toFile: home + "/ssh_node_pools.yaml", atomically: true, encoding: .utf8)
        }
        return home
    }

    /// Applies the CRDs from crds/ (idempotent) and waits until they are served.
    static func installCRDs() async throws {
        // Suites run at once: two client-side applies may both try to create a CRD; the loser
        // gets AlreadyExists, and applying again then updates instead.
        var out = try await kubectl(["apply", "-f", OperatorTestbed.root + "/crds"])
        if out.status != 0, out.output.contains("AlreadyExists") {
            out = try await kubectl(["apply", "-f", OperatorTestbed.root + "/crds"])
        }
        #expect(out.status == 0, "kubectl apply crds: \(out.output)")
        let wait = try await kubectl([
            "wait", "--for=condition=Established", "--timeout=60s", "crd/skyclusters.sky.dev",
            "crd/skyjobs.sky.dev", "crd/skyservices.sky.dev",
        ])
        #expect(wait.status == 0, "\(wait.output)")
    }

    /// Starts an operator process; returns its health port once it listens.
    @discardableResult
    func startOperator(_ id: String, skyHome: String, extra: [String] = []) async throws -> Int {
        let log = root + "/operator-\(id).log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = root
        environment["USER"] = "tester"
        environment["SKY_OPERATOR_LOG_LEVEL"] = "debug"
        environment["SKY_SKYLET_BINARY"] = OperatorTestbed.product("skylet")
        let process = try Spawned(
            [
                OperatorTestbed.product("sky-operator"),
                "--kubeconfig", OperatorTestbed.kubeconfig ?? "", "--namespace", namespace,
                "--sky-home", skyHome,
                "--health-port", "0", "--metrics-port", "0", "--identity", id, "--bind-address",
                "127.0.0.1",
                "--resync-seconds", "30",
            ] + extra,
            environment: environment, stdout: .null, stderr: .file(log))
        processes.withLock { $0[id] = process }
        let port = try await until("operator \(id) serves /healthz", timeout: 60) { () -> Int? in
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            guard
                let line = text.split(separator: "\n").first(where: { $0.contains("health_port=") }
                ),
                let range = line.range(of: "health_port=")
            else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }
        return port
    }

    func log(_ id: String) -> String {
        (try? String(contentsOfFile: root + "/operator-\(id).log", encoding: .utf8)) ?? ""
    }

    func isRunning(_ id: String) -> Bool { processes.withLock { $0[id]?.isRunning ?? false } }

    /// SIGTERM (graceful) or SIGKILL; waits for the process to end (a graceful stop that takes
    /// over 45 s is recorded as an issue and ended with SIGKILL). Returns the exit status.
    @discardableResult
    func stopOperator(_ id: String, kill: Bool = false) async -> Int32? {
        guard let process = processes.withLock({ $0.removeValue(forKey: id) }) else { return nil }
        process.signal(kill ? SIGKILL : SIGTERM)
        if await process.waitForExit(seconds: 45) { return process.exitCode }
        Issue.record(
            "operator \(id) did not stop within 45 s of SIGTERM; killed\n\(log(id).suffix(2000))")
        process.signal(SIGKILL)
        _ = await process.waitForExit(seconds: 10)
        return nil
    }

    /// Exit status of operator `id` once it ended on its own (nil while it runs).
    func exitStatus(_ id: String) -> Int32? {
        processes.withLock { $0[id]?.exitCode }
    }

    /// `kubectl apply -f -` of `yaml` in this bed's namespace.
    func apply(_ yaml: String) async throws {
        let out = try await Self.kubectl(["apply", "-n", namespace, "-f", "-"], stdin: yaml)
        #expect(out.status == 0, "kubectl apply: \(out.output)")
    }

    func kubectl(_ args: [String]) async throws -> (status: Int32, output: String) {
        try await Self.kubectl(["-n", namespace] + args)
    }

    /// kubectl with a deadline (a hung kubectl is killed after 120 s, exit 124).
    static func kubectl(_ args: [String], stdin: String? = nil) async throws -> (
        status: Int32, output: String
    ) {
        try await Spawned.run(
            [OperatorTestbed.kubectl, "--request-timeout=60s"] + args, stdin: stdin, stderr: true,
            seconds: 120)
    }

    func cluster(_ name: String) async throws -> SkyCluster? {
        try await kube.get(SkyCluster.self, namespace: namespace, name: name)
    }

    func job(_ name: String) async throws -> SkyJob? {
        try await kube.get(SkyJob.self, namespace: namespace, name: name)
    }

    /// Runs `command` on testbed host `index` over ssh (60 s at most); its output.
    func onHost(_ index: Int, _ command: String) async throws -> String {
        try await Spawned.run(
            [
                "/usr/bin/ssh", "-i", OperatorTestbed.sshKey, "-o", "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "BatchMode=yes", "-o",
                "ConnectTimeout=10",
                "sky\(index + 1)@\(OperatorTestbed.sshIPs[index])", command,
            ], stderr: false, seconds: 60
        ).output
    }

    func cleanUp() async {
        for id in processes.withLock({ Array($0.keys) }) { await stopOperator(id) }
        // Remove finalizers left by a failed test so the namespace can go.
        for cluster in (try? await kube.list(SkyCluster.self, namespace: namespace).items) ?? [] {
            _ = try? await kube.patch(
                SkyCluster.self, namespace: namespace, name: cluster.name,
                .merge(.object(["metadata": .object(["finalizers": .null])])))
        }
        for job in (try? await kube.list(SkyJob.self, namespace: namespace).items) ?? [] {
            _ = try? await kube.patch(
                SkyJob.self, namespace: namespace, name: job.name,
                .merge(.object(["metadata": .object(["finalizers": .null])])))
        }
        _ = try? await kube.delete(Namespace.self, namespace: nil, name: namespace)
        await kube.shutdown()
        try? FileManager.default.removeItem(atPath: root)
    }
}

struct Timeout: Error, CustomStringConvertible {
    var description: String
}

/// Polls `probe` until it returns a value; a deadline only guards against hanging forever.
func until<T>(_ what: String, timeout: Double = 120, _ probe: () async throws -> T?) async throws
    -> T
{
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let value = try await probe() { return value }
        try await _Concurrency.Task.sleep(for: .milliseconds(100))
    }
    throw Timeout(description: "gave up waiting for: \(what)")
}
