/// One compute node as `slurm_load_node` reports it.
package struct SlurmNode: Sendable, Hashable, Codable {
    package var name: String
    /// `node_addr`: the address other nodes reach it at.
    package var address: String
    package var hostname: String
    /// `node_state & NODE_STATE_BASE` (`enum node_states`: UNKNOWN 0, DOWN 1, IDLE 2,
    /// ALLOCATED 3, ERROR 4, MIXED 5, FUTURE 6).
    package var baseState: UInt32
    /// `slurm_node_state_string(node_state)` (`IDLE`, `MIXED`, `DOWN+DRAIN`...).
    package var stateText: String
    /// Drained, draining, failed, not responding, powered down or being rebooted.
    package var unavailableFlags: Bool
    package var cpus: Int
    package var allocatedCPUs: Int
    package var memoryMB: UInt64
    package var allocatedMemoryMB: UInt64
    /// `gres` (`gpu:fake:2`), `gres_used` (`gpu:fake:1(IDX:0)`).
    package var gres: SlurmGres
    package var gresUsed: SlurmGres

    /// Whether the scheduler can place new work on the node.
    package var isUsable: Bool {
        !unavailableFlags && [2, 3, 5].contains(baseState)
    }

    package var freeCPUs: Int { max(0, cpus - allocatedCPUs) }
}
