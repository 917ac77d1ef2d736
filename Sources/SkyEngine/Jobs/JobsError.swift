/// Errors of submitting jobs and talking to a cluster's skylet.
package enum JobsError: Error, CustomStringConvertible {
    case skylet(node: String, command: String, detail: String)
    case clusterNotFound(String)
    case clusterNotUp(String, status: String)
    case jobNotFound(cluster: String, jobID: Int)
    case noJobs(String)
    case installFailed(node: String, detail: String)
    case binaryNotFound(String)

    package var description: String {
        switch self {
        case .skylet(let node, let command, let detail):
            "The skylet on \(node) failed to \(command): \(detail)"
        case .clusterNotFound(let name):
            "Cluster \(name) does not exist. See 'sky status' for your clusters, or create it with 'sky launch -c \(name)'."
        case .clusterNotUp(let name, let status):
            "Cluster \(name) is \(status), not UP. Start it with 'sky start \(name)'."
        case .jobNotFound(let cluster, let id):
            "Job \(id) not found on cluster \(cluster). See 'sky queue \(cluster)'."
        case .noJobs(let cluster):
            "Cluster \(cluster) has no jobs yet. Submit one with 'sky exec \(cluster) task.yaml'."
        case .installFailed(let node, let detail):
            "Could not install the skylet on \(node): \(detail)"
        case .binaryNotFound(let path):
            "The skylet binary was not found (looked at \(path)). Build it with 'swift build --product skylet' or set SKY_SKYLET_BINARY."
        }
    }
}
