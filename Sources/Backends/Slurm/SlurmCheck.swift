import Foundation
import SkyProvision

/// `sky check slurm` for the cluster this machine's `slurm.conf` names: configuration found,
/// libslurm matches the headers, slurmctld reachable, partitions.
package struct SlurmCheck: Sendable, Hashable {
    package var configPath: String
    package var configFound: Bool
    /// `headers 22.05.08 (API 38), libslurm API 38` when the library loaded.
    package var version: String?
    package var clusterName: String?
    package var controllerReachable: Bool
    /// Partition names, the default one marked with `*`.
    package var partitions: [String]
    package var error: String?

    package var ok: Bool { configFound && controllerReachable && error == nil }

    /// One line for `sky check`.
    package var summary: String {
        if let error { return error }
        return "slurmctld reachable, \(version ?? "?"), partitions: "
            + partitions.joined(separator: ", ")
    }

    package static func run(_ provisioner: SlurmProvisioner) async -> SlurmCheck {
        let path = SlurmClient.configPath(environment: provisioner.environment)
        var check = SlurmCheck(
            configPath: path, configFound: FileManager.default.isReadableFile(atPath: path),
            version: nil, clusterName: nil, controllerReachable: false, partitions: [],
            error: nil)
        let client: SlurmClient
        do {
            client = try SlurmClient(environment: provisioner.environment)
        } catch {
            check.error = error.description
            return check
        }
        check.version = client.version.description
        do {
            check.clusterName = try await client.clusterName()
            check.controllerReachable = true
            check.partitions = try await client.partitions().map {
                $0.isDefault ? $0.name + "*" : $0.name
            }
            if check.partitions.isEmpty { check.error = "slurmctld reports no partitions." }
        } catch {
            check.error = "slurmctld (\(path)) is not reachable: \(error.description)"
        }
        return check
    }
}
