/// How to reach one node of a cluster, as the head node's skylet (and the engine) see it.
/// Stored in `ClusterSpec` on the head node; rank order = head first.
public struct NodeEndpoint: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// A sandbox directory on the same machine (the `local` backend): commands run with
        /// `HOME` set to `home`.
        case local
        /// A host reached over ssh.
        case ssh
        /// A node of a Slurm allocation, reached as a job step:
        /// `srun --overlap --jobid=<slurmJobID> -N1 -n1 -w <nodeName>` with `HOME` = `home`.
        case slurm
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
    /// Slurm: the node's name in the allocation and the allocation's job id.
    public var nodeName: String?
    public var slurmJobID: String?

    public init(
        kind: Kind, ip: String, home: String? = nil, user: String? = nil, port: Int? = nil,
        identityFile: String? = nil, nodeName: String? = nil, slurmJobID: String? = nil
    ) {
        self.kind = kind
        self.ip = ip
        self.home = home
        self.user = user
        self.port = port
        self.identityFile = identityFile
        self.nodeName = nodeName
        self.slurmJobID = slurmJobID
    }
}
