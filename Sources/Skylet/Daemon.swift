import Foundation
import Glibc
import SkyCore

/// The head node's long-lived skylet (`skylet daemon`): reaps jobs whose driver died
/// (FAILED_DRIVER), runs scheduling passes, and fires autostop. One per node (flock on
/// `daemon.lock`); started idempotently.
struct Daemon {
    let skylet: Skylet

    private var paths: SkyletPaths { skylet.paths }

    /// Starts the daemon in the background unless one runs; returns its pid. It is started
    /// as an orphan (`Spawn.startOrphan`), like a job's driver: a Slurm step or ssh session
    /// that is torn down while the `skylet start` that started it still runs (an interrupted
    /// launch's log follow) kills that process's descendants, and the daemon would go with
    /// them. `wait`: until the new daemon holds its lock (else return at once: a second daemon
    /// started meanwhile finds the lock taken and exits). `delay`: the new daemon starts that
    /// many seconds later (its pid is the same), off the busy moment a job starts in.
    func ensureRunning(wait: Bool = true, delay: Double = 0) throws -> Int32 {
        try paths.ensureStateDir()
        if let pid = runningPID() { return pid }
        try? FileManager.default.removeItem(atPath: paths.daemonStopped)
        let (daemon, environment) = command()
        let argv =
            delay > 0
            ? ["/bin/sh", "-c", "sleep \(delay); exec \"$@\"", "sh"] + daemon : daemon
        let started = try Spawn.startOrphan(
            argv, environment: environment, input: Data(), log: paths.daemonLog)
        if !wait { return started }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let pid = runningPID() { return pid }
            usleep(10_000)
        }
        return started
    }

    /// `skylet daemon --foreground` and its environment. On a Slurm allocation held without a
    /// batch step (`slurm.allocation: salloc`) the daemon runs as a step of its own on the head
    /// node (`srun --overlap`, the `srun` an orphan like the daemon would be): Slurm ends the
    /// step with the allocation (scancel, time limit), where a daemon outside every step would
    /// run on, idle, on a node the user no longer holds. In a batch step (sbatch mode) the
    /// daemon is the batch script's and the allocation's end takes it already.
    func command() -> (argv: [String], environment: [String: String]) {
        let daemon = [ProcessTable.selfExecutable(), "daemon", "--foreground"]
        guard let cluster = try? ClusterFile.load(paths), cluster.daemonStartsDrivers != true,
            let head = slurmHead(cluster)
        else { return (daemon, skylet.environment) }
        return (
            SlurmStep.argv(endpoint: head.endpoint, home: head.home, name: SlurmStep.daemonStepName)
                + daemon,
            head.environment
        )
    }

    /// The cluster's head when it is a node of a Slurm allocation: its endpoint, the
    /// allocation, its home, and the environment a Slurm command run from here needs
    /// (`SlurmStep.environment`).
    private func slurmHead(_ cluster: ClusterSpec) -> (
        endpoint: NodeEndpoint, jobID: String, home: String, environment: [String: String]
    )? {
        guard let head = cluster.nodes.first, head.kind == .slurm, let job = head.slurmJobID
        else { return nil }
        let home = head.home ?? paths.home
        return (head, job, home, SlurmStep.environment(base: skylet.environment, home: home))
    }

    /// The pid of the running daemon, or nil.
    func runningPID() -> Int32? {
        let fd = open(paths.daemonLock, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        let text = (try? String(contentsOfFile: paths.daemonPID, encoding: .utf8)) ?? ""
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Stops the running daemon (SIGTERM) and waits for it.
    func stop() {
        guard let pid = runningPID() else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while ProcessTable.isAlive(pid) && Date() < deadline { usleep(20_000) }
        if ProcessTable.isAlive(pid) { kill(pid, SIGKILL) }
    }

    /// The daemon loop (`skylet daemon --foreground`). Returns when autostop fired, on
    /// SIGTERM, or at once when another daemon holds the lock, when there is no cluster here
    /// (a daemon started with a delay must not recreate the files of a cluster torn down and
    /// removed meanwhile), or when `teardown` left its marker; within a tick (at most a
    /// second) when the marker appears or the cluster's files go while it runs.
    func runForeground() throws {
        guard FileManager.default.fileExists(atPath: paths.clusterSpec) else { return }
        try paths.ensureStateDir()
        let fd = open(paths.daemonLock, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0, flock(fd, LOCK_EX | LOCK_NB) == 0 else { return }
        defer { close(fd) }
        guard !FileManager.default.fileExists(atPath: paths.daemonStopped) else { return }
        try ClusterFile.atomicWrite(Data("\(getpid())\n".utf8), to: paths.daemonPID)
        try? FileManager.default.removeItem(atPath: paths.autostopMarker)
        // SIGUSR1 wakes the loop (a job waits for its driver); SIGTERM stops it, at once (the
        // caller, `teardown`, waits for this process to end).
        let wakeUp = DispatchSemaphore(value: 0)
        signal(SIGTERM, SIG_IGN)
        let term = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        let stopFlag = StopFlag()
        term.setEventHandler {
            stopFlag.set()
            wakeUp.signal()
        }
        term.resume()
        defer {
            term.cancel()
            try? FileManager.default.removeItem(atPath: paths.daemonPID)
        }

        signal(SIGUSR1, SIG_IGN)
        let usr1 = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        usr1.setEventHandler { wakeUp.signal() }
        usr1.resume()
        defer { usr1.cancel() }
        var drivers = Set<pid_t>()

        let env = skylet.environment
        let checkSeconds = Double(env["SKYLET_AUTOSTOP_CHECK_SECONDS"] ?? "") ?? 60
        let minuteSeconds = Double(env["SKYLET_MINUTE_SECONDS"] ?? "") ?? 60
        let tick = min(1.0, max(0.05, checkSeconds))
        var monitor = AutostopMonitor(minuteSeconds: minuteSeconds)
        var lastCheck = Date.distantPast
        let store = try skylet.openStore()
        let user = ProcessTable.currentUser()
        while !stopFlag.isSet {
            // Torn down meanwhile (a `teardown` that came before this daemon wrote its pid
            // could not signal it) or its cluster's files removed: it has nothing to serve,
            // and a daemon that left its Slurm step would otherwise outlive the allocation.
            if FileManager.default.fileExists(atPath: paths.daemonStopped)
                || !FileManager.default.fileExists(atPath: paths.clusterSpec)
            {
                return
            }
            let cluster = try? ClusterFile.load(paths)
            drivers = drivers.filter { waitpid($0, nil, WNOHANG) == 0 }
            drivers.formUnion(startPendingDrivers(store: store))
            reapDeadDrivers(store: store, cluster: cluster)
            if let cluster { _ = try? store.schedule(cluster: cluster) }
            if Date().timeIntervalSince(lastCheck) >= checkSeconds {
                lastCheck = Date()
                let jobs = (try? store.all()) ?? []
                let busy = jobs.contains { !$0.jobStatus.isTerminal }
                let lastEnd = jobs.compactMap(\.endAt).max().map { Date(timeIntervalSince1970: $0) }
                let sessions = ProcessTable.interactiveSSHSessions(user: user)
                if let fire = monitor.check(
                    autostop: cluster?.autostop, busyWithJobs: busy, sshSessions: sessions,
                    lastJobEnd: lastEnd), let cluster
                {
                    try fireAutostop(fire, cluster: cluster, store: store)
                    return
                }
            }
            _ = wakeUp.wait(timeout: .now() + tick)
        }
    }

    /// Wakes the running daemon (SIGUSR1): a job is waiting for it to start its driver.
    func wake() {
        if let pid = runningPID() { kill(pid, SIGUSR1) }
    }

    /// Starts the driver of every job `submit` left for the daemon, as this process's child
    /// (so it lives in the daemon's process tree), handing it the spec on stdin; returns their
    /// pids. A job cancelled meanwhile is only forgotten.
    func startPendingDrivers(store: JobStore) -> [pid_t] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: paths.pendingDir)) ?? []
        var started: [pid_t] = []
        for name in names where name.hasSuffix(".json") {
            guard let id = Int(name.dropLast(5)) else { continue }
            let file = paths.pendingSpec(id)
            defer { try? FileManager.default.removeItem(atPath: file) }
            guard let spec = FileManager.default.contents(atPath: file),
                let row = try? store.job(id), !row.jobStatus.isTerminal
            else { continue }
            do {
                let driver = try Spawn.start(
                    [ProcessTable.selfExecutable(), "run-job", String(id)],
                    environment: skylet.environment, stdin: .pipe,
                    stdout: .file(paths.expand(row.logPath) + "/driver.log"), stderr: .stdout,
                    newSession: true)
                try store.update(id) { $0.driverPID = driver.pid }
                if let fd = driver.stdinFD {
                    FDIO.writeAll(fd, spec)
                    close(fd)
                }
                started.append(driver.pid)
            } catch {
                _ = try? store.transition(id, to: .failedDriver)
            }
        }
        return started
    }

    /// Jobs whose driver is gone become FAILED_DRIVER and their node sessions are killed.
    func reapDeadDrivers(store: JobStore, cluster: ClusterSpec?) {
        let now = Date().timeIntervalSince1970
        for row in (try? store.nonTerminal()) ?? [] {
            let dead: Bool
            if let pid = row.driverPID {
                dead =
                    !ProcessTable.isSkylet(pid, subcommand: "run-job")
                    // A pid read just before the driver exec'd: give it a moment.
                    && now - row.submittedAt > 2
            } else {
                dead = now - row.submittedAt > 30
            }
            guard dead, (try? store.transition(row.jobID, to: .failedDriver)) == true else {
                continue
            }
            skylet.stopProcesses(of: row.jobID, store: store, cluster: cluster)
        }
    }

    private func fireAutostop(
        _ autostop: ClusterSpec.AutostopSpec, cluster: ClusterSpec, store: JobStore
    ) throws {
        let action = autostop.down ? "down" : "stop"
        for hook in cluster.hooks where hook.events.contains(action) {
            runHook(hook)
        }
        _ = try? skylet.cancel(ids: [], all: true)
        let marker = "{\"action\":\"\(action)\",\"at\":\(Int(Date().timeIntervalSince1970))}\n"
        try ClusterFile.atomicWrite(Data(marker.utf8), to: paths.autostopMarker)
        if autostop.down { endSlurmAllocation(cluster) }
    }

    /// Autostop on Slurm (always down: Slurm has no stop) ends the cluster's allocation from
    /// here, so its nodes go back to the queue when the cluster turns idle rather than at the
    /// engine's next `status -r` (which then finds the allocation gone and forgets the
    /// cluster). `scancel` ends this daemon too (its step, or in sbatch mode its batch step):
    /// it is the last thing it does.
    private func endSlurmAllocation(_ cluster: ClusterSpec) {
        guard let head = slurmHead(cluster) else { return }
        _ = try? Spawn.run(["scancel", "--", head.jobID], environment: head.environment)
    }

    /// Runs one `config.hooks` entry on the head with its timeout (then its session is killed).
    private func runHook(_ hook: ClusterSpec.HookSpec) {
        let log = paths.stateDir + "/hooks.log"
        guard
            let child = try? Spawn.start(
                ["/bin/bash", "-c", hook.run], environment: skylet.environment,
                stdout: .file(log), stderr: .stdout, newSession: true)
        else { return }
        let done = DispatchSemaphore(value: 0)
        BlockingThread.start("skylet-hook") {
            _ = child.wait()
            done.signal()
        }
        if done.wait(timeout: .now() + .seconds(max(1, hook.timeoutSeconds))) == .timedOut {
            for pid in ProcessTable.members(ofSession: child.pid) { kill(pid, SIGKILL) }
            done.wait()
        }
    }
}
