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
        try JSONEncoder().encode(marker).write(to: URL(fileURLWithPath: markerPath), options: .atomic)
    }

    /// Kills every process whose HOME is one of the nodes' homes (what runs "on" the node),
    /// group first (SIGTERM), then any survivor (SIGKILL). Never our own group.
    func killProcesses(workerOnly: Bool) {
        let homes = Set(
            nodeIDs().filter { !workerOnly || $0 != Self.nodeID(0) }.map { home(of: $0) })
        // Without workerOnly, any node home under the cluster directory counts, even one
        // whose directory was removed behind our back.
        let prefix = clusterDir + "/node"
        let pids = Self.processes(whereHome: { home in
            homes.contains(home) || (!workerOnly && home.hasPrefix(prefix))
        })
        guard !pids.isEmpty else { return }
        let ownGroup = getpgrp()
        for pid in pids {
            let group = getpgid(pid)
            if group > 1, group != ownGroup { kill(-group, SIGTERM) }
            kill(pid, SIGTERM)
        }
        for _ in 0..<40 {
            if !pids.contains(where: Self.isRunning) { return }
            usleep(25_000)
        }
        for pid in pids where Self.isRunning(pid) { kill(pid, SIGKILL) }
        for _ in 0..<40 where pids.contains(where: Self.isRunning) { usleep(25_000) }
    }

    /// Alive and not a zombie waiting for its parent.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"),
            let state = stat[close...].dropFirst(2).first
        else { return false }
        return state != "Z" && state != "X"
    }

    /// Pids of our own processes whose `HOME` satisfies `match` (Linux `/proc`).
    static func processes(whereHome match: (String) -> Bool) -> [pid_t] {
        let own = getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var found: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry), pid != own, pid > 1,
                let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ")
            else { continue }
            for variable in environ.split(separator: 0) where variable.starts(with: Array("HOME=".utf8)) {
                let value = String(decoding: variable.dropFirst(5), as: UTF8.self)
                if match(value) { found.append(pid) }
            }
        }
        return found
    }
}
