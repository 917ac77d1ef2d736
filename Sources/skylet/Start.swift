import ArgumentParser
import Foundation
import SkyCore
import Skylet

/// `skylet start`: a launch's set-up in one call (one ssh round trip, one Slurm step); with
/// `--submit`, the launch's job too (then `--follow` streams it as `submit --follow` does).
struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract:
            "Check this build, write cluster.json (ClusterSpec JSON on stdin) and start the daemon; prints {\"pid\": N}. Exits 3 when --sha256 does not match the installed build."
    )
    @Option(help: "The sha256 the engine expects of this skylet (its .sha256 file beside it).")
    var sha256: String?
    @Flag(help: "stdin is {\"cluster\": ClusterSpec, \"job\": JobSpec}: also submit the job.")
    var submit = false
    @Flag(help: "With --submit: stream the job's log until it ends.") var follow = false

    func validate() throws {
        if follow && !submit { throw ValidationError("--follow needs --submit.") }
    }

    func run() throws {
        try Self.perform(sha256: sha256, submit: submit, follow: follow)
    }

    /// The command's body (also run by `FastPath`, without the argument parser).
    static func perform(sha256: String?, submit: Bool, follow: Bool) throws {
        try reportingErrors {
            let skylet = Skylet()
            let input = readStdin()
            let cluster: ClusterSpec
            var job: Data?
            if submit {
                let request: StartRequest
                do { request = try JSONDecoder().decode(StartRequest.self, from: input) } catch {
                    throw ValidationError("stdin is not a {cluster, job} start request: \(error)")
                }
                cluster = request.cluster
                job = try JSONEncoder().encode(request.job)
            } else {
                cluster = try Skylet.decodeCluster(input)
            }
            do {
                try skylet.prepare(cluster: cluster, expectedSHA256: sha256)
            } catch let error as SkyletError where error.isOutdated {
                try? FileHandle.standardError.write(contentsOf: Data("skylet: \(error)\n".utf8))
                throw ExitCode(SkyletError.outdatedExitCode)
            } catch {
                if follow { printLine(SkyletWire.errorMarker + "\(error)") }
                throw error
            }
            // The job's driver starts before the daemon does (and the daemon a little later):
            // the job does not need it at once, and both starting together slows the job's start.
            let submitted = job.map { job in Result { try skylet.submit(specJSON: job) } }
            do {
                let started = (try? submitted?.get()) != nil
                try printJSON(["pid": try skylet.ensureDaemon(cluster, afterJobStart: started)])
            } catch {
                if follow { printLine(SkyletWire.errorMarker + "\(error)") }
                throw error
            }
            if let submitted { try reportSubmitted(skylet, submitted, follow: follow) }
        }
    }
}
