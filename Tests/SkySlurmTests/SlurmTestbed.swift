import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import Testing

@testable import SkySlurm

/// The Slurm test bed (`Tests/testbed/slurm.sh up`; `eval "$(Tests/testbed/slurm.sh env)"`).
enum SlurmTestbed {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var enabled: Bool { environment["SLURM_CONF"].map { !$0.isEmpty } ?? false }
    static let skipReason: Comment =
        "SLURM_CONF unset: run Tests/testbed/slurm.sh up and eval its env to test the Slurm backend"

    static func provisioner(
        timeout: Double = 60, options: SlurmSbatchOptions = SlurmSbatchOptions()
    ) -> SlurmProvisioner {
        SlurmProvisioner(
            settings: SlurmSettings(sbatchOptions: options, provisionTimeout: timeout),
            environment: environment)
    }

    /// A fresh cluster name on cloud for one test.
    static func clusterName(_ label: String) -> (String, String) {
        let display = "h8-\(label)-\(UInt32.random(in: 0..<UInt32.max) % 100_000)"
        return (display, ClusterNaming.nameOnCloud(display, userHash: "abcdef12", maxLength: 63))
    }

    static func config(
        _ names: (String, String), region: String, offering: Offering, count: Int,
        providerConfig: [String: String] = [:]
    ) -> ProvisionConfig {
        ProvisionConfig(
            clusterName: names.0, clusterNameOnCloud: names.1, region: region,
            zone: offering.zone, offering: offering, count: count, providerConfig: providerConfig)
    }

    /// `squeue -h -n <name>` lines (pending, running and completing jobs).
    static func squeue(_ name: String) async throws -> [String] {
        let result = try await ProcessExecution.run(
            ["squeue", "-h", "-n", name, "-o", "%i %T"], environment: environment)
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The directory holding the test binaries (and `sky-slurm-leakcheck`).
    static var productsDirectory: String {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(
                atPath: url.appendingPathComponent("sky-slurm-leakcheck").path)
            {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        return ""
    }
}
