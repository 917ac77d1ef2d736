/// How to reach one node of a cluster, as the head node's skylet (and the engine) see it.
/// Stored in `ClusterSpec` on the head node; rank order = head first.
public struct NodeEndpoint: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// A sandbox directory on the same machine (the `local` backend): commands run with
        /// `HOME` set to `home`.
        case local
        /// A host reached over ssh.
        case ssh
    }
    public var kind: Kind
    /// Internal IP (what `SKYPILOT_NODE_IPS` lists).
    public var ip: String
    /// Local backend: the node's home directory.
    public var home: String?
    /// SSH: login user, port and the private key's path *on the head node*.
    public var user: String?
    public var port: Int?
    public var identityFile: String?

    public init(
        kind: Kind, ip: String, home: String? = nil, user: String? = nil, port: Int? = nil,
        identityFile: String? = nil
    ) {
        self.kind = kind
        self.ip = ip
        self.home = home
        self.user = user
        self.port = port
        self.identityFile = identityFile
    }
}
