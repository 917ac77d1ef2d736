/// The status of one instance as a backend reports it (reference 3.1), mapped to the
/// cluster statuses the engine keeps. A terminated instance is simply absent.
public enum InstanceStatus: String, Codable, Sendable, Hashable {
    /// Being created or in an abnormal state.
    case initializing = "INIT"
    case up = "UP"
    case stopped = "STOPPED"
}

/// One instance as `queryInstances` sees it.
public struct InstanceState: Codable, Sendable, Hashable {
    public var instanceID: String
    /// nil = terminating or terminated.
    public var status: InstanceStatus?
    /// Why, when the backend tells (e.g. "host unreachable").
    public var reason: String?

    public init(instanceID: String, status: InstanceStatus?, reason: String? = nil) {
        self.instanceID = instanceID
        self.status = status
        self.reason = reason
    }
}
