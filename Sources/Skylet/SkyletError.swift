import Foundation
import Glibc

/// Errors of the on-node agent. Each description is a sentence the user can act on.
package enum SkyletError: Error, CustomStringConvertible {
    case spawnFailed(String, Int32)
    case noClusterSpec(String)
    case badInput(String)
    case jobNotFound(Int)
    case unschedulable(String)
    case database(String)
    case io(String)
    /// This skylet is not the engine's build (`skylet start` exits with `outdatedExitCode`).
    case outdated(installed: String?, expected: String)

    /// Whether this is `.outdated` (the binary must be installed first).
    package var isOutdated: Bool {
        if case .outdated = self { return true }
        return false
    }

    /// `skylet start`'s exit code when the binary must be installed first.
    package static let outdatedExitCode: Int32 = 3

    package var description: String {
        switch self {
        case .spawnFailed(let program, let code):
            "Could not start '\(program)': \(String(cString: strerror(code))). Check that it is installed on the node."
        case .noClusterSpec(let path):
            "No cluster description at \(path). Relaunch the cluster with 'sky launch' to write it."
        case .badInput(let message):
            "Invalid input: \(message)"
        case .jobNotFound(let id):
            "Job \(id) not found. List the jobs with 'sky queue'."
        case .unschedulable(let message):
            "The job can never run on this cluster: \(message). Launch a cluster with more resources."
        case .database(let message):
            "The job database failed: \(message)"
        case .io(let message):
            message
        case .outdated(let installed, let expected):
            "This skylet (sha256 \(installed ?? "unknown")) is not the engine's build (\(expected)); install it first."
        }
    }
}
