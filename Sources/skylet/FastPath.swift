import ArgumentParser
import Foundation
import Skylet

/// The engine's hot calls, run without the argument parser: parsing this command tree costs
/// a few milliseconds of CPU per process (reflection over every option), and a launch starts
/// three skylets (`start`, the job's `run-job`, the `daemon`) while the job's first line is
/// awaited. Only the exact forms the engine and the skylet itself send are taken here;
/// anything else goes through `SkyletCommand`'s parser as before.
enum FastPath {
    /// The exit code of `arguments` run here, or nil when they are not one of the hot forms.
    static func run(_ arguments: [String]) -> Int32? {
        guard let command = arguments.first else { return nil }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "run-job":
            guard rest.count == 1, let id = Int(rest[0]) else { return nil }
            return finish { try RunJob.perform(id: id) }
        case "daemon":
            guard rest == ["--foreground"] else { return nil }
            return finish { try reportingErrors { try Skylet().runDaemon() } }
        case "start":
            var sha256: String?
            var submit = false
            var follow = false
            var index = 0
            while index < rest.count {
                switch rest[index] {
                case "--sha256" where index + 1 < rest.count && sha256 == nil:
                    sha256 = rest[index + 1]
                    index += 1
                case "--submit" where !submit: submit = true
                case "--follow" where !follow: follow = true
                default: return nil
                }
                index += 1
            }
            guard submit || !follow else { return nil }
            return finish { try Start.perform(sha256: sha256, submit: submit, follow: follow) }
        default:
            return nil
        }
    }

    /// `body`'s exit code: 0, an `ExitCode`'s, or 1 (`reportingErrors` printed the error).
    private static func finish(_ body: () throws -> Void) -> Int32 {
        do {
            try body()
            return 0
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("skylet: \(error)\n".utf8))
            return 1
        }
    }
}
