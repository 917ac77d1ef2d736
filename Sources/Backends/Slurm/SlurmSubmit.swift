import CSlurm
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Turns a `SlurmJobRequest` into a `job_desc_msg_t` and submits it. The descriptor's string
/// fields are `char *` that libslurm only reads: they point at buffers this type `strdup`s and
/// frees after the call; the response is freed with `slurm_free_submit_response_response_msg`.
enum SlurmSubmit {
    /// Owned C strings, freed once by `release()`.
    private final class Strings {
        private(set) var pointers: [UnsafeMutablePointer<CChar>] = []

        func make(_ value: String?) -> UnsafeMutablePointer<CChar>? {
            guard let value, let copy = strdup(value) else { return nil }
            pointers.append(copy)
            return copy
        }

        func release() {
            for pointer in pointers { free(pointer) }
            pointers = []
        }
    }

    /// Submits and returns the job id: an allocation (`slurm_allocate_resources`, granted in
    /// the call when the nodes are free) when the request has no script, else a batch job.
    /// Must run on `SlurmClient`'s queue.
    static func submit(_ request: SlurmJobRequest) throws(SlurmError) -> UInt32 {
        try validate(request)
        let strings = Strings()
        defer { strings.release() }
        var desc = descriptor(request, strings: strings)
        guard request.script != nil else { return try allocate(&desc) }
        let environment = request.environment.sorted { $0.key < $1.key }.compactMap {
            strings.make($0.key + "=" + $0.value)
        }
        var envp: [UnsafeMutablePointer<CChar>?] = environment + [nil]
        var response: UnsafeMutablePointer<submit_response_msg_t>? = nil
        let rc = envp.withUnsafeMutableBufferPointer { buffer -> Int32 in
            desc.environment = buffer.baseAddress
            desc.env_size = UInt32(environment.count)
            defer { desc.environment = nil }
            return sky_slurm_submit_batch_job(&desc, &response)
        }
        defer { if let response { sky_slurm_free_submit_response_response_msg(response) } }
        guard rc == SLURM_SUCCESS, let response else {
            throw SlurmAPI.lastError("slurm_submit_batch_job")
        }
        try check(
            "slurm_submit_batch_job", code: response.pointee.error_code,
            userMessage: response.pointee.job_submit_user_msg)
        return response.pointee.job_id
    }

    /// `slurm_allocate_resources` with no response port: slurmctld neither calls back nor
    /// pings an allocating process (so `InactiveLimit` does not apply), and the allocation
    /// lives until it is killed or reaches its time limit, like `salloc --no-shell`.
    private static func allocate(_ desc: inout job_desc_msg_t) throws(SlurmError) -> UInt32 {
        desc.immediate = 0
        desc.alloc_resp_port = 0
        desc.other_port = 0
        var response: UnsafeMutablePointer<resource_allocation_response_msg_t>? = nil
        let rc = sky_slurm_allocate_resources(&desc, &response)
        defer { if let response { sky_slurm_free_resource_allocation_response_msg(response) } }
        guard rc == SLURM_SUCCESS, let response else {
            throw SlurmAPI.lastError("slurm_allocate_resources")
        }
        try check(
            "slurm_allocate_resources", code: response.pointee.error_code,
            userMessage: response.pointee.job_submit_user_msg)
        return response.pointee.job_id
    }

    /// A descriptor whose strings live in `strings` (the caller frees them after the call).
    private static func descriptor(_ request: SlurmJobRequest, strings: Strings)
        -> job_desc_msg_t
    {
        var desc = job_desc_msg_t()
        sky_slurm_init_job_desc_msg(&desc)
        desc.name = strings.make(request.name)
        desc.script = strings.make(request.script)
        desc.partition = strings.make(request.partition)
        desc.work_dir = strings.make(request.workDir)
        desc.std_out = strings.make(request.stdOut)
        desc.std_err = strings.make(request.stdErr)
        desc.tres_per_node = strings.make(request.tresPerNode)
        desc.account = strings.make(request.account)
        desc.qos = strings.make(request.qos)
        desc.reservation = strings.make(request.reservation)
        desc.features = strings.make(request.constraint)
        desc.exc_nodes = strings.make(request.excludeNodes)
        desc.req_nodes = strings.make(request.requiredNodes)
        desc.comment = strings.make(request.comment)
        desc.min_nodes = UInt32(request.nodes)
        desc.max_nodes = UInt32(request.nodes)
        desc.num_tasks = UInt32(request.nodes)
        desc.ntasks_per_node = 1
        if let cpus = request.cpusPerTask {
            desc.cpus_per_task = UInt16(cpus)
            desc.min_cpus = UInt32(cpus * request.nodes)
        }
        if let memory = request.memoryMBPerNode { desc.pn_min_memory = memory }
        if let minutes = request.timeLimitMinutes { desc.time_limit = minutes }
        if request.exclusive { desc.shared = UInt16(JOB_SHARED_NONE) }
        desc.wait_all_nodes = 1
        desc.requeue = 0
        desc.user_id = getuid()
        desc.group_id = getgid()
        return desc
    }

    /// A response's error code (a job_submit plugin's refusal) as an error.
    private static func check(
        _ function: String, code: UInt32, userMessage: UnsafeMutablePointer<CChar>?
    ) throws(SlurmError) {
        guard code != 0 else { return }
        let code = Int32(bitPattern: code)
        throw .call(
            function: function, code: code,
            message: SlurmAPI.string(userMessage) ?? SlurmAPI.message(for: code))
    }

    /// Refuses what would make a descriptor slurmctld misreads.
    static func validate(_ request: SlurmJobRequest) throws(SlurmError) {
        if let script = request.script {
            guard script.hasPrefix("#!") else {
                throw .invalidRequest("A Slurm batch script must start with '#!'.")
            }
            guard !request.environment.isEmpty else {
                throw .invalidRequest("slurmctld refuses a batch job without an environment.")
            }
        }
        guard (1...Int(UInt16.max)).contains(request.nodes) else {
            throw .invalidRequest(
                "A Slurm allocation needs at least one node (got \(request.nodes)).")
        }
        if let cpus = request.cpusPerTask, !(1...Int(UInt16.max)).contains(cpus) {
            throw .invalidRequest("CPUs per node must be between 1 and 65535 (got \(cpus)).")
        }
        let fields = [
            request.name, request.partition, request.gresPerNode, request.account,
            request.qos, request.reservation, request.constraint, request.excludeNodes,
            request.requiredNodes, request.comment,
        ].compactMap { $0 }
        if fields.contains(where: { $0.contains("\n") || $0.contains("\0") }) {
            throw .invalidRequest("Slurm job settings must not contain newlines.")
        }
    }
}
