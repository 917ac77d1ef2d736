import SkyCore
import SkyRuntime

/// What the lifecycle needs from the on-node runtime (the skylet), in one place so the launch
/// path calls it through a single seam. `SkyletRuntime` implements it with `SkyletClient`,
/// `WorkdirSync` and `FileMountSync`.
protocol ClusterRuntime: Sendable {
    /// Installs the skylet on the head, writes the cluster spec and starts the daemon.
    func start(head: any CommandRunner, spec: ClusterSpec) async throws
    /// Re-writes the cluster spec on the head (autostop changes).
    func writeClusterSpec(head: any CommandRunner, spec: ClusterSpec) async throws
    /// Syncs the workdir and the file mounts to every node.
    func sync(task: Task, runners: [any CommandRunner]) async throws
    /// Submits a job; returns its id.
    func submit(head: any CommandRunner, job: JobSpec) async throws -> Int
    /// Streams the job's logs until it ends; returns its final status.
    func follow(
        head: any CommandRunner, jobID: Int, onLine: @escaping @Sendable (String) -> Void
    ) async throws -> JobStatus
    /// The autostop marker the skylet wrote when autostop fired: `("stop"|"down", epoch)`.
    func autostopFired(head: any CommandRunner) async throws -> (action: String, at: Double)?
}
