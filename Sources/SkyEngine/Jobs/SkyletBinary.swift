import Foundation
import SkyRuntime
import SkyCore
import Synchronization

/// Finds the local `skylet` executable the engine installs on nodes, and hashes it.
package enum SkyletBinary {
    /// `$SKY_SKYLET_BINARY`, else `skylet` next to the running executable (symlinks resolved).
    package static func locate(environment: [String: String]) -> String {
        if let path = environment["SKY_SKYLET_BINARY"], !path.isEmpty { return path }
        let argv0 = CommandLine.arguments.first ?? "sky"
        var exe = URL(fileURLWithPath: argv0).resolvingSymlinksInPath()
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            exe = URL(fileURLWithPath: resolved)
        }
        return exe.deletingLastPathComponent().appendingPathComponent("skylet").path
    }

    private static let cache = Mutex<[String: (Date, String)]>([:])

    /// sha256 of the file (cached per path and modification time).
    package static func sha256(_ path: String) async throws -> String {
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        if let hit = cache.withLock({ $0[path] }), hit.0 == modified { return hit.1 }
        let result = try await ProcessExecution.run(["sha256sum", path])
        guard result.exitCode == 0, let hash = result.stdout.split(separator: " ").first else {
            throw JobsError.installFailed(node: "local", detail: "sha256sum \(path): \(result.stderr)")
        }
        cache.withLock { $0[path] = (modified, String(hash)) }
        return String(hash)
    }
}

/// The status line a log stream ends with.
final class StatusBox: Sendable {
    private let stored = Mutex<JobStatus?>(nil)
    func set(_ status: JobStatus?) { stored.withLock { $0 = status } }
    var value: JobStatus? { stored.withLock { $0 } }
}
