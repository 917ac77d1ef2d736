/// The client-side status of a cluster (reference 3.1). A terminated cluster has no record.
package enum ClusterStatus: String, Codable, Sendable, CaseIterable {
    /// Provisioning started and is not known to have finished; also "abnormal".
    case initializing = "INIT"
    case up = "UP"
    case stopped = "STOPPED"
    /// Pre-stop hooks are running; the record's `toDown` tells stop from down.
    case autostopping = "AUTOSTOPPING"

    /// Whether the cluster's instances are running (and billed) in this status.
    package var isBilled: Bool { self != .stopped }
}
