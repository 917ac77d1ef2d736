import Foundation
import Testing

/// Ctrl-C while `sky launch` follows its job's logs: the job keeps running, the cluster stays
/// recorded UP, sky says how to follow or cancel the job, prints none of the job's lines after
/// saying so, exits 130 and leaves nothing of its own following the log.
@Suite("Ctrl-C while a launch follows its job", .serialized, .timeLimit(.minutes(2)))
struct FollowInterruptTests {
    @Test func onTheLocalMachine() throws {
        let home = try Self.makeHome()
        defer { Self.tearDown(home) }
        let (status, stdout, stderr) = try Self.launchAndInterrupt(
            ["--infra", "local", Self.run], home: home, environment: [:])
        #expect(status == 130, "\(stderr)")
        #expect(!stdout.contains("second"), "\(stdout)")
        #expect(stderr.contains("Job 1 is still running on cluster 'ctrlc'"), "\(stderr)")
        #expect(stderr.contains("sky logs ctrlc 1"), "\(stderr)")
        #expect(stderr.contains("sky cancel ctrlc 1"), "\(stderr)")
        let queue = try SkyProcess.run(["queue", "ctrlc"], skyHome: home)
        #expect(queue.stdout.contains("RUNNING"), "\(queue.stdout)\(queue.stderr)")
    }

    /// On Slurm the log is followed through an `srun` step that would stream on, to no one,
    /// until the job ends. `kill` (SIGTERM) is handled as Ctrl-C is, and exits 143.
    @Test(.slurmTestbed, arguments: [SIGINT, SIGTERM])
    func onSlurmNoFollowerIsLeft(signal: Int32) throws {
        let home = try Self.makeHome()
        defer { Self.tearDown(home) }
        let task = try Self.slurmTask(in: home)
        let (status, stdout, stderr) = try Self.launchAndInterrupt(
            [task.path], home: home, environment: ["HOME": home.path], signal: signal)
        #expect(status == 128 + signal, "\(stderr)")
        #expect(stderr.contains("Job 1 is still running on cluster 'ctrlc'"), "\(stderr)")
        #expect(!stdout.contains("second"), "\(stdout)")
        #expect(stderr.contains("sky logs ctrlc 1"), "\(stderr)")
        Self.expectNoFollower(of: home)
        let queue = try SkyProcess.run(
            ["queue", "ctrlc"], skyHome: home, environment: ["HOME": home.path])
        #expect(queue.stdout.contains("RUNNING"), "\(queue.stdout)\(queue.stderr)")
    }

    /// `sky logs` follows through an `srun` step in a process group of its own (a terminal's
    /// Ctrl-C does not reach it): a signal that ends sky must end it too.
    @Test(.slurmTestbed, arguments: [SIGINT, SIGTERM])
    func skyLogsOnSlurmLeavesNoFollower(signal: Int32) throws {
        let home = try Self.makeHome()
        defer { Self.tearDown(home) }
        let task = try Self.slurmTask(in: home)
        let environment = ["HOME": home.path]
        let launched = try SkyProcess.run(
            ["launch", "-y", "-d", "-c", "ctrlc", task.path], skyHome: home,
            environment: environment)
        #expect(launched.status == 0, "\(launched.stderr)")
        let (status, _, stderr) = try Self.runAndSignal(
            ["logs", "ctrlc", "1"], home: home, environment: environment, signal: signal)
        #expect(status == 128 + signal, "\(stderr)")
        Self.expectNoFollower(of: home)
    }

    /// The job: a first line (sky is interrupted once it shows), a second one soon after
    /// (which sky, no longer following, must not show), then a while of nothing.
    static let run = "echo first; sleep 0.3; echo second; sleep 20"

    /// A 1-node Slurm task running `run`, in `home`.
    static func slurmTask(in home: URL) throws -> URL {
        let task = home.appendingPathComponent("task.yaml")
        try "resources:\n  infra: slurm\n  cpus: 1\nrun: \(run)\n".write(
            to: task, atomically: true, encoding: .utf8)
        return task
    }

    /// No log follower of `home`'s clusters is left (given five seconds to end).
    static func expectNoFollower(of home: URL) {
        var left = followers(of: home.path)
        for _ in 0..<50 where !left.isEmpty {
            usleep(100_000)
            left = followers(of: home.path)
        }
        #expect(left.isEmpty, "\(left)")
    }

    static func makeHome() throws -> URL { try SkyProcess.scratchHome("ctrlc") }

    static func tearDown(_ home: URL) {
        SkyProcess.removeHome(home, downing: "ctrlc", environment: ["HOME": home.path])
    }

    /// `sky launch -y -c ctrlc <arguments>`, `signal` once the job printed `first`; the exit
    /// status, stdout and stderr.
    static func launchAndInterrupt(
        _ arguments: [String], home: URL, environment extra: [String: String],
        signal: Int32 = SIGINT
    ) throws -> (Int32, String, String) {
        try runAndSignal(
            ["launch", "-y", "-c", "ctrlc"] + arguments, home: home, environment: extra,
            signal: signal)
    }

    /// `sky <arguments>`, `signal` (to sky alone) once the job printed `first`; the exit
    /// status, stdout and stderr.
    static func runAndSignal(
        _ arguments: [String], home: URL, environment extra: [String: String], signal: Int32
    ) throws -> (Int32, String, String) {
        let sky = try RunningSky(arguments, home: home, environment: extra)
        var seen = ""
        sky.read(into: &seen) { $0.contains("first") }
        #expect(seen.contains("first"), "\(seen)")
        kill(sky.process.processIdentifier, signal)
        sky.process.waitUntilExit()
        sky.readRest(into: &seen)
        let stderr = sky.stderr
        #expect(sky.process.terminationReason == .exit, "\(stderr)")
        return (sky.process.terminationStatus, seen, stderr)
    }

    /// Processes with `--follow` in their command line and `home` in their environment.
    static func followers(of home: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { Int($0) != nil }.compactMap { pid -> String? in
            guard
                let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")),
                let environment = try? Data(
                    contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))
            else { return nil }
            let line = String(decoding: command.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            guard line.contains("--follow"),
                String(decoding: environment, as: UTF8.self).contains(home)
            else { return nil }
            return "\(pid): \(line)"
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// The Slurm test bed is up and its environment set (`SLURM_CONF`).
    static var slurmTestbed: Self {
        .enabled(
            if: FileManager.default.fileExists(
                atPath: ProcessInfo.processInfo.environment["SLURM_CONF"] ?? ""),
            "No Slurm test bed (SLURM_CONF): Tests/testbed/slurm.sh up; eval its env")
    }
}
