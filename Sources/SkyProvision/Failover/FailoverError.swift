/// The failover loop's final error.
public enum FailoverError: Error, CustomStringConvertible, Sendable {
    /// Every candidate failed or was blocked (SkyPilot's ResourcesUnavailableError).
    case exhausted(cluster: String, history: [FailoverAttempt])
    /// No candidate to try at all.
    case noCandidates(cluster: String)
    /// Cleaning up a failed attempt failed: stop rather than leak more.
    case teardownFailed(cluster: String, attempt: FailoverAttempt, cleanup: ProvisionError)

    public var history: [FailoverAttempt] {
        switch self {
        case .exhausted(_, let history): history
        case .noCandidates: []
        case .teardownFailed(_, let attempt, _): [attempt]
        }
    }

    public var description: String {
        switch self {
        case .exhausted(let cluster, let history):
            let lines = history.enumerated().map { "  \($0.offset + 1). \($0.element)" }
            return "Failed to provision cluster '\(cluster)' on every candidate:\n"
                + lines.joined(separator: "\n")
                + "\nTry other infra (--infra), fewer resources, or --retry-until-up."
        case .noCandidates(let cluster):
            return "No infra can run cluster '\(cluster)' with the requested resources. "
                + "Run 'sky check' and 'sky gpus list' to see what is available."
        case .teardownFailed(let cluster, let attempt, let cleanup):
            return "Provisioning '\(cluster)' failed (\(attempt)) and cleaning up the failed "
                + "attempt also failed: \(cleanup.message). Run 'sky down \(cluster)' to retry "
                + "the cleanup."
        }
    }
}
