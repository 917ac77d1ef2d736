/// Errors of the engine's cluster lifecycle operations. Each is a sentence a user can act on.
package enum EngineError: Error, CustomStringConvertible {
    case clusterNotFound(String)
    case invalidClusterName(String)
    case lockFailed(cluster: String, path: String)
    case unsupported(cluster: String, backend: String, operation: String)
    case wrongStatus(cluster: String, status: String, operation: String)
    case incompatibleCluster(cluster: String, reason: String)
    case runtime(cluster: String, reason: String)
    case invalidArgument(String)

    package var description: String {
        switch self {
        case .clusterNotFound(let name):
            "Cluster '\(name)' does not exist. Run 'sky status' to see your clusters."
        case .invalidClusterName(let name):
            "Invalid cluster name '\(name)': use letters, digits, '-', '_' and '.', starting "
                + "with a letter and ending with a letter or digit."
        case .lockFailed(let cluster, let path):
            "Cannot take the lock of cluster '\(cluster)' (\(path)); check that SKY_HOME is writable."
        case .unsupported(let cluster, let backend, let operation):
            "Cannot \(operation) cluster '\(cluster)': the \(backend) backend does not support it."
                + (operation == "stop" ? " Use 'sky down' to tear it down instead." : "")
                + (operation == "autostop" ? " Use --down to tear it down when idle instead." : "")
        case .wrongStatus(let cluster, let status, let operation):
            "Cannot \(operation) cluster '\(cluster)' while it is \(status)."
        case .incompatibleCluster(let cluster, let reason):
            "Cluster '\(cluster)' cannot run this task: \(reason). Use another cluster name (-c) "
                + "or 'sky down \(cluster)' first."
        case .runtime(let cluster, let reason):
            "Setting up the runtime on cluster '\(cluster)' failed: \(reason)"
        case .invalidArgument(let message):
            message
        }
    }
}
