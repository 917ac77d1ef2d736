import CSlurm
import Foundation

/// The one way into libslurm: checks the configuration and the library version, calls
/// `slurm_init` once per process, and runs every call on one serial queue (libslurm keeps
/// global state and is not thread-safe), off Swift's cooperative pool since calls block on
/// the network.
package final class SlurmClient: Sendable {
    private static let queue = DispatchQueue(label: "sky.slurm.libslurm")
    /// Only read and written on `queue`.
    nonisolated(unsafe) private static var initializedPath: String?
    /// Answers this process got lately (one launch asks for the partitions, nodes and jobs
    /// several times within a few milliseconds); only read and written on `queue`.
    nonisolated(unsafe) private static var recent:
        [String: (at: ContinuousClock.Instant, value: any Sendable)] = [:]

    /// How long an answer is reused: slurmctld's configuration for the process's life
    /// (libslurm itself reads `slurm.conf` once); partitions, nodes and this user's jobs only
    /// where a caller allows it (`recent`: a launch reads node addresses and partition limits
    /// right after its planning loaded them; inventories and waits always ask again), for two
    /// seconds, half a second for jobs (a submission or a kill forgets them).
    private enum Freshness {
        static let configuration: Duration = .seconds(3600)
        static let inventory: Duration = .seconds(2)
        static let jobs: Duration = .milliseconds(500)
    }

    /// The `slurm.conf` libslurm reads.
    package let configPath: String
    package let version: SlurmVersion

    /// `$SLURM_CONF`, else `/etc/slurm/slurm.conf`.
    package static func configPath(environment: [String: String]) -> String {
        if let path = environment["SLURM_CONF"], !path.isEmpty { return path }
        return "/etc/slurm/slurm.conf"
    }

    /// Fails without touching libslurm when there is no configuration (libslurm would exit
    /// the process), when libslurm cannot be opened (it is loaded at run time, not linked), or
    /// when the library does not match the headers.
    package init(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(SlurmError)
    {
        let path = Self.configPath(environment: environment)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .configNotFound(path: path)
        }
        configPath = path
        // `SKY_LIBSLURM`: the library to open instead (a site's own path), with no fallback.
        let explicit = environment["SKY_LIBSLURM"].flatMap { $0.isEmpty ? nil : $0 }
        let library = explicit ?? SlurmVersion.headerSONAME ?? "libslurm.so"
        let unavailable: String? = Self.queue.sync {
            sky_slurm_open(library, explicit == nil ? 1 : 0).map { String(cString: $0) }
        }
        if let unavailable { throw .libraryUnavailable(soname: library, unavailable) }
        let version = SlurmVersion.current
        try version.verify()
        self.version = version
        let initialized: String = Self.queue.sync {
            if let done = Self.initializedPath { return done }
            sky_slurm_init(path)
            Self.initializedPath = path
            return path
        }
        guard initialized == path else {
            throw .invalidRequest(
                "libslurm is already initialised with \(initialized) in this process; it cannot "
                    + "also use \(path).")
        }
    }

    /// Runs `body` on the libslurm queue.
    package func perform<T: Sendable>(_ body: @escaping @Sendable () throws(SlurmError) -> T)
        async throws(SlurmError) -> T
    {
        let result: Result<T, SlurmError> = await withCheckedContinuation { continuation in
            Self.queue.async {
                do throws(SlurmError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Runs `body` on the libslurm queue, blocking the caller (tools and tests).
    package func performSync<T>(_ body: () throws(SlurmError) -> T) throws(SlurmError) -> T {
        let result: Result<T, SlurmError> = Self.queue.sync {
            do throws(SlurmError) { return .success(try body()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    // MARK: Calls

    /// `key`'s answer from the last `maxAge`, else `load`'s (kept); on the libslurm queue.
    private func remembered<T: Sendable>(
        _ key: String, maxAge: Duration, _ load: @escaping @Sendable () throws(SlurmError) -> T
    ) async throws(SlurmError) -> T {
        try await perform { () throws(SlurmError) in
            let now = ContinuousClock.now
            if let entry = Self.recent[key], now - entry.at < maxAge, let value = entry.value as? T
            {
                return value
            }
            let value = try load()
            Self.recent[key] = (now, value)
            return value
        }
    }

    /// Forgets the remembered jobs (after a call that changes them).
    private static func forgetJobs() {
        recent.removeValue(forKey: "jobs")
    }

    /// `ProctrackType` of slurmctld's configuration.
    package func proctrackType() async throws(SlurmError) -> String {
        try await controlSettings().proctrackType
    }

    /// `ClusterName` of slurmctld's configuration.
    package func clusterName() async throws(SlurmError) -> String {
        try await controlSettings().clusterName
    }

    /// One read of slurmctld's configuration serves both for the process's life.
    private func controlSettings() async throws(SlurmError) -> SlurmControlSettings {
        try await remembered("configuration", maxAge: Freshness.configuration) {
            () throws(SlurmError) in try SlurmAPI.controlSettings()
        }
    }

    package func partitions(recent: Bool = false) async throws(SlurmError) -> [SlurmPartition] {
        try await remembered("partitions", maxAge: recent ? Freshness.inventory : .zero) {
            () throws(SlurmError) in try SlurmAPI.loadPartitions()
        }
    }

    package func nodes(recent: Bool = false) async throws(SlurmError) -> [SlurmNode] {
        try await remembered("nodes", maxAge: recent ? Freshness.inventory : .zero) {
            () throws(SlurmError) in try SlurmAPI.loadNodes()
        }
    }

    package func job(id: UInt32) async throws(SlurmError) -> SlurmJob? {
        try await perform { () throws(SlurmError) in try SlurmAPI.loadJob(id: id) }
    }

    package func jobs() async throws(SlurmError) -> [SlurmJob] {
        try await perform { () throws(SlurmError) in try SlurmAPI.loadJobs() }
    }

    /// This user's jobs (including finished ones slurmctld still remembers); `recent`: an
    /// answer of the last half second will do.
    package func userJobs(recent: Bool = false) async throws(SlurmError) -> [SlurmJob] {
        let uid = UInt32(getuid())
        return try await remembered("jobs", maxAge: recent ? Freshness.jobs : .zero) {
            () throws(SlurmError) in try SlurmAPI.loadJobs(userID: uid)
        }
    }

    /// Active jobs named `name` of this user, oldest first.
    package func activeJobs(named name: String, recent: Bool = false) async throws(SlurmError)
        -> [SlurmJob]
    {
        try await userJobs(recent: recent).filter { $0.name == name && $0.isActive }.sorted {
            $0.id < $1.id
        }
    }

    package func kill(jobID: UInt32) async throws(SlurmError) {
        try await perform { () throws(SlurmError) in
            Self.forgetJobs()
            try SlurmAPI.killJob(id: jobID)
        }
    }

    package func submit(_ request: SlurmJobRequest) async throws(SlurmError) -> UInt32 {
        try await perform { () throws(SlurmError) in
            Self.forgetJobs()
            return try SlurmSubmit.submit(request)
        }
    }

    package func expandHostList(_ expression: String) async -> [String] {
        (try? await perform { SlurmAPI.expandHostList(expression) }) ?? []
    }
}
