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

    /// A provisioner as a laptop would have it: no SLURM_CONF, the bed's login config.
    static func provisioner(root: String) -> SlurmLoginProvisioner {
        var env = environment
        env["SLURM_CONF"] = nil
        env["HOME"] = root
        return SlurmLoginProvisioner(
            hostsFile: configFile, configFile: SlurmConfigFile(path: nil),
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
}
