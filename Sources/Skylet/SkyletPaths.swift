import Foundation

/// Where the skylet keeps its files on a node, relative to the node's home directory.
package struct SkyletPaths: Sendable {
    package let home: String

    package init(home: String) {
        self.home = home.hasSuffix("/") && home.count > 1 ? String(home.dropLast()) : home
    }

    /// The home of the current process (`$HOME`).
    package static func current() -> SkyletPaths {
        SkyletPaths(home: ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory())
    }

    package var stateDir: String { home + "/.sky/skylet" }
    package var jobsDB: String { stateDir + "/jobs.db" }
    package var clusterSpec: String { stateDir + "/cluster.json" }
    package var autostopMarker: String { stateDir + "/autostop.json" }
    package var daemonPID: String { stateDir + "/daemon.pid" }
    package var daemonLock: String { stateDir + "/daemon.lock" }
    package var daemonLog: String { stateDir + "/daemon.log" }
    /// Left by `teardown`: a daemon that starts after it (one started with a delay) exits.
    package var daemonStopped: String { stateDir + "/daemon.stopped" }
    package var scriptsDir: String { stateDir + "/scripts" }
    /// Jobs queued for the daemon to start (`ClusterSpec.daemonStartsDrivers`): their full
    /// spec (secrets included, 0600, in the 0700 state directory) until the driver has it.
    package var pendingDir: String { stateDir + "/pending" }
    func pendingSpec(_ id: Int) -> String { pendingDir + "/\(id).json" }
    package var defaultKnownHosts: String { stateDir + "/known_hosts" }
    package var logsRoot: String { home + "/sky_logs" }

    /// Expands a leading `~` and makes a relative path relative to the home.
    package func expand(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        if path.hasPrefix("/") { return path }
        return home + "/" + path
    }

    func ensureStateDir() throws {
        do {
            try FileManager.default.createDirectory(
                atPath: stateDir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw SkyletError.io("Could not create \(stateDir): \(error.localizedDescription)")
        }
    }
}
