/// `skylet start --submit`'s stdin: the cluster to set up and the first job to submit, so a
/// launch without files to sync is one call to the head.
public struct StartRequest: Codable, Sendable, Hashable {
    public var cluster: ClusterSpec
    public var job: JobSpec

    public init(cluster: ClusterSpec, job: JobSpec) {
        self.cluster = cluster
        self.job = job
    }
}
