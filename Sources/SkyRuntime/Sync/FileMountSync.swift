import Foundation
import SkyCore

/// Copies local files and directories of `file_mounts` to their destinations on every node
/// (`~/x` and relative destinations are under the node's home). Cloud URIs and storage objects
/// are refused until storage support exists.
package struct FileMountSync: Sendable {
    package init() {}

    package func sync(_ mounts: [(String, Task.FileMount)], runners: [any CommandRunner])
        async throws
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
                    copies.append((source, destination + "/", SyncFilters.common + SyncFilters.forDirectory(path)))
                } else {
                    copies.append((path, destination, SyncFilters.common))
                }
            case .uri(let uri):
                throw SyncError.storageNotSupported(destination: destination, source: uri)
            case .storage(let spec):
                let name = Self.field("name", of: spec) ?? Self.field("source", of: spec) ?? "a storage object"
                throw SyncError.storageNotSupported(destination: destination, source: name)
            }
        }
        guard !copies.isEmpty else { return }
        let planned = copies
        try await withThrowingTaskGroup(of: Void.self) { group in
            for runner in runners {
                group.addTask {
                    for copy in planned {
                        try await runner.upload(copy.source, to: copy.destination, filters: copy.filters)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private static func field(_ key: String, of value: JSONValue) -> String? {
        guard case .object(let pairs) = value else { return nil }
        return pairs.first { $0.0 == key }?.1.stringValue
    }
}
