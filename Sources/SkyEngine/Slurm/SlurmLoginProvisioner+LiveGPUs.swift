import SkyProvision
import SkySlurm

/// `sky gpus list --infra slurm` through the login nodes' agents: GPU types per partition of
/// each cluster of `~/.slurm/config`, with free / total counts from libslurm there.
extension SlurmLoginProvisioner: LiveGPUInventory {
    package func liveGPUs() async throws -> [LiveGPUAvailability] {
        var out: [LiveGPUAvailability] = []
        for alias in try aliases() {
            let inventory = try await inventory(alias)
            out += inventory.gpuSummary.map { summary in
                LiveGPUAvailability(
                    cloud: name, region: inventory.clusterName, zone: summary.partition,
                    accelerator: summary.type,
                    perNode: LiveGPUAvailability.requestable(upTo: summary.perNode),
                    free: summary.free, total: summary.total)
            }
        }
        return out
    }
}
