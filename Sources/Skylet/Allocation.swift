import SkyCore

/// Resources the scheduler granted a job on each of its nodes.
struct Allocation: Codable, Sendable, Hashable {
    struct Node: Codable, Sendable, Hashable {
        var rank: Int
        var cpus: Double
        /// GPU indices on the node (what `CUDA_VISIBLE_DEVICES` lists).
        var gpus: [Int]
        /// Share of each listed GPU the job holds (1 = whole GPUs; < 1 = a fraction of one).
        var gpuShare: Double
    }
    var nodes: [Node]
}

/// Free capacity of every node, as the sum of active allocations leaves it.
struct Capacity: Sendable {
    var freeCPUs: [Double]
    /// Per node, per GPU index: the free share (1 = unused).
    var freeGPUs: [[Double]]

    init(cluster: ClusterSpec, active: [Allocation]) {
        let count = cluster.nodes.count
        let gpuCount = max(0, Int(cluster.gpusPerNode.rounded(.down)))
        freeCPUs = Array(repeating: cluster.cpusPerNode, count: count)
        freeGPUs = Array(repeating: Array(repeating: 1.0, count: gpuCount), count: count)
        for allocation in active { take(allocation) }
    }

    mutating func take(_ allocation: Allocation) {
        for node in allocation.nodes where node.rank < freeCPUs.count {
            freeCPUs[node.rank] -= node.cpus
            for gpu in node.gpus where gpu < freeGPUs[node.rank].count {
                freeGPUs[node.rank][gpu] -= node.gpuShare
            }
        }
    }

    /// An allocation for a job needing `cpus` and `gpus` on each of ranks 0..<numNodes, or nil
    /// when the free capacity cannot hold it now.
    func fit(numNodes: Int, cpus: Double, gpus: Double) -> Allocation? {
        guard numNodes <= freeCPUs.count else { return nil }
        let epsilon = 1e-9
        var nodes: [Allocation.Node] = []
        for rank in 0..<numNodes {
            guard freeCPUs[rank] + epsilon >= cpus else { return nil }
            let free = freeGPUs[rank]
            var chosen: [Int] = []
            var share = 1.0
            if gpus > 0 && gpus < 1 {
                // A fraction of one GPU: the fullest GPU that still has room (packs fractions).
                let candidates = free.indices.filter { free[$0] + epsilon >= gpus }
                guard let best = candidates.min(by: { free[$0] < free[$1] }) else { return nil }
                chosen = [best]
                share = gpus
            } else if gpus >= 1 {
                let need = Int(gpus.rounded(.up))
                chosen = Array(free.indices.filter { free[$0] + epsilon >= 1 }.prefix(need))
                guard chosen.count == need else { return nil }
            }
            nodes.append(Allocation.Node(rank: rank, cpus: cpus, gpus: chosen, gpuShare: share))
        }
        return Allocation(nodes: nodes)
    }

    /// Why a job can never fit on an empty cluster, or nil when it can.
    static func impossibility(cluster: ClusterSpec, numNodes: Int, cpus: Double, gpus: Double)
        -> String?
    {
        if numNodes > cluster.nodes.count {
            return "it needs \(numNodes) nodes and the cluster has \(cluster.nodes.count)"
        }
        if cpus > cluster.cpusPerNode + 1e-9 {
            return "it needs \(cpus) CPUs per node and the nodes have \(cluster.cpusPerNode)"
        }
        if gpus > cluster.gpusPerNode.rounded(.down) + 1e-9 {
            return "it needs \(gpus) GPUs per node and the nodes have \(cluster.gpusPerNode)"
        }
        return nil
    }
}
