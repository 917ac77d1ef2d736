import SkyCore
import SkyRuntime

/// What the lifecycle needs from the on-node runtime (the skylet), in one place so the launch
/// path calls it through a single seam. `SkyletRuntime` implements it with `SkyletClient`,
/// `WorkdirSync` and `FileMountSync`.
protocol ClusterRuntime: Sendable {
    /// Installs the skylet on the head unless it has this build, writes the cluster spec and
    /// starts the daemon (one call to the head when the build is there).
    func start(head: any CommandRunner, spec: ClusterSpec) async throws
    /// `start`, then `run`, in one call to the head (a launch with no files to sync);
    /// `onStarted` once the cluster is set up, before the job is submitted.
    func startAndRun(
        head: any CommandRunner, spec: ClusterSpec, job: JobSpec, detach: Bool,
        onStarted: @escaping @Sendable () -> Void,
        onSubmitted: @escaping @Sendable (Int) -> Void,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> (jobID: Int, status: JobStatus?)
    /// Re-writes the cluster spec on the head (autostop changes).
    func writeClusterSpec(head: any CommandRunner, spec: ClusterSpec) async throws
    /// Syncs the workdir and the file mounts to every node.
    func sync(task: Task, runners: [any CommandRunner]) async throws
    /// Submits a job and, unless `detach`, streams its logs until it ends (one call to the
    /// head); `onSubmitted` gets the job id first. Returns the id and, when followed, the final
    /// status.
    func run(
        head: any CommandRunner, job: JobSpec, detach: Bool,
        onSubmitted: @escaping @Sendable (Int) -> Void,
        onLine: @escaping @Sendable (String) -> Void
    ) async throws -> (jobID: Int, status: JobStatus?)
    /// The autostop marker the skylet wrote when autostop fired: `("stop"|"down", epoch)`.
    func autostopFired(head: any CommandRunner) async throws -> (action: String, at: Double)?
}
