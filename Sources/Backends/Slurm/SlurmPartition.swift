/// One partition as `slurm_load_partitions` reports it.
package struct SlurmPartition: Sendable, Hashable, Codable {
    package var name: String
    /// Host list expression of the partition's nodes.
    package var nodeList: String
    /// `nodeList` expanded.
    package var nodes: [String]
    package var totalNodes: Int
    package var totalCPUs: Int
    package var isDefault: Bool
    /// Whether jobs can be submitted and started (`state_up` is UP).
    package var isUp: Bool
    /// `MaxTime` in minutes; nil = UNLIMITED.
    package var maxTimeMinutes: UInt32?
}
