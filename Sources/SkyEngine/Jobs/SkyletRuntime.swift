import Foundation
import SkyCore
import SkyRuntime
import Synchronization

/// The launch path's on-node runtime: installs and starts the skylet, syncs the workdir and
/// file mounts, submits jobs and follows their logs (H5a's `ClusterRuntime` seam).
final class SkyletRuntime: ClusterRuntime {
    let localBinary: String
    let credentials: [String: String]
    /// GIT_* variables of the last git workdir sync, added to the next submitted job.
    private let gitEnvironment = Mutex<[(String, String)]>([])

    /// `credentials`: where GIT_TOKEN / GIT_SSH_KEY_PATH are looked up (task envs + secrets,
    /// then the caller's environment).
    init(localBinary: String, credentials: [String: String]) {
        self.localBinary = localBinary
        self.credentials = credentials
    }

    convenience init(engineEnvironment: [String: String], task: Task?) {
        var credentials = engineEnvironment
        for (k, v) in (task?.envs ?? []) + (task?.secrets ?? []) { credentials[k] = v }
        self.init(
            localBinary: SkyletBinary.locate(environment: engineEnvironment),
            credentials: credentials)
    }

    func start(head: any CommandRunner, spec: ClusterSpec) async throws {
        try await SkyletClient(runner: head).start(localBinary: localBinary, spec: spec)
    }

    func writeClusterSpec(head: any CommandRunner, spec: ClusterSpec) async throws {
        try await SkyletClient(runner: head).writeClusterSpec(spec)
    }

    func sync(task: Task, runners: [any CommandRunner]) async throws {
        var credentials = self.credentials
        for (k, v) in task.envs + task.secrets { credentials[k] = v }
        if let workdir = task.workdir {
            let env = try await WorkdirSync(credentials: credentials).sync(
                workdir, runners: runners)
            gitEnvironment.withLock { $0 = env }
        }
        if !task.fileMounts.isEmpty {
            try await FileMountSync().sync(task.fileMounts, runners: runners)
        }
    }

    func startAndRun(
        head: any CommandRunner, spec: ClusterSpec, job: JobSpec, detach: Bool,
        onStarted: @escaping @Sendable () -> Void,
        onSubmitted: @escaping @Sendable (Int) -> Void,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> (jobID: Int, status: JobStatus?) {
        try await SkyletClient(runner: head).startAndRun(
            localBinary: localBinary, spec: spec, job: withGitEnvironment(job), detach: detach,
            onStarted: onStarted, onSubmitted: onSubmitted, onLine: onLine)
    }

    /// The job with the GIT_* variables of the last workdir sync added (the job's own win).
    private func withGitEnvironment(_ job: JobSpec) -> JobSpec {
        var job = job
        let git = gitEnvironment.withLock { $0 }
        let present = Set(job.envs.compactMap(\.first))
        job.envs += git.filter { !present.contains($0.0) }.map { [$0.0, $0.1] }
        return job
    }

    func run(
        head: any CommandRunner, job: JobSpec, detach: Bool,
        onSubmitted: @escaping @Sendable (Int) -> Void,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> (jobID: Int, status: JobStatus?) {
        let job = withGitEnvironment(job)
        let client = SkyletClient(runner: head)
        if detach {
            let id = try await client.submit(job)
            onSubmitted(id)
            return (id, nil)
        }
        let (id, status) = try await client.submitAndFollow(
            job, onSubmitted: onSubmitted, onLine: onLine)
        return (id, status)
    }

    func autostopFired(head: any CommandRunner) async throws -> (action: String, at: Double)? {
        try await SkyletClient(runner: head).autostopState()
    }
}
