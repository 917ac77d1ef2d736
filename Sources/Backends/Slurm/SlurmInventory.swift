import SkyCore

/// A snapshot of one Slurm cluster: partitions and their nodes with free / total CPUs,
/// memory and GPUs (from `slurm_load_partitions` + `slurm_load_node`).
package struct SlurmInventory: Sendable, Hashable, Codable {
    /// GPUs of one type in one partition.
    package struct GPUSummary: Sendable, Hashable, Codable {
        package var partition: String
        /// The GRES type (`a100`), `GPU` when untyped.
        package var type: String
        /// Most GPUs of this type on one node.
        package var perNode: Int
        package var total: Int
        package var free: Int
    }

    package var clusterName: String
    package var partitions: [SlurmPartition]
    package var nodes: [SlurmNode]

    package static let untypedGPU = "GPU"

    package var defaultPartition: SlurmPartition? {
        partitions.first(where: \.isDefault) ?? partitions.first
    }

    package func partition(named name: String) -> SlurmPartition? {
        partitions.first { $0.name == name }
    }

    package func nodes(in partition: SlurmPartition) -> [SlurmNode] {
        let names = Set(partition.nodes)
        return nodes.filter { names.contains($0.name) }
    }

    /// GPUs (total, free) of `type` on `node`; `type` matches case-insensitively, `GPU`
    /// matches untyped GRES.
    package static func gpus(_ node: SlurmNode, type: String) -> (total: Int, free: Int) {
        func count(_ gres: SlurmGres) -> Int {
            gres.gpus.filter { ($0.key ?? untypedGPU).lowercased() == type.lowercased() }
                .reduce(0) { $0 + $1.value }
        }
        let total = count(node.gres)
        return (total, max(0, total - count(node.gresUsed)))
    }

    /// GPU types per partition with per-node maximum, total and free counts.
    package var gpuSummary: [GPUSummary] {
        var out: [GPUSummary] = []
        for partition in partitions {
            let members = nodes(in: partition)
            let types = Set(members.flatMap { $0.gres.gpus.keys.map { $0 ?? Self.untypedGPU } })
            for type in types.sorted() {
                let counts = members.map { Self.gpus($0, type: type) }
                let usable = zip(members, counts).filter { $0.0.isUsable }.map(\.1)
                out.append(
                    GPUSummary(
                        partition: partition.name, type: type,
                        perNode: counts.map(\.total).max() ?? 0,
                        total: counts.reduce(0) { $0 + $1.total },
                        free: usable.reduce(0) { $0 + $1.free }))
            }
        }
        return out
    }
}
