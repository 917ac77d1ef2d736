import SkyProvision
import SkySlurm

/// `sky gpus list --infra slurm`: GPU types per partition from `slurm_load_node` /
/// `slurm_load_partitions`, with free / total counts.
extension SlurmProvisioner: LiveGPUInventory {
    package func liveGPUs() async throws -> [LiveGPUAvailability] {
        let inventory = try await inventory()
        return inventory.gpuSummary.map { summary in
            LiveGPUAvailability(
                cloud: name, region: inventory.clusterName, zone: summary.partition,
                accelerator: summary.type,
                perNode: LiveGPUAvailability.requestable(upTo: summary.perNode),
                free: summary.free, total: summary.total)
        }
    }
}
