import Foundation
import SkyProvision

/// A local executable that Sky copies to a Slurm cluster (the skylet, the login node's
/// agent): where it is, and its sha256 (the engine caches hashes; hashing a static binary
/// costs about half a second). Both are closures so that building a backend does no I/O.
package struct SlurmBinarySource: Sendable {
    package let locate: @Sendable () -> String
    package let sha256: @Sendable (String) async throws -> String

    package init(
        locate: @escaping @Sendable () -> String,
        sha256: @escaping @Sendable (String) async throws -> String
    ) {
        self.locate = locate
        self.sha256 = sha256
    }

    /// The local build and its hash, or nil when it is missing (whoever needs it on the
    /// cluster reports that, e.g. the runtime set-up for the skylet).
    package func build() async throws(ProvisionError) -> (path: String, hash: String)? {
        let path = locate()
        guard FileManager.default.isExecutableFile(atPath: path) else { return nil }
        do {
            return (path, try await sha256(path))
        } catch {
            throw .internal("Cannot hash \(path): \(error)")
        }
    }
}
