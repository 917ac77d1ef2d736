import Foundation

/// Errors of the Kubernetes client. API errors carry the server's `Status` object.
package enum KubeError: Error, CustomStringConvertible, Sendable {
    /// The kubeconfig (or in-cluster files) could not be used.
    case config(String)
    /// The API server answered with an error `Status`.
    case api(KubeStatus)
    /// The request did not reach the server or the connection broke.
    case transport(String)
    /// The server's answer was not what the request expected.
    case decoding(what: String, detail: String)
    /// An exec credential plugin failed.
    case credentialPlugin(command: String, detail: String)

    package var description: String {
        switch self {
        case .config(let detail):
            return "Cannot use the Kubernetes configuration: \(detail)"
        case .api(let status):
            return
                "Kubernetes API error \(status.code ?? 0) \(status.reason ?? "Failure"): \(status.message ?? "no message")"
        case .transport(let detail):
            return
                "Cannot reach the Kubernetes API server: \(detail). Check the server address and that it is up (kubectl cluster-info)."
        case .decoding(let what, let detail):
            return "Unexpected answer from the Kubernetes API server for \(what): \(detail)"
        case .credentialPlugin(let command, let detail):
            return
                "The kubeconfig's credential plugin '\(command)' failed: \(detail). Run it by hand to see why."
        }
    }

    /// The HTTP code of an API error (404, 409, 410, ...), nil for other errors.
    package var code: Int? {
        if case .api(let status) = self { return status.code }
        return nil
    }

    package var isNotFound: Bool { code == 404 }
    package var isConflict: Bool { code == 409 }
    /// 410 Gone / Expired: a watch's resourceVersion is too old; relist.
    package var isExpired: Bool { code == 410 || (code == nil && reason == "Expired") }
    package var reason: String? {
        if case .api(let status) = self { return status.reason }
        return nil
    }
}
