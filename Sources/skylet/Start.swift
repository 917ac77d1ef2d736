import ArgumentParser
import Foundation
import Skylet

/// `skylet start`: a launch's set-up in one call (one ssh round trip, one Slurm step).
struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract:
            "Check this build, write cluster.json (ClusterSpec JSON on stdin) and start the daemon; prints {\"pid\": N}. Exits 3 when --sha256 does not match the installed build."
    )
    @Option(help: "The sha256 the engine expects of this skylet (its .sha256 file beside it).")
    var sha256: String?
    func run() throws {
        try reportingErrors {
            do {
                let pid = try Skylet().start(specJSON: readStdin(), expectedSHA256: sha256)
                try printJSON(["pid": pid])
            } catch let error as SkyletError {
                guard case .outdated = error else { throw error }
                try? FileHandle.standardError.write(contentsOf: Data("skylet: \(error)\n".utf8))
                throw ExitCode(SkyletError.outdatedExitCode)
            }
        }
    }
}
