import CSlurm
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Direct libslurm calls. Every message libslurm allocates is copied into Swift values and
/// freed exactly once, in the function that loaded it (`defer`). libslurm keeps global state
/// and is not thread-safe in places: only `SlurmClient` calls these, one at a time on its
/// serial queue, after `slurm_init`.
enum SlurmAPI {
    // Function-like macros (`SLURM_BIT(n)`) are not imported into Swift.
    static let jobCompleting = UInt32(1) << 15
    static let nodeUnavailableFlags =
        (UInt32(1) << 9) | (UInt32(1) << 11) | (UInt32(1) << 12) | (UInt32(1) << 13)
        | (UInt32(1) << 20)
    static let showAll = UInt16(SHOW_ALL)
    static let showDetail = UInt16(SHOW_DETAIL)

    static func lastError(_ function: String) -> SlurmError {
        let code = sky_slurm_get_errno()
        return .call(function: function, code: code, message: message(for: code))
    }

    static func message(for code: Int32) -> String {
        guard let text = sky_slurm_strerror(code) else { return "unknown error" }
        return String(cString: text)
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        let value = String(cString: pointer)
        return value.isEmpty || value == "(null)" ? nil : value
    }

    // MARK: Host lists

    /// Expands `node[1-3],gpu7` (slurm_hostlist_create / shift / destroy).
    static func expandHostList(_ expression: String) -> [String] {
        guard !expression.isEmpty, let list = sky_slurm_hostlist_create(expression) else {
            return []
        }
        defer { sky_slurm_hostlist_destroy(list) }
        var out: [String] = []
        while let host = sky_slurm_hostlist_shift(list) {
            out.append(String(cString: host))
            free(host)  // slurm_hostlist_shift's result is malloc'd for the caller.
        }
        return out
    }

    // MARK: Jobs

    /// The job, or nil when slurmctld no longer knows it.
    static func loadJob(id: UInt32) throws(SlurmError) -> SlurmJob? {
        var message: UnsafeMutablePointer<job_info_msg_t>? = nil
        let rc = sky_slurm_load_job(&message, id, showDetail)
        defer { if let message { sky_slurm_free_job_info_msg(message) } }
        guard rc == SLURM_SUCCESS else {
            let error = lastError("slurm_load_job")
            if error.code == Int32(ESLURM_INVALID_JOB_ID.rawValue) { return nil }
            throw error
        }
        guard let message else { return nil }
        return jobs(in: message).first { $0.id == id }
    }

    /// Every job slurmctld knows (including finished ones for `MinJobAge`).
    static func loadJobs() throws(SlurmError) -> [SlurmJob] {
        var message: UnsafeMutablePointer<job_info_msg_t>? = nil
        let rc = sky_slurm_load_jobs(0, &message, showAll)
        defer { if let message { sky_slurm_free_job_info_msg(message) } }
        guard rc == SLURM_SUCCESS, let message else { throw lastError("slurm_load_jobs") }
        return jobs(in: message)
    }

    /// Jobs of one user (cheaper than every job on a busy cluster).
    static func loadJobs(userID: UInt32) throws(SlurmError) -> [SlurmJob] {
        var message: UnsafeMutablePointer<job_info_msg_t>? = nil
        let rc = sky_slurm_load_job_user(&message, userID, showAll)
        defer { if let message { sky_slurm_free_job_info_msg(message) } }
        guard rc == SLURM_SUCCESS, let message else { throw lastError("slurm_load_job_user") }
        return jobs(in: message)
    }

    private static func jobs(in message: UnsafeMutablePointer<job_info_msg_t>) -> [SlurmJob] {
        let count = Int(message.pointee.record_count)
        guard count > 0, let array = message.pointee.job_array else { return [] }
        return (0..<count).map { job(array[$0]) }
    }

    private static func job(_ info: slurm_job_info_t) -> SlurmJob {
        let nodeList = string(info.nodes)
        let reason = sky_slurm_job_reason_string(Int32(info.state_reason)).map {
            String(cString: $0)
        }
        return SlurmJob(
            id: info.job_id, name: string(info.name) ?? "", userID: info.user_id,
            partition: string(info.partition),
            state: SlurmJob.State(rawValue: info.job_state & UInt32(JOB_STATE_BASE)),
            stateText: sky_slurm_job_state_string(info.job_state).map { String(cString: $0) } ?? "",
            reason: reason ?? "\(info.state_reason)", reasonDetail: string(info.state_desc),
            nodeList: nodeList, nodes: nodeList.map(expandHostList) ?? [],
            numNodes: info.num_nodes,
            timeLimitMinutes: info.time_limit == UInt32(INFINITE)
                || info.time_limit == UInt32(NO_VAL)
                ? nil : info.time_limit,
            tresPerNode: string(info.tres_per_node), exitCode: info.exit_code,
            completing: info.job_state & jobCompleting != 0, batch: info.batch_flag != 0)
    }

    /// Sends `signal` to every step and the batch script; an already finished or unknown job
    /// is not an error.
    static func killJob(id: UInt32, signal: Int32 = SIGKILL) throws(SlurmError) {
        guard sky_slurm_kill_job(id, UInt16(signal), 0) != SLURM_SUCCESS else { return }
        let error = lastError("slurm_kill_job")
        let done = [ESLURM_ALREADY_DONE, ESLURM_INVALID_JOB_ID].map { Int32($0.rawValue) }
        if let code = error.code, done.contains(code) { return }
        throw error
    }

    // MARK: Nodes and partitions

    static func loadNodes() throws(SlurmError) -> [SlurmNode] {
        var message: UnsafeMutablePointer<node_info_msg_t>? = nil
        let rc = sky_slurm_load_node(0, &message, showAll | showDetail)
        defer { if let message { sky_slurm_free_node_info_msg(message) } }
        guard rc == SLURM_SUCCESS, let message else { throw lastError("slurm_load_node") }
        let count = Int(message.pointee.record_count)
        guard count > 0, let array = message.pointee.node_array else { return [] }
        return (0..<count).compactMap { index -> SlurmNode? in
            let info = array[index]
            guard let name = string(info.name) else { return nil }  // unused slots
            var allocatedCPUs: UInt16 = 0
            var allocatedMemory: UInt64 = 0
            if let select = info.select_nodeinfo {
                _ = sky_slurm_get_select_nodeinfo(
                    select, SELECT_NODEDATA_SUBCNT, NODE_STATE_ALLOCATED, &allocatedCPUs)
                _ = sky_slurm_get_select_nodeinfo(
                    select, SELECT_NODEDATA_MEM_ALLOC, NODE_STATE_ALLOCATED, &allocatedMemory)
            }
            let state = info.node_state
            let node = SlurmNode(
                name: name, address: string(info.node_addr) ?? name,
                hostname: string(info.node_hostname) ?? name,
                baseState: state & UInt32(NODE_STATE_BASE),
                stateText: sky_slurm_node_state_string(state).map { String(cString: $0) } ?? "",
                unavailableFlags: state & nodeUnavailableFlags != 0,
                cpus: Int(info.cpus), allocatedCPUs: Int(allocatedCPUs),
                memoryMB: info.real_memory, allocatedMemoryMB: allocatedMemory,
                gres: SlurmGres(parsing: string(info.gres)),
                gresUsed: SlurmGres(parsing: string(info.gres_used)))
            return node
        }
    }

    static func loadPartitions() throws(SlurmError) -> [SlurmPartition] {
        var message: UnsafeMutablePointer<partition_info_msg_t>? = nil
        let rc = sky_slurm_load_partitions(0, &message, showAll)
        defer { if let message { sky_slurm_free_partition_info_msg(message) } }
        guard rc == SLURM_SUCCESS, let message else { throw lastError("slurm_load_partitions") }
        let count = Int(message.pointee.record_count)
        guard count > 0, let array = message.pointee.partition_array else { return [] }
        return (0..<count).compactMap { index -> SlurmPartition? in
            let info = array[index]
            guard let name = string(info.name) else { return nil }
            let nodeList = string(info.nodes) ?? ""
            return SlurmPartition(
                name: name, nodeList: nodeList, nodes: expandHostList(nodeList),
                totalNodes: Int(info.total_nodes), totalCPUs: Int(info.total_cpus),
                isDefault: info.flags & UInt16(PART_FLAG_DEFAULT) != 0,
                isUp: info.state_up == UInt16(PARTITION_SUBMIT | PARTITION_SCHED),
                maxTimeMinutes: info.max_time == UInt32(INFINITE) || info.max_time == UInt32(NO_VAL)
                    ? nil : info.max_time)
        }
    }

    /// The settings Sky reads from slurmctld's running configuration (`slurm_load_ctl_conf`,
    /// freed after).
    static func controlSettings() throws(SlurmError) -> SlurmControlSettings {
        var conf: UnsafeMutablePointer<slurm_conf_t>? = nil
        let rc = sky_slurm_load_ctl_conf(0, &conf)
        defer { if let conf { sky_slurm_free_ctl_conf(conf) } }
        guard rc == SLURM_SUCCESS, let conf else { throw lastError("slurm_load_ctl_conf") }
        return SlurmControlSettings(
            clusterName: string(conf.pointee.cluster_name) ?? "slurm",
            proctrackType: string(conf.pointee.proctrack_type) ?? "")
    }
}
