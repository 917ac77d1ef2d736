import Foundation
import SkyCore

/// Copies local files and directories of `file_mounts` to their destinations on every node
/// (`~/x` and relative destinations are under the node's home). Cloud URIs and storage objects
/// are refused until storage support exists.
package struct FileMountSync: Sendable {
    package init() {}

    /// Refuses what `sync` would refuse (a missing local source, a cloud URI or storage
    /// object) without touching a node: a launch checks this before it creates anything.
    package static func check(_ mounts: [(String, Task.FileMount)]) throws {
        _ = try copies(mounts)
    }

    /// The copies `mounts` make: source, destination and rsync filters of each local one.
    private static func copies(_ mounts: [(String, Task.FileMount)]) throws
        -> [(source: String, destination: String, filters: [String])]
    {
        var copies: [(source: String, destination: String, filters: [String])] = []
        for (destination, mount) in mounts {
            switch mount {
            case .local(let path):
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                    throw SyncError.missingSource(path)
                }
                if isDir.boolValue {
                    let source = path.hasSuffix("/") ? path : path + "/"
                    copies.append(
                        (
                            source, destination + "/",
                            SyncFilters.common + SyncFilters.forDirectory(path)
                        ))
                } else {
                    copies.append((path, destination, SyncFilters.common))
                }
            case .uri(let uri):
                throw SyncError.storageNotSupported(destination: destination, source: uri)
            case .storage(let spec):
                let name =
                    Self.field("name", of: spec) ?? Self.field("source", of: spec)
                    ?? "a storage object"
                throw SyncError.storageNotSupported(destination: destination, source: name)
            }
        }
        return copies
    }

    package func sync(_ mounts: [(String, Task.FileMount)], runners: [any CommandRunner])
        async throws
    {
        let planned = try Self.copies(mounts)
        guard !planned.isEmpty else { return }
        // Absolute destinations outside the login home may need root to create (SkyPilot does
        // `sudo mkdir -p` + `chown` there); home-relative ones are created by the copy itself.
        let absoluteDirectories = planned.compactMap { copy -> String? in
            guard copy.destination.hasPrefix("/") else { return nil }
            let trimmed =
                copy.destination.hasSuffix("/")
                ? String(copy.destination.dropLast()) : copy.destination
            return copy.destination.hasSuffix("/")
                ? trimmed : (trimmed as NSString).deletingLastPathComponent
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for runner in runners {
                group.addTask {
                    if !absoluteDirectories.isEmpty {
                        try await Self.prepare(absoluteDirectories, on: runner)
                    }
                    for copy in planned {
                        try await runner.upload(
                            copy.source, to: copy.destination, filters: copy.filters)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Creates absolute destination directories, with passwordless sudo when the user cannot.
    private static func prepare(_ directories: [String], on runner: any CommandRunner) async throws
    {
        let script =
            #"for d in "$@"; do [ -d "$d" ] && [ -w "$d" ] && continue; mkdir -p "$d" 2>/dev/null || { sudo -n mkdir -p "$d" && sudo -n chown "$(id -u):$(id -g)" "$d"; } || { echo "cannot create $d" >&2; exit 1; }; done"#
        let result = try await runner.run(
            ["bash", "-c", script, "sky-mkdir"] + directories, stdin: nil, environment: [:])
        guard result.exitCode == 0 else {
            throw SyncError.destinationUnwritable(
                node: runner.nodeName,
                detail: result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    private static func field(_ key: String, of value: JSONValue) -> String? {
        guard case .object(let pairs) = value else { return nil }
        return pairs.first { $0.0 == key }?.1.stringValue
    }
}
