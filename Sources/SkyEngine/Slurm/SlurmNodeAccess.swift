import SkyCore
import SkyProvision
import SkySlurm

/// How the head's skylet reaches the nodes of a Slurm cluster: job steps in the allocation
/// (`NodeEndpoint.Kind.slurm`), with the cluster's directory as every node's home.
enum SlurmNodeAccess {
    /// The endpoint of `instance`, or nil when `info` is not a Slurm allocation.
    static func endpoint(_ instance: InstanceInfo, info: ClusterInfo) -> NodeEndpoint? {
        guard info.provider == SlurmProvisioner.backendName,
            let jobID = info.providerConfig[SlurmProvisioner.jobIDKey]
        else { return nil }
        return NodeEndpoint(
            kind: .slurm, ip: instance.internalIP, home: instance.home,
            nodeName: instance.nodeName ?? instance.instanceID, slurmJobID: jobID)
    }
}
