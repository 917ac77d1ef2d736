/// Errors of the operator.
package enum OperatorError: Error, CustomStringConvertible {
    case submitFailed(cluster: String, detail: String)
    case invalidFlag(String)
    case leadershipLost(String)
    case launchStillRunning(String)

    package var description: String {
        switch self {
        case .submitFailed(let cluster, let detail):
            return "Could not submit the job to cluster \(cluster): \(detail)."
        case .invalidFlag(let detail):
            return "Invalid option: \(detail). Run 'sky-operator --help'."
        case .leadershipLost(let identity):
            return
                "Leadership lost by \(identity) (the lease was not renewed in time); exiting so a fresh replica takes over."
        case .launchStillRunning(let cluster):
            return
                "The launch of cluster \(cluster) did not stop when cancelled; the teardown waits for it and is retried."
        }
    }
}
