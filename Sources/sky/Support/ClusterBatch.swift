import ArgumentParser
import SkyEngine

/// The cluster selection and confirmation shared by `sky stop` and `sky down`: names or globs,
/// `-a` / `-u`, `-y`, and SkyPilot's `--graceful` flags.
struct ClusterBatch: ParsableArguments {
    @Argument(help: "Cluster names; glob patterns allowed.")
    var clusters: [String] = []

    @Flag(name: .shortAndLong, help: "All clusters of the current user.")
    var all = false

    @Flag(name: [.customShort("u"), .customLong("all-users")], help: "All clusters of every user.")
    var allUsers = false

    @Flag(name: .shortAndLong, help: "Do not ask for confirmation (needed without a terminal).")
    var yes = false

    @Flag(
        help: """
            Wait for MOUNT_CACHED storage uploads first (SkyPilot's flag; accepted for \
            compatibility: Sky has no MOUNT_CACHED mounts, so there is nothing to wait for).
            """)
    var graceful = false

    @Option(name: .customLong("graceful-timeout"), help: "Seconds to wait with --graceful.")
    var gracefulTimeout: Int?

    func validate() throws {
        if clusters.isEmpty && !all && !allUsers {
            throw ValidationError("Name a cluster or pass --all.")
        }
        if gracefulTimeout != nil && !graceful {
            throw ValidationError("--graceful-timeout requires --graceful.")
        }
    }

    /// Resolves the clusters, asks once, then runs `action` on each; a failure on one cluster is
    /// reported and the others still run (exit 1 at the end). Wording: `operation` "tear down",
    /// `progressive` "Terminating", `done` "terminated".
    func run(
        engine: SkyEngine, operation: String, progressive verb: String, done: String,
        _ action: (String) async throws -> Void
    ) async throws {
        let names = try await engine.clusterNames(clusters, all: all || allUsers)
        guard !names.isEmpty else { return Console.print("No clusters to \(operation).") }
        let prompt = "\(verb) \(names.count) cluster(s): \(names.joined(separator: ", ")). Proceed?"
        guard Console.confirm(prompt, assumeYes: yes) else { throw CLIError.aborted }
        var failed = false
        for name in names {
            do {
                try await Console.withProgress("\(verb) \(name) ...") { try await action(name) }
                Console.print("Cluster \(name) \(done).")
            } catch {
                Console.error("sky: \(error)")
                failed = true
            }
        }
        if failed { throw CLIError.reported }
    }
}
