import SkyCore

/// A backend that creates and manages a cluster's nodes (reference 5.1). Built-in backends
/// conform directly; out-of-process plugins are wrapped into one. Every method is idempotent:
/// the engine may call it again after a crash or a retry.
///
/// `offerings(for:)` (from `OfferingSource`) is the live inventory the optimizer ranks.
public protocol Provisioner: OfferingSource {
    /// Lower-case backend name (`local`, `ssh`, `aws`...).
    var name: String { get }
    var capabilities: Set<ProvisionCapability> { get }
    /// Longest `clusterNameOnCloud` the backend accepts.
    var maxClusterNameLength: Int { get }
    /// The optimizer ranks this backend's `offerings(for:)` (live inventory: local, SSH pools,
    /// Slurm, Kubernetes, plugins) instead of a price catalog.
    var offersLiveInventory: Bool { get }

    /// Backend settings a task asks for (its `config:` section and resources such as
    /// `image_id`), passed to `bootstrap` / `runInstances` as `ProvisionConfig.providerConfig`.
    /// Never secrets. Throws when the task's settings are invalid for this backend.
    func providerConfig(resources: Resources, taskConfig: JSONValue?) throws(ProvisionError)
        -> [String: String]

    /// Probes credentials / configuration without creating anything.
    func checkCredentials() async -> CredentialCheck
    /// Creates or reuses cheap auxiliaries (networks, keys); returns the updated config.
    func bootstrap(_ config: ProvisionConfig) async throws(ProvisionError) -> ProvisionConfig
    /// Starts or resumes nodes until `config.count` run. Reuses what exists.
    func runInstances(_ config: ProvisionConfig) async throws(ProvisionError) -> ProvisionRecord
    /// Waits until every node reaches `state` (nil = terminated).
    func waitInstances(_ cluster: ClusterLocator, state: InstanceStatus?)
        async throws(ProvisionError)
    /// Every known node of the cluster and its status.
    func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError) -> [InstanceState]
    /// How to reach the running nodes, head first.
    func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError) -> ClusterInfo
    func stopInstances(_ cluster: ClusterLocator, workerOnly: Bool) async throws(ProvisionError)
    func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    func openPorts(_ cluster: ClusterLocator, ports: [String]) async throws(ProvisionError)
    func cleanupPorts(_ cluster: ClusterLocator, ports: [String]) async throws(ProvisionError)
    /// Endpoints per port (`host:port` strings).
    func queryPorts(_ cluster: ClusterLocator, ports: [String], headIP: String?)
        async throws(ProvisionError) -> [String: [String]]
}

extension Provisioner {
    public var cloud: String { name }
    public var maxClusterNameLength: Int { 63 }
    public var offersLiveInventory: Bool { false }

    public func providerConfig(resources: Resources, taskConfig: JSONValue?)
        throws(ProvisionError) -> [String: String]
    { [:] }

    public func bootstrap(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionConfig
    { config }

    public func waitInstances(_ cluster: ClusterLocator, state: InstanceStatus?)
        async throws(ProvisionError)
    {}

    public func stopInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        throw .unsupported("The \(name) backend cannot stop clusters; use 'sky down' instead.")
    }

    public func openPorts(_ cluster: ClusterLocator, ports: [String]) async throws(ProvisionError) {
        guard ports.isEmpty else {
            throw .unsupported("The \(name) backend cannot open ports.")
        }
    }

    public func cleanupPorts(_ cluster: ClusterLocator, ports: [String])
        async throws(ProvisionError)
    {}

    /// Default: every port is reached on the head's address.
    public func queryPorts(_ cluster: ClusterLocator, ports: [String], headIP: String?)
        async throws(ProvisionError) -> [String: [String]]
    {
        guard let headIP else { return [:] }
        var result: [String: [String]] = [:]
        for port in ports { result[port] = ["\(headIP):\(port)"] }
        return result
    }

    public func supports(_ capability: ProvisionCapability) -> Bool {
        capabilities.contains(capability)
    }

    /// Throws `.unsupported` with a clear message when the capability is missing.
    public func require(_ capability: ProvisionCapability, for operation: String)
        throws(ProvisionError)
    {
        guard supports(capability) else {
            throw .unsupported(
                "The \(name) backend does not support \(operation) (no '\(capability.rawValue)' capability)."
            )
        }
    }
}
