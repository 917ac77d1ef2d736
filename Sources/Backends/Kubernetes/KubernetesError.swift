/// Errors of the Kubernetes backend's kubectl transport.
package enum KubernetesError: Error, CustomStringConvertible {
    /// kubectl could not be started.
    case kubectlMissing(String)
    /// kubectl exited non-zero.
    case kubectlFailed(command: String, detail: String)
    /// kubectl printed something unexpected.
    case badResponse(String)

    package var description: String {
        switch self {
        case .kubectlMissing(let detail):
            "Cannot run kubectl (\(detail)). Install kubectl or set $KUBECTL to its path."
        case .kubectlFailed(let command, let detail):
            "'\(command)' failed: \(detail.isEmpty ? "no error text" : detail)"
        case .badResponse(let detail):
            "Unexpected kubectl output: \(detail)."
        }
    }

    /// Whether the API server rejected our credentials (401/403).
    package var isAuthFailure: Bool {
        guard case .kubectlFailed(_, let detail) = self else { return false }
        return detail.contains("Unauthorized") || detail.contains("Forbidden")
            || detail.contains("forbidden") || detail.contains("You must be logged in")
    }
}
