import Foundation
import Glibc
import SkyCore

/// Reads and writes `~/.sky/skylet/cluster.json`.
enum ClusterFile {
    static func load(_ paths: SkyletPaths) throws -> ClusterSpec {
        guard let data = FileManager.default.contents(atPath: paths.clusterSpec) else {
            throw SkyletError.noClusterSpec(paths.clusterSpec)
        }
        do {
            return try JSONDecoder().decode(ClusterSpec.self, from: data)
        } catch {
            throw SkyletError.badInput(
                "\(paths.clusterSpec) is not a cluster description: \(error)")
        }
    }

    static func save(_ spec: ClusterSpec, _ paths: SkyletPaths) throws {
        try paths.ensureStateDir()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try atomicWrite(try encoder.encode(spec), to: paths.clusterSpec)
    }

    static func atomicWrite(_ data: Data, to path: String) throws {
        do { try AtomicFile.write(data, to: path, permissions: 0o600) } catch {
            throw SkyletError.io("\(error)")
        }
    }
}
