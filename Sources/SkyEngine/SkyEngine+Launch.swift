import Foundation
import SkyCore
import SkyProvision
import SkyRuntime
import SkySSH
import SkyState
import Synchronization

/// `sky launch`: plan, provision with failover, set up the runtime, submit the task as a job
/// and follow its logs.
extension SkyEngine {
    package func launch(
        _ task: Task, options: LaunchOptions, output: LaunchOutput = LaunchOutput()
    ) async throws -> LaunchResult {
        let backends = await backends()
        let name = options.clusterName ?? user.generatedClusterName()
        guard ClusterNaming.isValidClusterName(name) else {
            throw EngineError.invalidClusterName(name)
        }
        // What the nodes would be sent is checked before anything is created: a missing local
        // source or a cloud storage mount (not built yet) fails here, not after provisioning.
        if let workdir = task.workdir { try WorkdirSync.check(workdir) }
        try FileMountSync.check(task.fileMounts)
        let waiting: @Sendable () -> Void = {
            output.progress("Waiting for another sky command on cluster '\(name)' ...")
        }
        return try await ClusterLock.with(home: home, cluster: name, waiting: waiting) {
            let cluster = try await provisionCluster(
                name: name, task: task, options: options, backends: backends, output: output)
            let jobSpec = makeJobSpec(
                task, cluster: cluster,
                includeSetup: !(options.noSetup && cluster.record.everUp)
                    && !cluster.skippedProvisioning)
            let (jobID, status) = try await setUpAndRun(
                name: name, task: task, cluster: cluster, job: jobSpec, options: options,
                backends: backends, output: output)
            return LaunchResult(
                clusterName: name, jobID: jobID, jobStatus: status,
                failoverHistory: cluster.history.map(\.description))
        }
    }

    /// Runtime setup (skylet, ssh access, syncs), then the job. The one place that calls the
    /// on-node runtime during a launch.
    func setUpAndRun(
        name: String, task: Task, cluster: ProvisionedCluster, job: JobSpec,
        options: LaunchOptions, backends: EngineBackends, output: LaunchOutput
    ) async throws -> (Int?, JobStatus?) {
        let runners = backends.runners(cluster.provisioner, info: cluster.info)
        guard let head = runners.first else {
            throw EngineError.runtime(cluster: name, reason: "the backend returned no node")
        }
        let runtime = try makeRuntime(task: task)
        let access = NodeAccess(skyHome: home, userHome: userHome)
        if !cluster.skippedProvisioning {
            output.progress("Setting up the runtime on \(runners.count) node(s) ...")
            // The file the engine itself checked the nodes' host keys against.
            let knownHosts =
                cluster.handle.cloud == LocalProviderNames.ssh
                ? backends.ssh.sshOptions(for: cluster.info).first?.knownHostsFiles.first
                : cluster.info.providerConfig["knownHostsFile"]
            try await access.prepareSSH(
                info: cluster.info, runners: runners,
                knownHostsFile: knownHosts ?? backends.ssh.knownHostsFile)
            let spec = access.spec(
                name: name, handle: cluster.handle, info: cluster.info, task: task,
                autostop: options.autostop(task))
            if task.workdir == nil, task.fileMounts.isEmpty, task.run != nil || job.setup != nil {
                return try await startAndRun(
                    name: name, head: head, spec: spec, job: job, cluster: cluster,
                    runtime: runtime, options: options, backends: backends, output: output)
            }
            try await runtime.start(head: head, spec: spec)
            try await recordUp(name: name, spec: spec, cluster: cluster, backends: backends)
        }
        if task.workdir != nil || !task.fileMounts.isEmpty {
            output.progress("Syncing files to \(runners.count) node(s) ...")
            try await runtime.sync(task: task, runners: runners)
        }
        guard task.run != nil || job.setup != nil else { return (nil, nil) }
        let (jobID, status) = try await runtime.run(
            head: head, job: job, detach: options.detach,
            onSubmitted: {
                output.jobSubmitted($0, cluster: name, following: !options.detach)
            }, onLine: output.log)
        return (jobID, status)
    }

    /// A launch with nothing to sync: the runtime set-up and the job in one call to the head.
    /// The cluster is recorded UP as soon as the head says it is set up, while the job starts.
    private func startAndRun(
        name: String, head: any CommandRunner, spec: ClusterSpec, job: JobSpec,
        cluster: ProvisionedCluster, runtime: any ClusterRuntime, options: LaunchOptions,
        backends: EngineBackends, output: LaunchOutput
    ) async throws -> (Int?, JobStatus?) {
        let recording = Mutex<_Concurrency.Task<Void, any Error>?>(nil)
        let recorded = { () async throws in try await recording.withLock { $0 }?.value }
        do {
            let (jobID, status) = try await runtime.startAndRun(
                head: head, spec: spec, job: job, detach: options.detach,
                onStarted: {
                    let task = _Concurrency.Task {
                        try await self.recordUp(
                            name: name, spec: spec, cluster: cluster, backends: backends)
                    }
                    // Ctrl-C while the job's log is followed leaves the cluster recorded UP.
                    if output.handlesCtrlC { InterruptHandler.shared.holdExit(for: task) }
                    recording.withLock { $0 = task }
                },
                onSubmitted: {
                    output.jobSubmitted($0, cluster: name, following: !options.detach)
                }, onLine: output.log)
            try await recorded()
            return (jobID, status)
        } catch {
            try? await recorded()
            throw error
        }
    }

    /// Marks the cluster UP with its spec, writes `ssh <cluster>` entries.
    func recordUp(
        name: String, spec: ClusterSpec, cluster: ProvisionedCluster, backends: EngineBackends
    ) async throws {
        var handle = cluster.handle
        handle.spec = spec
        let encoded = handle.encoded()
        try await backends.store.updateCluster(named: name) { record in
            record.handle = encoded
            record.status = .up
            record.everUp = true
            record.autostopMinutes = spec.autostop?.idleMinutes ?? -1
            record.toDown = spec.autostop?.down ?? false
        }
        if cluster.handle.cloud == LocalProviderNames.ssh {
            try? SSHConfigInclude(skyHome: home, userHome: userHome).write(
                cluster: name, nodes: backends.ssh.sshOptions(for: cluster.info))
        } else {
            let include = SSHConfigInclude(skyHome: home, userHome: userHome)
            try? await include.writeKubernetes(
                cluster: name, info: cluster.info, environment: environment)
            try? await include.writeSlurm(
                cluster: name, info: cluster.info, provisioner: cluster.provisioner,
                environment: environment)
        }
    }

    /// The job of a launch: setup (unless skipped) and run on `numNodes` nodes.
    func makeJobSpec(_ task: Task, cluster: ProvisionedCluster, includeSetup: Bool) -> JobSpec {
        let me = user
        return JobSpecFactory.make(
            task: task, userName: me.name, userHash: me.hash, includeSetup: includeSetup)
    }
}
