import Foundation
import Logging
import SkyCore
import SkyEngine
import SkyKubeAPI

/// Reconciles a SkyJob: finds (or creates and owns) its SkyCluster, waits for it to be Up,
/// submits the task to the cluster's skylet once (a resubmission after a restart is avoided by
/// the job's unique name in the queue), then follows the job to its end with the exit code.
struct SkyJobReconciler: Reconciler {
    let context: OperatorContext
    var kind: String { "SkyJob" }

    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        guard var job = context.jobs.object(.init(namespace: key.namespace, name: key.name)) else {
            return .done
        }
        if job.metadata.isDeleting { return try await finalize(job) }
        if !job.metadata.hasFinalizer(SkyGroup.finalizer) {
            // Carry on with the updated object (no wait for the update's watch event).
            job = try await context.kube.addFinalizer(job, SkyGroup.finalizer)
        }
        if job.isFinished { return .done }
        var status = job.status ?? SkyJob.Status()
        let generation = job.metadata.generation
        status.observedGeneration = generation

        guard
            let cluster = context.clusters.object(
                .init(namespace: key.namespace, name: job.clusterResourceName))
        else {
            if let jobID = status.jobID {
                // Submitted, and its cluster is gone since (asked of the API server: the cache
                // may not have synced yet): never launch a new one under it.
                guard
                    try await context.kube.get(
                        SkyCluster.self, namespace: key.namespace, name: job.clusterResourceName)
                        == nil
                else { return .requeue(after: .seconds(1)) }
                status.phase = SkyJob.Phase.failed
                status.message =
                    "SkyCluster '\(job.clusterResourceName)' was deleted while job \(jobID) ran on it"
                status.completionTime = KubeTime.now
                status.conditions.set(
                    Condition(
                        type: "Ready", status: false, reason: "ClusterDeleted",
                        message: status.message ?? "", observedGeneration: generation))
                if try await write(job, status) {
                    await context.events.warning(
                        job, reason: "ClusterDeleted", status.message ?? "")
                }
                return .done
            }
            if let named = job.spec.cluster {
                status.phase = SkyJob.Phase.pending
                status.message =
                    "waiting for SkyCluster '\(named)' (not found in namespace \(key.namespace))"
                status.conditions.set(
                    Condition(
                        type: "Ready", status: false, reason: "ClusterNotFound",
                        message: status.message ?? "", observedGeneration: generation))
                try await write(job, status)
                return .done  // a SkyCluster change wakes this job
            }
            try await createOwnedCluster(for: job)
            status.phase = SkyJob.Phase.launching
            status.message = "launching its own SkyCluster '\(job.clusterResourceName)'"
            try await write(job, status)
            return .done
        }
        if status.jobID == nil {
            switch cluster.status?.phase {
            case SkyCluster.Phase.up?:
                break
            case SkyCluster.Phase.failed?
            where cluster.status?.observedGeneration == cluster.metadata.generation:
                status.phase = SkyJob.Phase.failed
                status.message =
                    "SkyCluster '\(cluster.name)' failed: \(cluster.status?.message ?? "")"
                status.completionTime = KubeTime.now
                status.conditions.set(
                    Condition(
                        type: "Ready", status: false, reason: "ClusterFailed",
                        message: status.message ?? "", observedGeneration: generation))
                try await write(job, status)
                await context.events.warning(job, reason: "ClusterFailed", status.message ?? "")
                return .done
            default:
                status.phase = SkyJob.Phase.launching
                status.message =
                    "waiting for SkyCluster '\(cluster.name)' to be Up (\(cluster.status?.phase ?? "Pending"))"
                try await write(job, status)
                return .done
            }
            return try await submit(job, cluster: cluster, status: status)
        }
        return try await follow(
            job, clusterName: status.clusterName ?? cluster.skyName, status: status)
    }

    /// The job's name in the skylet queue: unique per SkyJob object.
    static func queueName(_ job: SkyJob) -> String {
        let uid = (job.metadata.uid ?? "").replacingOccurrences(of: "-", with: "").prefix(8)
        return "skj.\(job.metadata.namespace ?? "default").\(job.name).\(uid)"
    }

    private func submit(_ job: SkyJob, cluster: SkyCluster, status current: SkyJob.Status)
        async throws -> ReconcileResult
    {
        var status = current
        let generation = job.metadata.generation
        let skyName = cluster.skyName
        var task: SkyCore.Task
        do {
            task = try await context.taskSource.load(
                task: job.spec.task, envFrom: job.spec.envFrom,
                namespace: job.metadata.namespace ?? "default",
                origin: "skyjob \(ObjectKey(job))",
                applied: job.metadata.annotations?[TaskSource.lastAppliedAnnotation])
        } catch let invalid as TaskSource.Invalid {
            status.phase = SkyJob.Phase.failed
            status.message = invalid.description
            status.conditions.set(
                Condition(
                    type: "Ready", status: false, reason: "InvalidTask",
                    message: invalid.description, observedGeneration: generation))
            if try await write(job, status) {
                await context.events.warning(job, reason: "InvalidTask", invalid.description)
            }
            return .done
        } catch let missing as TaskSource.MissingSecret {
            status.phase = SkyJob.Phase.pending
            status.message = missing.description
            status.conditions.set(
                Condition(
                    type: "Ready", status: false, reason: missing.reason,
                    message: missing.description, observedGeneration: generation))
            if try await write(job, status) {
                await context.events.warning(job, reason: missing.reason, missing.description)
            }
            return .backoff
        }
        let queueName = Self.queueName(job)
        task.name = queueName
        // A submission may have been cut short (operator restart): look for the job by its
        // unique name before submitting again. The marker makes the first try skip the lookup.
        var jobID = context.submissions.jobID(uid: job.metadata.uid)
        if jobID != nil {
            // Submitted by this process already (the informer's copy predates that write).
        } else if status.conditions?.named("Submitted")?.reason == "Submitting" {
            let engine = context.engine
            jobID = try await Deadline.run(
                "reading the queue of cluster \(skyName)", timeout: .seconds(120)
            ) {
                try await engine.queue([skyName], skipFinished: false, allUsers: true)
                    .first?.jobs.first { $0.jobName == queueName }?.jobID
            }
        } else {
            status.conditions.set(
                Condition(
                    type: "Submitted", status: false, reason: "Submitting",
                    message: "submitting to cluster \(skyName)",
                    observedGeneration: generation))
            try await write(job, status)
        }
        if jobID == nil {
            // Bounded, generously (a workdir sync can take minutes): a worker never hangs.
            let engine = context.engine
            let submitted = task
            jobID = try await Deadline.run(
                "submitting to cluster \(skyName)", timeout: .seconds(900)
            ) {
                try await engine.exec(submitted, cluster: skyName, detach: true).jobID
            }
            context.metrics.jobSubmitted()
        }
        guard let jobID else {
            throw OperatorError.submitFailed(
                cluster: skyName, detail: "the task has no run command")
        }
        context.submissions.record(uid: job.metadata.uid, jobID: jobID)
        status.jobID = jobID
        status.clusterName = skyName
        status.phase = SkyJob.Phase.pending
        status.startTime = status.startTime ?? KubeTime.now
        status.logs = "sky logs \(skyName) \(jobID)"
        status.message = "submitted as job \(jobID) on cluster \(skyName)"
        status.conditions.set(
            Condition(
                type: "Submitted", status: true, reason: "Submitted", message: status.message ?? "",
                observedGeneration: generation))
        try await write(job, status)
        await context.events.normal(
            job, reason: "Submitted",
            "Job \(jobID) submitted on cluster \(skyName); logs: \(status.logs ?? "")")
        await startFollower(job, cluster: skyName, jobID: jobID)
        return .requeue(after: .zero)  // look at once: the skylet often starts it right away
    }

    private func follow(_ job: SkyJob, clusterName: String, status current: SkyJob.Status)
        async throws -> ReconcileResult
    {
        var status = current
        guard let jobID = status.jobID else { return .done }
        let generation = job.metadata.generation
        let followerKey = "\(ObjectKey(job))"
        // The skylet's job record: its status, and once it ended, the exit code it recorded.
        let engine = context.engine
        let record = try await Deadline.run(
            "reading job \(jobID) on cluster \(clusterName)", timeout: .seconds(120)
        ) {
            try await engine.jobRecord(cluster: clusterName, jobID: jobID)
        }
        guard let record else {
            status.phase = SkyJob.Phase.failed
            status.message = "job \(jobID) is not in the queue of cluster \(clusterName) any more"
            status.completionTime = KubeTime.now
            try await write(job, status)
            return .done
        }
        let state = record.status
        if !state.isTerminal {
            await startFollower(job, cluster: clusterName, jobID: jobID)
            status.phase = state == .running ? SkyJob.Phase.running : SkyJob.Phase.pending
            status.message = "job \(jobID) on cluster \(clusterName) is \(state.rawValue)"
            status.conditions.set(
                Condition(
                    type: "Running", status: state == .running, reason: state.rawValue,
                    message: status.message ?? "", observedGeneration: generation))
            try await write(job, status)
            // Pending: poll soon (each look is one round trip to the head); running: the
            // follower's end of stream wakes the reconcile, the poll is a fallback.
            return .requeue(after: state == .running ? .seconds(15) : .milliseconds(50))
        }
        switch state {
        case .succeeded:
            status.phase = SkyJob.Phase.succeeded
        case .cancelled:
            status.phase = SkyJob.Phase.cancelled
        default:
            status.phase = SkyJob.Phase.failed
        }
        status.exitCode = record.operatorExitCode ?? (state == .succeeded ? 0 : nil)
        status.completionTime = KubeTime.now
        let code = status.exitCode.map { " with exit code \($0)" } ?? ""
        status.message = "job \(jobID) on cluster \(clusterName) \(state.rawValue)\(code)"
        status.conditions.set(
            Condition(
                type: "Running", status: false, reason: state.rawValue,
                message: status.message ?? "", observedGeneration: generation))
        status.conditions.set(
            Condition(
                type: "Complete", status: state == .succeeded, reason: state.rawValue,
                message: status.message ?? "", observedGeneration: generation))
        try await write(job, status)
        await context.followers.cancel(followerKey, timeout: .seconds(5))
        _ = await context.followers.takeOutcome(followerKey)
        if state == .succeeded {
            await context.events.normal(job, reason: "Succeeded", status.message ?? "")
        } else {
            await context.events.warning(job, reason: state.rawValue, status.message ?? "")
        }
        return .done
    }

    /// Streams the job's log until it ends (the stream ends with the job), then wakes the
    /// reconcile, which reads the outcome from the skylet's job record.
    private func startFollower(_ job: SkyJob, cluster: String, jobID: Int) async {
        let key = ObjectKey(job)
        let engine = context.engine
        let wake = context.wake
        await context.followers.start("\(key)") {
            do {
                _ = try await engine.logs(
                    cluster: cluster, jobID: jobID, follow: true, tail: 0, worker: nil
                ) { _ in }
                return OperatorContext.FollowOutcome(error: nil)
            } catch {
                return OperatorContext.FollowOutcome(error: "\(error)")
            }
        } then: {
            await wake.job(key)
        }
    }

    private func createOwnedCluster(for job: SkyJob) async throws {
        var taskJSON = job.spec.task
        if case .object(var fields)? = taskJSON {
            fields.removeValue(forKey: "run")  // the job runs it; the cluster only sets up
            taskJSON = .object(fields)
        }
        var metadata = ObjectMeta(
            name: job.clusterResourceName, namespace: job.metadata.namespace,
            labels: [SkyGroup.ownedByLabel: "skyjob.\(job.name)"])
        metadata.ownerReferences = [job.ownerReference()]
        let cluster = SkyCluster(
            metadata: metadata, spec: .init(task: taskJSON, envFrom: job.spec.envFrom))
        do {
            _ = try await context.kube.create(cluster)
            await context.events.normal(
                job, reason: "ClusterCreated",
                "Created SkyCluster \(job.clusterResourceName) for this job")
        } catch let error as KubeError where error.code == 409 {
            return  // created by an earlier pass
        }
    }

    /// Cancels the job (when it still runs) and removes the finalizer; on the live object, not
    /// the informer's copy, which may lag behind an earlier pass that already finished.
    private func finalize(_ cached: SkyJob) async throws -> ReconcileResult {
        guard cached.metadata.hasFinalizer(SkyGroup.finalizer) else { return .done }
        guard
            let job = try await context.kube.get(
                SkyJob.self, namespace: cached.namespace, name: cached.name),
            job.metadata.uid == cached.metadata.uid, job.metadata.isDeleting,
            job.metadata.hasFinalizer(SkyGroup.finalizer)
        else { return .done }
        let key = "\(ObjectKey(job))"
        if let jobID = job.status?.jobID, let cluster = job.status?.clusterName, !job.isFinished {
            do {
                // This job only (other jobs on the cluster are not this resource's).
                let engine = context.engine
                _ = try await Deadline.run(
                    "cancelling job \(jobID) on cluster \(cluster)", timeout: .seconds(120)
                ) {
                    try await engine.cancel(
                        cluster: cluster, jobIDs: [jobID], all: false, allUsers: false)
                }
                await context.events.normal(
                    job, reason: "Cancelled", "Job \(jobID) cancelled on cluster \(cluster)")
            } catch {
                context.logger.warning(
                    "cancel on delete failed", metadata: ["job": "\(key)", "error": "\(error)"])
            }
        }
        await context.followers.cancel(key, timeout: .seconds(10))
        _ = await context.followers.takeOutcome(key)
        try await context.kube.removeFinalizer(job, SkyGroup.finalizer)
        context.submissions.forget(uid: job.metadata.uid)
        return .done
    }

    @discardableResult
    private func write(_ job: SkyJob, _ status: SkyJob.Status) async throws -> Bool {
        guard status != job.status else { return false }
        try await context.kube.replaceStatus(
            SkyJob.self, namespace: job.namespace, name: job.name, from: job.status, to: status)
        return true
    }
}
