import Foundation
import SkyProvision

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The directories of one local cluster: `<root>/<cluster>/node<i>` plus a `cluster.json`
/// marker that records its status.
struct LocalNodes {
    struct Marker: Codable {
        var clusterNameOnCloud: String
        var count: Int
        var status: InstanceStatus
    }

    let root: String
    let cluster: String

    var clusterDir: String { root + "/" + cluster }
    var markerPath: String { clusterDir + "/cluster.json" }

    static func nodeID(_ index: Int) -> String { "node\(index)" }

    static func shape(_ cpus: Double, _ memoryGB: Double) -> String {
        func fmt(_ v: Double) -> String {
            v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
        }
        return "\(fmt(cpus))CPU--\(fmt(memoryGB))GB"
    }

    func home(of id: String) -> String { clusterDir + "/" + id }

    func exists(_ id: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: home(of: id), isDirectory: &isDir)
            && isDir.boolValue
    }

    /// Node ids present on disk, by index (head first).
    func nodeIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: clusterDir)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("node"), let index = Int(name.dropFirst(4)),
                exists(name)
            else { return nil }
            return index
        }.sorted().map(Self.nodeID)
    }

    func marker() -> Marker? {
        guard let data = FileManager.default.contents(atPath: markerPath) else { return nil }
        return try? JSONDecoder().decode(Marker.self, from: data)
    }

    func writeMarker(_ marker: Marker) throws {
        try FileManager.default.createDirectory(
            atPath: clusterDir, withIntermediateDirectories: true)
        try JSONEncoder().encode(marker).write(
            to: URL(fileURLWithPath: markerPath), options: .atomic)
    }

    /// Kills every process whose HOME is one of the nodes' homes (what runs "on" the node),
    /// group first (SIGTERM), then any survivor (SIGKILL). Never our own group.
    ///
    /// Sweeps again until a scan finds nothing (three sweeps at most): a process caught between
    /// fork and exec (a command's `nohup x &` a moment before the stop) shows an empty
    /// environment for that moment and is missed by the scan that happens to read it then.
    func killProcesses(workerOnly: Bool) {
        let homes = Set(
            nodeIDs().filter { !workerOnly || $0 != Self.nodeID(0) }.map { home(of: $0) })
        // Without workerOnly, any node home under the cluster directory counts, even one
        // whose directory was removed behind our back.
        let prefix = clusterDir + "/node"
        for _ in 0..<3 {
            let pids = Self.processes(whereHome: { home in
                homes.contains(home) || (!workerOnly && home.hasPrefix(prefix))
            })
            guard !pids.isEmpty else { return }
            Self.terminate(pids)
        }
    }

    /// SIGTERM to each process and its group (never our own), SIGKILL to what is left after a
    /// second; returns when they are gone (or after another second).
    private static func terminate(_ pids: [pid_t]) {
        let ownGroup = getpgrp()
        for pid in pids {
            let group = getpgid(pid)
            if group > 1, group != ownGroup { kill(-group, SIGTERM) }
            kill(pid, SIGTERM)
        }
        for _ in 0..<40 {
            if !pids.contains(where: isRunning) { return }
            usleep(25_000)
        }
        for pid in pids where isRunning(pid) { kill(pid, SIGKILL) }
        for _ in 0..<40 where pids.contains(where: isRunning) { usleep(25_000) }
    }

    /// Alive and not a zombie waiting for its parent.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let state = stat(pid)?.state else { return false }
        return state != "Z" && state != "X"
    }

    /// The state letter and the flags of `/proc/<pid>/stat`, or nil when there is none.
    private static func stat(_ pid: pid_t) -> (state: Character, flags: UInt)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command: state ppid pgrp session tty tpgid flags ...
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 6, let state = fields[0].first, let flags = UInt(fields[6]) else {
            return nil
        }
        return (state, flags)
    }

    /// Pids of our own processes whose `HOME` satisfies `match` (Linux `/proc`).
    static func processes(whereHome match: (String) -> Bool) -> [pid_t] {
        let own = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var found: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry), pid != own, pid > 1, let environ = environment(of: pid)
            else { continue }
            for variable in environ.split(separator: 0)
            where variable.starts(with: Array("HOME=".utf8)) {
                let value = String(decoding: variable.dropFirst(5), as: UTF8.self)
                if match(value) { found.append(pid) }
            }
        }
        return found
    }

    /// `/proc/<pid>/environ`. A process in the middle of exec reads as empty for a moment (its
    /// new memory has no environment yet), so an empty read of a running user process is
    /// read again for up to 50 ms; kernel threads and zombies have none to wait for.
    private static func environment(of pid: pid_t) -> Data? {
        let path = "/proc/\(pid)/environ"
        for _ in 0..<10 {
            guard let environ = FileManager.default.contents(atPath: path) else { return nil }
            if !environ.isEmpty || isKernelThreadOrGone(pid) { return environ }
            usleep(5_000)
        }
        return Data()
    }

    /// A kernel thread (no user memory, so never an environment) or no longer running.
    private static func isKernelThreadOrGone(_ pid: pid_t) -> Bool {
        guard let (state, flags) = stat(pid), state != "Z", state != "X" else { return true }
        let kernelThread: UInt = 0x0020_0000  // PF_KTHREAD
        return flags & kernelThread != 0
    }
}
