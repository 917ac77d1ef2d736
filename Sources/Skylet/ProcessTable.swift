import Foundation
import Glibc

/// Facts about local processes read from `/proc`.
enum ProcessTable {
    /// Whether `pid` is alive (exists and is not a zombie).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        return rest.first != "Z" && rest.first != "X"
    }

    static func commandLine(_ pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
            return []
        }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `pid` is alive and is a skylet process running `subcommand`.
    static func isSkylet(_ pid: Int32, subcommand: String) -> Bool {
        isAlive(pid) && commandLine(pid).contains(subcommand)
    }

    static func allPIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap {
            Int32($0)
        }
    }

    /// Session id (field 6 of /proc/pid/stat), or nil.
    static func sessionID(_ pid: Int32) -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        return rest.count > 3 ? Int32(rest[3]) : nil
    }

    /// Live processes whose session or process group is `id`.
    static func members(ofSession id: Int32) -> [Int32] {
        allPIDs().filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            // After the command: state, ppid, pgrp, session.
            guard rest.count > 3, rest[0] != "Z" else { return false }
            return Int32(rest[2]) == id || Int32(rest[3]) == id
        }
    }

    /// Interactive ssh sessions (`sshd: user@pts/N`) of `user`.
    static func interactiveSSHSessions(user: String) -> Int {
        allPIDs().filter { pid in
            guard let first = commandLine(pid).first else { return false }
            return first.hasPrefix("sshd") && first.contains(" \(user)@pts/")
        }.count
    }

    static func currentUser() -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name {
            return String(cString: name)
        }
        return ProcessInfo.processInfo.environment["USER"] ?? "root"
    }

    /// Path of the running executable.
    /// This executable's path. When the file was replaced while it ran (a launch installing
    /// a build at the same moment: the install renames a new file over it), the kernel names
    /// it `<path> (deleted)`: the path itself then holds the installed build, which is what a
    /// child (daemon, driver) should run.
    static func selfExecutable() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 {
            buffer[n] = 0
            let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let deleted = " (deleted)"
            if path.hasSuffix(deleted), !FileManager.default.fileExists(atPath: path) {
                return String(path.dropLast(deleted.count))
            }
            return path
        }
        return CommandLine.arguments.first ?? "skylet"
    }
}
