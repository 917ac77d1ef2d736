import CSlurm
import Foundation
import SkyCore
import SkyProvision

extension SlurmProvisioner {
    /// Pending reasons that no amount of waiting fixes: fail over at once.
    static let hopelessReasons: Set<String> = [
        "BadConstraints", "PartitionNodeLimit", "PartitionTimeLimit", "PartitionDown",
        "PartitionInactive", "InvalidQOS", "InvalidAccount", "ReqNodeNotAvail",
        "AssocGrpCpuLimit", "QOSMaxNodePerJobLimit", "QOSMaxCpuPerJobLimit", "Reservation",
        "JobHeldAdmin", "JobHeldUser", "DependencyNeverSatisfied",
    ]

    /// Submits the allocation unless an active job of the cluster already exists.
    package func runInstances(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionRecord
    {
        let name = config.clusterNameOnCloud
        let settings = try loadSettings()
        let existing = try await call { client throws(SlurmError) in
            try await client.activeJobs(named: name)
        }
        let partitions = try await call { client throws(SlurmError) in
            try await client.partitions(recent: true)
        }
        if let job = existing.first {
            if job.state != .pending, Int(job.numNodes) != config.count {
                throw .invalidConfig(
                    "Slurm cluster job \(job.id) ('\(name)') has \(job.numNodes) node(s), not "
                        + "\(config.count). Run 'sky down \(config.clusterName)' first.")
            }
            return record(config, job: job, created: false)
        }
        let partition: SlurmPartition
        if let zone = config.zone {
            guard let found = partitions.first(where: { $0.name == zone }) else {
                throw .capacity(
                    "Slurm cluster '\(config.region)' has no partition '\(zone)' (partitions: "
                        + partitions.map(\.name).joined(separator: ", ") + ").")
            }
            partition = found
        } else {
            guard let found = partitions.first(where: \.isDefault) ?? partitions.first else {
                throw .capacity("Slurm cluster '\(config.region)' has no partitions.")
            }
            partition = found
        }
        let proctrackType = try await call { client throws(SlurmError) in
            try await client.proctrackType()
        }
        let mode = settings.allocation ?? .automatic(proctrackType: proctrackType)
        if mode == .salloc, !SlurmAllocationMode.sallocWorks(proctrackType: proctrackType) {
            throw .invalidConfig(
                "slurm.allocation: salloc does not work on this Slurm cluster (\(proctrackType)):"
                    + " cgroup tracking ends every process a step started with that step, so the"
                    + " skylet daemon and the drivers of detached jobs would end with the command"
                    + " that started them. Use slurm.allocation: sbatch (the default here).")
        }
        try prepareClusterHome(name)
        let jobID: UInt32
        do throws(ProvisionError) {
            let request = try makeRequest(
                config, partition: partition, mode: mode, settings: settings)
            jobID = try await call { client throws(SlurmError) in try await client.submit(request) }
        } catch {
            // Nothing was created: leave no cluster directory behind.
            try? FileManager.default.removeItem(atPath: clusterHome(name))
            throw await withGPUInventory(error, config: config, partition: partition)
        }
        // The user's jobs, read again (the submission made the remembered list stale): the
        // wait for RUNNING that follows starts from this answer.
        let job = try? await call { client throws(SlurmError) in
            try await client.activeJobs(named: name).first { $0.id == jobID }
        }
        if let job { return record(config, job: job, created: true) }
        return ProvisionRecord(
            provider: self.name, region: config.region, zone: partition.name,
            clusterName: config.clusterName, headInstanceID: "job-\(jobID)",
            createdInstanceIDs: ["job-\(jobID)"])
    }

    /// A refused GPU request says what the partition's nodes have (Slurm's own reason,
    /// "Requested node configuration is not available", names neither the type nor the count).
    private func withGPUInventory(
        _ error: ProvisionError, config: ProvisionConfig, partition: SlurmPartition
    ) async -> ProvisionError {
        guard case .capacity(let text) = error, let asked = Self.gres(config.offering),
            let nodes = try? await call({ client throws(SlurmError) in
                try await client.nodes(recent: true)
            })
        else { return error }
        let inventory = SlurmInventory(
            clusterName: config.region, partitions: [partition], nodes: nodes)
        let have = inventory.gpuSummary.map { "\($0.type):\($0.perNode)" }
        return .capacity(
            text + " Asked for \(asked) per node; the nodes of partition '\(partition.name)' have "
                + (have.isEmpty ? "no GPUs" : have.joined(separator: ", ") + " at most") + ".")
    }

    private func record(_ config: ProvisionConfig, job: SlurmJob, created: Bool)
        -> ProvisionRecord
    {
        let ids = job.nodes.isEmpty ? ["job-\(job.id)"] : job.nodes
        return ProvisionRecord(
            provider: name, region: config.region, zone: job.partition ?? config.zone,
            clusterName: config.clusterName, headInstanceID: ids[0],
            createdInstanceIDs: created ? ids : [])
    }

    /// The allocation's job descriptor (reference 6.3's sbatch directives); a batch script
    /// and its output file only in `sbatch` mode.
    func makeRequest(
        _ config: ProvisionConfig, partition: SlurmPartition, mode: SlurmAllocationMode,
        settings: SlurmSettings
    ) throws(ProvisionError) -> SlurmJobRequest {
        let batch = mode == .sbatch
        var logFile: String? = nil
        var jobEnvironment: [String: String] = [:]
        if batch {
            let home = environment["HOME"] ?? NSHomeDirectory()
            let logDirectory = settings.logDirectory ?? home + "/.sky/slurm/logs"
            do {
                try FileManager.default.createDirectory(
                    atPath: logDirectory, withIntermediateDirectories: true)
            } catch {
                throw .internal("Cannot create the Slurm log directory \(logDirectory): \(error)")
            }
            logFile = logDirectory + "/\(config.clusterNameOnCloud)-%j.log"
            jobEnvironment["SKY_CLUSTER_NAME"] = config.clusterName
            for key in ["PATH", "HOME", "USER", "LOGNAME", "LANG", "SHELL"] {
                if let value = environment[key] { jobEnvironment[key] = value }
            }
            // The skylet's own settings (`SKYLET_*`), which a skylet started in a step gets
            // with the rest of sky's environment: the daemon of the batch step reads them too.
            for (key, value) in environment where key.hasPrefix("SKYLET_") {
                jobEnvironment[key] = value
            }
            if jobEnvironment["PATH"] == nil {
                jobEnvironment["PATH"] = "/usr/local/bin:/usr/bin:/bin"
            }
            jobEnvironment["HOME"] = clusterHome(config.clusterNameOnCloud)
        }
        let offering = config.offering
        var request = SlurmJobRequest(
            name: config.clusterNameOnCloud,
            script: batch ? Self.allocationScript(clusterName: config.clusterName) : nil,
            partition: partition.name, nodes: config.count,
            cpusPerTask: offering.cpus > 0 ? Int(offering.cpus.rounded(.up)) : nil,
            memoryMBPerNode: offering.memoryGB > 0
                ? UInt64((offering.memoryGB * 1024).rounded(.up)) : nil,
            gresPerNode: Self.gres(offering),
            timeLimitMinutes: partition.maxTimeMinutes ?? UInt32(INFINITE),
            workDir: clusterHome(config.clusterNameOnCloud), stdOut: logFile,
            environment: jobEnvironment)
        request.account = settings.account
        request.qos = settings.qos
        do {
            try settings.sbatchOptions(providerConfig: config.providerConfig).apply(to: &request)
        } catch {
            throw error.provisionError
        }
        return request
    }

    /// The batch script of `sbatch` mode, on the first node (the head) with `HOME` = the
    /// cluster's home: it holds the allocation and runs the skylet daemon in the batch step
    /// (restarted if it dies, not after autostop fired: the daemon then ends the allocation),
    /// which starts the job drivers there (`ClusterSpec.daemonStartsDrivers`).
    static func allocationScript(clusterName: String) -> String {
        """
        #!/bin/sh
        # Sky cluster \(clusterName.filter { $0 != "\n" }): holds the allocation.
        state="$HOME/.sky/skylet"
        while :; do
          if [ -x "$HOME/.sky/bin/skylet" ] && [ -f "$state/cluster.json" ] \\
            && [ ! -f "$state/autostop.json" ]; then
            "$HOME/.sky/bin/skylet" daemon --foreground >/dev/null 2>&1
          fi
          sleep 1
        done

        """
    }

    /// `gpu:<type>:<n>` (`gpu:<n>` for untyped GRES); nil without accelerators.
    static func gres(_ offering: Offering) -> String? {
        guard let type = offering.acceleratorName, offering.acceleratorCount > 0 else { return nil }
        let count = Int(offering.acceleratorCount.rounded(.up))
        return type == SlurmInventory.untypedGPU ? "gpu:\(count)" : "gpu:\(type):\(count)"
    }

    /// A cluster launched through a login node (`~/.slurm/config`) is refused here, where
    /// libslurm talks to the slurmctld of this machine's `slurm.conf`: it may be another Slurm
    /// cluster, and a `down` that found no job would drop the record and leave the job.
    func refuseLoginCluster(_ cluster: ClusterLocator) throws(ProvisionError) {
        guard let alias = cluster.providerConfig[SlurmLoginProvisioner.loginHostKey] else {
            return
        }
        throw .invalidConfig(
            "Slurm cluster '\(cluster.clusterName)' was launched through the login node '\(alias)' "
                + "of ~/.slurm/config; here Sky talks to slurmctld directly "
                + "(\(SlurmClient.configPath(environment: environment))). Run this command with "
                + "SLURM_CONF unset where ~/.slurm/config reaches '\(alias)'.")
    }

    // MARK: Wait / query

    package func waitInstances(_ cluster: ClusterLocator, state: InstanceStatus?)
        async throws(ProvisionError)
    {
        try refuseLoginCluster(cluster)
        switch state {
        case .stopped:
            throw .unsupported("The slurm backend cannot stop clusters; use 'sky down' instead.")
        case nil:
            try await waitGone(cluster.clusterNameOnCloud, seconds: 60)
        case .initializing, .up:
            let install = _Concurrency.Task { () -> ProvisionError? in
                do throws(ProvisionError) {
                    try await installSkylet()
                    return nil
                } catch {
                    return error
                }
            }
            do {
                try await waitRunning(cluster)
            } catch {
                install.cancel()
                throw error
            }
            if let error = await install.value { throw error }
        }
    }

    /// Puts the engine's skylet into the user's `~/.sky/bin` (linked from every cluster home)
    /// unless this build is there: `SlurmBinaryInstall`, safe when launches run at once.
    func installSkylet() async throws(ProvisionError) {
        guard let (path, hash) = try await skylet?.build() else { return }
        try SlurmBinaryInstall.install(
            source: path, hash: hash, directory: userHome + "/.sky/bin", name: "skylet")
    }

    private func waitRunning(_ cluster: ClusterLocator) async throws(ProvisionError) {
        let name = cluster.clusterNameOnCloud
        let deadline = ContinuousClock.now + .seconds(settings.provisionTimeout)
        // An idle cluster starts the job within milliseconds to a second: poll every 10-50 ms
        // for the first 10 s (one small slurmctld RPC each), then back off to `pollInterval`.
        let start = ContinuousClock.now
        var interval = min(Duration.milliseconds(10), pollInterval)
        var reported: String?
        // The first look may use an answer of the last half second (the submission's).
        var recent = true
        while true {
            let jobs = try await call { [recent] client throws(SlurmError) in
                try await client.activeJobs(named: name, recent: recent)
            }
            recent = false
            guard let job = jobs.first else {
                throw try await endedError(name)
            }
            if job.state == .running, !job.nodes.isEmpty { return }
            let why = Self.pendingText(job)
            // Past the first second (an idle cluster's usual start), say why it waits, and
            // again whenever the reason changes.
            if ContinuousClock.now - start >= .seconds(1), reported != why {
                reported = why
                ProvisionProgress.say(
                    "Slurm job \(job.id) is \(job.stateText) (\(why)); waiting up to "
                        + "\(Int(settings.provisionTimeout)) s ...")
            }
            if job.state == .pending, Self.hopelessReasons.contains(job.reason) {
                throw .capacity("Slurm cannot start '\(name)' (job \(job.id)): \(why).")
            }
            if ContinuousClock.now >= deadline {
                throw .capacity(
                    "Slurm job \(job.id) ('\(name)') is still \(job.stateText) after "
                        + "\(Int(settings.provisionTimeout)) s: \(why).")
            }
            do { try await _Concurrency.Task.sleep(for: interval) } catch {
                throw .internal("Waiting for Slurm job \(job.id) was cancelled.")
            }
            let fastPhase = ContinuousClock.now - start < .seconds(10)
            interval = min(
                interval * 2, fastPhase ? min(.milliseconds(50), pollInterval) : pollInterval)
        }
    }

    static func pendingText(_ job: SlurmJob) -> String {
        // A batch job is scheduled at slurmctld's next pass (`batch_sched_delay`, 0-3 s), not
        // when submitted; until then it has no reason.
        if job.state == .pending, job.reason == "None" {
            return "waiting for slurmctld's next scheduling pass"
        }
        var text = "reason \(job.reason)"
        if let detail = job.reasonDetail { text += " (\(detail))" }
        return text
    }

    /// Why no active job is left: the newest finished job of the name, if slurmctld still
    /// remembers it.
    private func endedError(_ name: String) async throws(ProvisionError) -> ProvisionError {
        let finished = try await call { client throws(SlurmError) in try await client.userJobs() }
            .filter { $0.name == name }.max { $0.id < $1.id }
        guard let job = finished else {
            return .notFound("No Slurm job named '\(name)' exists.")
        }
        let text =
            "Slurm job \(job.id) ('\(name)') ended as \(job.stateText) before it was ready: "
            + Self.pendingText(job) + "."
            + (job.batch ? " Its batch script's output is in the Slurm log directory." : "")
        switch job.state {
        case .nodeFail?, .bootFail?, .preempted?: return .capacity(text)
        default: return .internal(text)
        }
    }

    private func waitGone(_ name: String, seconds: Int) async throws(ProvisionError) {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var interval = min(Duration.milliseconds(10), pollInterval)
        while true {
            let jobs = try await call { client throws(SlurmError) in
                try await client.activeJobs(named: name)
            }
            if jobs.isEmpty { return }
            if ContinuousClock.now >= deadline {
                throw .internal(
                    "Slurm job(s) "
                        + jobs.map { "\($0.id) (\($0.stateText))" }.joined(separator: ", ")
                        + " of '\(name)' did not end within \(seconds) s.")
            }
            do { try await _Concurrency.Task.sleep(for: interval) } catch {
                throw .internal("Waiting for '\(name)' to end was cancelled.")
            }
            interval = min(interval * 2, pollInterval)
        }
    }

    package func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> [InstanceState]
    {
        try refuseLoginCluster(cluster)
        let name = cluster.clusterNameOnCloud
        let jobs = try await call { client throws(SlurmError) in
            try await client.activeJobs(named: name)
        }
        guard let job = jobs.first else { return [] }
        if job.completing { return job.nodes.map { InstanceState(instanceID: $0, status: nil) } }
        switch job.state {
        case .running?:
            return job.nodes.map { InstanceState(instanceID: $0, status: .up) }
        default:
            return [
                InstanceState(
                    instanceID: job.nodes.first ?? "job-\(job.id)", status: .initializing,
                    reason: "Slurm job \(job.id) is \(job.stateText): \(Self.pendingText(job))")
            ]
        }
    }

    package func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> ClusterInfo
    {
        try refuseLoginCluster(cluster)
        let name = cluster.clusterNameOnCloud
        // Right after a launch's wait saw the allocation running, its answer will do.
        let jobs = try await call { client throws(SlurmError) in
            try await client.activeJobs(named: name, recent: true)
        }
        guard let job = jobs.first(where: { $0.state == .running && !$0.nodes.isEmpty }) else {
            throw .notFound("Slurm cluster '\(cluster.clusterName)' has no running allocation.")
        }
        // Node addresses do not change while a launch runs: its planning's answer will do.
        let nodes = try await call { client throws(SlurmError) in
            try await client.nodes(recent: true)
        }
        let byName = Dictionary(nodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let instances = job.nodes.enumerated().map { index, node in
            InstanceInfo(
                instanceID: node, internalIP: byName[node]?.address ?? node,
                home: clusterHome(name), nodeName: node,
                tags: [
                    "skypilot-head-node": index == 0 ? "1" : "0",
                    "slurm-job-id": String(job.id),
                ])
        }
        return ClusterInfo(
            provider: self.name, region: cluster.region, zone: job.partition ?? cluster.zone,
            clusterNameOnCloud: name, instances: instances, headInstanceID: job.nodes[0],
            providerConfig: [
                Self.jobIDKey: String(job.id), "partition": job.partition ?? "",
                "node_list": job.nodeList ?? "",
                // A batch job's script runs the daemon, which starts the drivers.
                ClusterInfo.skyletDriversKey: job.batch ? "daemon" : "submit",
            ])
    }

    // MARK: Teardown

    /// Ends what the allocation's steps left behind (unless Slurm tracks them with cgroups),
    /// kills the allocation (every step with it) and waits until slurmctld has let it go.
    package func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        try refuseLoginCluster(cluster)
        guard !workerOnly else {
            throw .unsupported(
                "The slurm backend cannot remove only the workers of an allocation; use 'sky down'."
            )
        }
        let name = cluster.clusterNameOnCloud
        let jobs = try await call { client throws(SlurmError) in
            try await client.activeJobs(named: name)
        }
        // Under cgroup tracking Slurm itself ends every process of the allocation's steps.
        var tracked = false
        if !jobs.isEmpty {
            let proctrack = try? await call { client throws(SlurmError) in
                try await client.proctrackType()
            }
            tracked = proctrack?.contains("cgroup") == true
        }
        for job in jobs {
            if job.state == .running, !job.completing, !tracked {
                await SlurmStepCleanup.run(
                    jobID: job.id, nodes: job.nodes.count, environment: environment)
            }
            try await call { client throws(SlurmError) in try await client.kill(jobID: job.id) }
        }
        if !jobs.isEmpty { try await waitGone(name, seconds: 60) }
        try? FileManager.default.removeItem(atPath: clusterHome(name))
    }
}
