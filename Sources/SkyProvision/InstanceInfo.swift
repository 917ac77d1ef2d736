/// One node of a running cluster (reference 5.1).
public struct InstanceInfo: Codable, Sendable, Hashable {
    public var instanceID: String
    public var internalIP: String
    public var externalIP: String?
    public var sshPort: Int
    /// Login user for ssh, when it differs per node (SSH pools).
    public var sshUser: String?
    /// Private key for ssh to this node, when it differs per node.
    public var identityFile: String?
    /// Local backend: the node's home directory.
    public var home: String?
    /// Human-readable node name (`node0`, host name).
    public var nodeName: String?
    public var tags: [String: String]

    public init(
        instanceID: String, internalIP: String, externalIP: String? = nil, sshPort: Int = 22,
        sshUser: String? = nil, identityFile: String? = nil, home: String? = nil,
        nodeName: String? = nil, tags: [String: String] = [:]
    ) {
        self.instanceID = instanceID
        self.internalIP = internalIP
        self.externalIP = externalIP
        self.sshPort = sshPort
        self.sshUser = sshUser
        self.identityFile = identityFile
        self.home = home
        self.nodeName = nodeName
        self.tags = tags
    }

    /// The address to reach the node from here: external when there is one.
    public var reachableIP: String { externalIP ?? internalIP }
}
