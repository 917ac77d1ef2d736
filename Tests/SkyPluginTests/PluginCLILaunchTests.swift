import Foundation
import Testing

/// The built `sky` binary (`.build/debug/sky`) run as a child process.
enum SkyBinary {
    static var path: String { PluginFixture.repoRoot + "/.build/debug/sky" }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var all: String { stdout + "\n" + stderr }
    }

    /// Runs `sky arguments...` with `environment` (output to files: a large output never blocks).
    static func run(_ arguments: [String], environment: [String: String], in directory: String)
        throws -> Result
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = directory + "/sky-\(UUID().uuidString.prefix(6)).out"
        let err = out + ".err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: out, encoding: .utf8),
            stderr: try String(contentsOfFile: err, encoding: .utf8))
    }
}

/// `sky launch task.yaml` with `infra: inventory/lab` in the file, through the CLI. Part of the
/// serialized `PluginLaunchTests` suite: both lease the same testbed hosts.
extension PluginLaunchTests {
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: SkyBinary.path),
            "no .build/debug/sky: run `swift build --product sky`"))
    func skyLaunchWithInfraPluginInTheYAMLRunsAJob() throws {
        let fx = try PluginFixture(tag: "cli")
        defer { fx.cleanUp() }
        try PluginTestbed.inventory(hosts: [6]).write(
            toFile: fx.root + "/inv.json", atomically: true, encoding: .utf8)
        try """
        name: through-plugin
        resources:
          infra: inventory/lab
        run: echo "cli-plugin-node $(whoami) $SKYPILOT_NODE_RANK of $SKYPILOT_NUM_NODES"
        """.write(toFile: fx.root + "/task.yaml", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = fx.root + "/home"
        env["SKY_HOME"] = fx.root + "/sky"
        env["USER"] = "tester"
        env["SKY_PLUGIN_PATH"] = PluginFixture.repoRoot + "/plugins/python-inventory"
        env["SKY_INVENTORY_FILE"] = fx.root + "/inv.json"
        env["SKY_INVENTORY_LEASES"] = fx.root + "/leases.json"

        // A typo names the plugin in its suggestion; nothing is launched.
        try "resources:\n  infra: inventori\n".write(
            toFile: fx.root + "/typo.yaml", atomically: true, encoding: .utf8)
        let typo = try SkyBinary.run(
            ["launch", "-y", "-c", "plugtypo", "typo.yaml"], environment: env, in: fx.root)
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("did you mean 'inventory'?"), "\(typo.all)")

        let launch = try SkyBinary.run(
            ["launch", "-y", "-c", "plugcli", "task.yaml"], environment: env, in: fx.root)
        defer { _ = try? SkyBinary.run(["down", "-y", "plugcli"], environment: env, in: fx.root) }
        #expect(launch.status == 0, "sky launch:\n\(launch.all)")
        #expect(launch.all.contains("cli-plugin-node sky7 0 of 1"), "\(launch.all)")
        // The plugin's `progress` notification is shown.
        #expect(
            launch.stderr.contains(
                "inventory runInstances: 1 host(s) leased in region lab, 0 reused"),
            "\(launch.stderr)")
        let leases = try String(contentsOfFile: fx.root + "/leases.json", encoding: .utf8)
        #expect(leases.contains("\"\(PluginTestbed.ips[6]):22\""))

        let status = try SkyBinary.run(["status", "-o", "json"], environment: env, in: fx.root)
        #expect(
            status.stdout.contains("\"cloud\" : \"inventory\"")
                || status.stdout.contains("\"cloud\": \"inventory\""), "\(status.all)")

        let down = try SkyBinary.run(["down", "-y", "plugcli"], environment: env, in: fx.root)
        #expect(down.status == 0, "\(down.all)")
        let after = try String(contentsOfFile: fx.root + "/leases.json", encoding: .utf8)
        #expect(!after.contains(PluginTestbed.ips[6]))
    }
}
