import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import Testing

@testable import SkySlurm

/// The login-node path: `~/.slurm/config` names the test bed's login node (its own network
/// namespace and sshd, user skyslurm); `sky-slurm-agent` runs there over ssh and libslurm
/// does the work there. This process's SLURM_CONF is not given to the provisioner.
enum SlurmLoginBed {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var configFile: String { environment["SLURM_TESTBED_LOGIN_CONFIG"] ?? "" }
    static var alias: String { environment["SLURM_TESTBED_LOGIN_HOST"] ?? "skytestbed" }
    static var agentPath: String { SlurmTestbed.productsDirectory + "/sky-slurm-agent" }
    static var enabled: Bool {
        FileManager.default.fileExists(atPath: configFile)
            && FileManager.default.isExecutableFile(atPath: agentPath)
    }
    static let skipReason: Comment =
        "No Slurm login node (SLURM_TESTBED_LOGIN_CONFIG) or sky-slurm-agent not built: Tests/testbed/slurm.sh up; eval its env"

    static func sha256(_ path: String) async throws -> String {
        String(try await ProcessExecution.run(["sha256sum", path]).stdout.prefix(64))
    }

    /// A connection as a new sky process would make it (the provisioner keeps one per process).
    static func connection(root: String) -> SlurmAgentConnection {
        var env = environment
        env["SLURM_CONF"] = nil
        env["HOME"] = root
        return SlurmAgentConnection(
            alias: alias, configFile: configFile, controlDirectory: root + "/cm",
            agent: SlurmBinarySource(locate: { agentPath }, sha256: { try await sha256($0) }),
            environment: env)
    }

    /// A provisioner as a laptop would have it: no SLURM_CONF, the bed's login config;
    /// `skyConfig`: a `~/.sky/config.yaml` with a `slurm:` section.
    static func provisioner(root: String, skyConfig: String? = nil) -> SlurmLoginProvisioner {
        var env = environment
        env["SLURM_CONF"] = nil
        env["HOME"] = root
        return SlurmLoginProvisioner(
            hostsFile: configFile, configFile: SlurmConfigFile(path: skyConfig),
            controlDirectory: root + "/cm",
            agent: SlurmBinarySource(locate: { agentPath }, sha256: { try await sha256($0) }),
            skylet: nil, environment: env)
    }
}

@Suite(
    "Slurm through a login node over ssh", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: SlurmLoginBed.enabled, SlurmLoginBed.skipReason))
struct SlurmLoginTests {
    @Test func checkInventoryAndOfferingsComeFromTheAgent() async throws {
        let root = "/tmp/sky-h8-login-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let provisioner = SlurmLoginBed.provisioner(root: root)
        let check = await provisioner.checkCredentials()
        #expect(check.enabled, "\(check.reason ?? "")")
        #expect(check.reason?.contains("\(SlurmLoginBed.alias): enabled.") == true)
        #expect(check.reason?.contains("debug*") == true)

        let inventory = try await provisioner.inventory(SlurmLoginBed.alias)
        #expect(inventory.clusterName == SlurmLoginBed.alias)
        #expect(inventory.nodes.count >= 2)
        #expect(inventory.gpuSummary.first { $0.type == "fake" }?.perNode == 2)

        let offerings = try await provisioner.offerings(
            for: Resources(cloud: "slurm", accelerator: .init(name: "fake", count: 1)))
        #expect(!offerings.isEmpty)
        #expect(offerings.allSatisfy { $0.region == SlurmLoginBed.alias && $0.zone == "debug" })
        await provisioner.closeConnections()
    }

    /// An allocation that waits says why, from the login node's agent (its `progress`
    /// notifications), and gives up after the provision timeout with Slurm's reason.
    @Test func aPendingAllocationReportsWhyItWaits() async throws {
        let root = "/tmp/sky-h8-login-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "slurm:\n  provision_timeout: 3\n".write(
            toFile: root + "/config.yaml", atomically: true, encoding: .utf8)
        // Every node held, outside Sky.
        let hold = try await ProcessExecution.run(
            ["salloc", "-N4", "--exclusive", "--no-shell"], environment: SlurmTestbed.environment)
        let holder = try #require(
            hold.stderr.split(separator: " ").last.map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }, "\(hold.stderr)")
        defer {
            _ = try? Process.run(URL(fileURLWithPath: "/usr/bin/scancel"), arguments: [holder])
        }
        let provisioner = SlurmLoginBed.provisioner(root: root, skyConfig: root + "/config.yaml")
        let offering = try #require(
            try await provisioner.offerings(for: Resources(cloud: "slurm", cpus: .init(1))).first)
        let config = SlurmTestbed.config(
            SlurmTestbed.clusterName("lpend"), region: offering.region, offering: offering,
            count: 1)
        let progress = Lines()
        let error = await #expect(throws: ProvisionError.self) {
            try await ProvisionProgress.$current.withValue(
                ProvisionProgress { progress.append($0) }
            ) {
                _ = try await provisioner.runInstances(config)
                try await provisioner.waitInstances(ClusterLocator(config), state: .up)
            }
        }
        #expect(error?.code == "capacity", "\(String(describing: error))")
        #expect(
            progress.all.contains { $0.contains("is PENDING (reason Resources") },
            "\(progress.all)")
        try await provisioner.terminateInstances(ClusterLocator(config), workerOnly: false)
        await provisioner.closeConnections()
    }

    @Test func unknownClusterIsRefusedByName() async throws {
        let root = "/tmp/sky-h8-login-\(UUID().uuidString.prefix(6))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let provisioner = SlurmLoginBed.provisioner(root: root)
        await #expect(throws: ProvisionError.self) {
            _ = try await provisioner.inventory("no-such-cluster")
        }
    }

    /// Two launches installing a new skylet build into the shared `~/.sky/bin` on the login
    /// node at once: both succeed and the file is the complete binary.
    @Test func concurrentRemoteInstallsLeaveOneCompleteBinary() async throws {
        let root = "/tmp/sky-h8-login-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let provisioner = SlurmLoginBed.provisioner(root: root)
        let connection = try provisioner.connection(SlurmLoginBed.alias)
        let runner = try await connection.loginRunner()
        let (source, hash) = try await SlurmBinaryInstallTests.makeBinary(in: root, seed: 3)
        let directory = ".sky/h8-install-test-\(UUID().uuidString.prefix(6))"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await SlurmBinaryInstall.installRemote(
                        source: source, hash: hash, remoteDirectory: directory, name: "skylet",
                        runner: runner)
                }
            }
            for try await _ in group {}
        }
        let sum = try await runner.run(
            [
                "sh", "-c", "sha256sum \"$1/skylet\"; cat \"$1/skylet.sha256\"; ls -A \"$1\"", "sh",
                directory,
            ],
            stdin: nil, environment: [:])
        let lines = sum.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix(hash) == true, "\(sum.stdout) \(sum.stderr)")
        #expect(lines.dropFirst().first == hash)
        #expect(Array(lines.dropFirst(2)) == ["skylet", "skylet.sha256"])
        _ = try await runner.run(["rm", "-rf", directory], stdin: nil, environment: [:])
        await provisioner.closeConnections()
    }

    /// The first command starts the agent over ssh, which starts the listener; the master
    /// forwards its socket, and the next commands (new connections, as new sky processes make)
    /// reach it without an ssh session. A listener that is gone, or a master that was closed,
    /// sends the next command back over ssh, which sets both up again.
    @Test func laterCommandsReachTheAgentKeptRunningOnTheLoginNode() async throws {
        let root = "/tmp/sky-h8-login-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        func checked(_ connection: SlurmAgentConnection) async throws -> Bool {
            let reply = try await connection.call(
                "checkCredentials", params: [(SlurmAgentWire.settingsKey, .null)], deadline: 30)
            #expect(reply["enabled"] == .bool(true), "\(reply)")
            return await connection.viaListener
        }
        let first = SlurmLoginBed.connection(root: root)
        #expect(try await checked(first) == false)
        let sockets = try FileManager.default.contentsOfDirectory(atPath: root + "/cm")
            .filter { $0.hasPrefix("slurm-agent-") && $0.hasSuffix(".sock") }
        #expect(sockets.count == 1, "\(sockets)")
        let second = SlurmLoginBed.connection(root: root)
        #expect(try await checked(second) == true)

        // The listener's socket removed on the login node: it stops accepting at once.
        let runner = try await first.loginRunner()
        let removed = try await runner.run(
            ["sh", "-c", "rm -f \"$HOME\"/.sky/run/sky-slurm-agent-*.sock"], stdin: nil,
            environment: [:])
        #expect(removed.exitCode == 0)
        let third = SlurmLoginBed.connection(root: root)
        #expect(try await checked(third) == false)
        let fourth = SlurmLoginBed.connection(root: root)
        #expect(try await checked(fourth) == true)

        // The master closed (and its forward with it): over ssh once more, then forwarded.
        for connection in [first, second, third, fourth] { await connection.close() }
        let fifth = SlurmLoginBed.connection(root: root)
        #expect(try await checked(fifth) == false)
        let sixth = SlurmLoginBed.connection(root: root)
        #expect(try await checked(sixth) == true)

        // A login node that refused the forward (the probe after setting it up failed): its
        // commands stay on ssh for an hour. The forwards above were never taken as refused.
        let marker = SlurmAgentConnection.refusalMarker(root + "/cm/" + sockets[0])
        #expect(!FileManager.default.fileExists(atPath: marker))
        _ = FileManager.default.createFile(atPath: marker, contents: nil)
        let seventh = SlurmLoginBed.connection(root: root)
        #expect(try await checked(seventh) == false)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: marker)
        let eighth = SlurmLoginBed.connection(root: root)
        #expect(try await checked(eighth) == true)
        for connection in [fifth, sixth, seventh, eighth] { await connection.close() }
    }

    /// Several commands that find no listener at once: one sets the forward up, the others
    /// leave it (none cancels it under another's probe); the next command uses it.
    @Test func commandsSettingUpTheForwardAtOnceLeaveOneThatWorks() async throws {
        let root = "/tmp/sky-h8-login-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let connections = (0..<3).map { _ in SlurmLoginBed.connection(root: root) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connection in connections {
                group.addTask {
                    _ = try await connection.call(
                        "checkCredentials", params: [(SlurmAgentWire.settingsKey, .null)],
                        deadline: 30)
                }
            }
            try await group.waitForAll()
        }
        let later = SlurmLoginBed.connection(root: root)
        _ = try await later.call(
            "checkCredentials", params: [(SlurmAgentWire.settingsKey, .null)], deadline: 30)
        #expect(await later.viaListener)
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/cm")
        #expect(!files.contains { $0.hasSuffix(".refused") }, "\(files)")
        for connection in connections + [later] { await connection.close() }
    }
}
