import Foundation
import Glibc

/// Errors of the on-node agent. Each description is a sentence the user can act on.
enum SkyletError: Error, CustomStringConvertible {
    case spawnFailed(String, Int32)
    case noClusterSpec(String)
    case badInput(String)
    case jobNotFound(Int)
    case unschedulable(String)
    case database(String)
    case io(String)

    var description: String {
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
        }
    }
}
