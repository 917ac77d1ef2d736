import Foundation
import SkyCore

/// Puts the task's workdir in `~/sky_workdir` on every node: a local directory by rsync (with
/// `.skyignore` / `.gitignore` exclusions), or a git repository cloned on each node at the
/// requested ref. Returns the `GIT_*` variables the job should see for a git workdir.
package struct WorkdirSync: Sendable {
    /// Remote directory, relative to each node's home.
    package static let remoteDirectory = "sky_workdir"

    /// Where `GIT_TOKEN` (HTTPS) and `GIT_SSH_KEY_PATH` (ssh) are looked up: the task's envs
    /// and secrets, then the caller's environment.
    package var credentials: [String: String]

    package init(credentials: [String: String] = [:]) {
        self.credentials = credentials
    }

    @discardableResult
    package func sync(_ workdir: Task.Workdir, runners: [any CommandRunner]) async throws
        -> [(String, String)]
    {
        switch workdir {
        case .path(let path):
            try await syncDirectory(path, runners: runners)
            return []
        case .git(let url, let ref):
            return try await GitCheckout(url: url, ref: ref, credentials: credentials)
                .checkout(on: runners, into: Self.remoteDirectory)
        }
    }

    /// Refuses a local workdir that is not a directory here, without touching a node: a launch
    /// checks this before it creates anything.
    package static func check(_ workdir: Task.Workdir) throws {
        guard case .path(let path) = workdir else { return }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue
        else { throw SyncError.missingSource(path) }
    }

    private func syncDirectory(_ path: String, runners: [any CommandRunner]) async throws {
        try Self.check(.path(path))
        let source = path.hasSuffix("/") ? path : path + "/"
        let filters = SyncFilters.common + SyncFilters.forDirectory(path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for runner in runners {
                group.addTask {
                    try await runner.upload(
                        source, to: "~/\(Self.remoteDirectory)/", filters: filters)
                }
            }
            try await group.waitForAll()
        }
    }
}
