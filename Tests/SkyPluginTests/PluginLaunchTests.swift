import Foundation
import SkyCore
import SkyEngine
import SkyProvision
import SkyRuntime
import SkyState
import Testing

/// The SSH testbed (`sshpool.sh up 12`); the plugin suites use hosts 5, 6 and 7 (indices 4-6;
/// see Tests/testbed/README.md, "Who uses which SSH host").
enum PluginTestbed {
    static let env = ProcessInfo.processInfo.environment
    static var ips: [String] {
        (env["SKY_TESTBED_SSH_IPS"] ?? "").split(separator: " ").map(String.init)
    }
    static var key: String { env["SKY_TESTBED_SSH_KEY"] ?? "" }
    static var available: Bool {
        ips.count >= 12 && FileManager.default.fileExists(atPath: key)
            && FileManager.default.isExecutableFile(
                atPath: SkyletBinary.locate(environment: env))
    }

    /// An inventory of testbed hosts: 5 and 6 by default; the CLI suite has host 7 to itself.
    static func inventory(hosts indices: [Int] = [4, 5]) -> String {
        let hosts = indices.map {
            #"{"ip":"\#(ips[$0])","user":"sky\#($0 + 1)","identity_file":"\#(key)","cpus":1,"memory_gb":1}"#
        }
        return #"{"region":"lab","hosts":[\#(hosts.joined(separator: ","))]}"#
    }
}

@Suite(
    .enabled(
        if: PluginTestbed.available,
        "SSH testbed or skylet missing: run `eval \"$(Tests/testbed/sshpool.sh env)\"` after `sshpool.sh up 12`, and build skylet"
    ),
    .serialized)
struct PluginLaunchTests {
    @Test func launchARealJobThroughTheInventoryPlugin() async throws {
        let fx = try PluginFixture(tag: "launch")
        defer { fx.cleanUp() }
        try PluginTestbed.inventory().write(
            toFile: fx.root + "/inv.json", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = fx.root + "/home"
        env["SKY_HOME"] = fx.root + "/sky"
        env["USER"] = "tester"
        env["SKY_PLUGIN_PATH"] = PluginFixture.repoRoot + "/plugins/python-inventory"
        env["SKY_INVENTORY_FILE"] = fx.root + "/inv.json"
        env["SKY_INVENTORY_LEASES"] = fx.root + "/leases.json"
        env.removeValue(forKey: "SKY_ENABLED_CLOUDS")
        let engine = SkyEngine(home: fx.root + "/sky", environment: env)

        // sky check sees the plugin and enables it.
        let outcomes = try await engine.check()
        #expect(outcomes.first { $0.backend == "inventory" }?.capabilities == ["compute"])
        #expect(
            try await SQLiteStateStore(home: fx.root + "/sky").enabledClouds().contains("inventory")
        )

        // `infra: <plugin>/<region>` in the YAML: the loader accepts the installed plugin's name.
        guard
            case .task(let task) = try TaskLoader.load(
                yaml:
                    "resources:\n  infra: inventory/lab\nnum_nodes: 2\nrun: echo \"plugin-node $(whoami) $SKYPILOT_NODE_RANK\"",
                fileName: "task.yaml", baseDirectory: fx.root,
                overrides: engine.withPluginBackends(TaskOverrides()))
        else { throw PluginTestFailure.notATask }
        #expect(task.resources.map(\.cloud) == ["inventory"])
        #expect(task.resources.map(\.region) == ["lab"])
        let lines = fx.lines
        let output = LaunchOutput(progress: { _ in }, log: { lines.append($0) })
        var options = LaunchOptions(clusterName: "plug")
        options.retryDelay = .milliseconds(100)
        do {
            let result = try await engine.launch(task, options: options, output: output)
            let all = fx.lines.all
            #expect(result.jobStatus == .succeeded, "launch log:\n\(all.joined(separator: "\n"))")
            #expect(all.contains { $0.contains("plugin-node sky5") })
            #expect(all.contains { $0.contains("plugin-node sky6") })
            let leases = try String(contentsOfFile: fx.root + "/leases.json", encoding: .utf8)
            #expect(leases.contains("\"\(PluginTestbed.ips[4]):22\""))
        } catch {
            try? await engine.down("plug", purge: true)
            throw error
        }
        try await engine.down("plug")
        let leases = try String(contentsOfFile: fx.root + "/leases.json", encoding: .utf8)
        #expect(!leases.contains(PluginTestbed.ips[4]))
        #expect(!leases.contains(PluginTestbed.ips[5]))
    }
}

enum PluginTestFailure: Error { case notATask }
