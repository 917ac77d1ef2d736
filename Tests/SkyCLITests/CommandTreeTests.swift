import Foundation
import Testing

@Suite("sky command tree")
struct CommandTreeTests {
    static let groups = [
        "launch", "exec", "status", "queue", "logs", "cancel", "stop", "start", "down",
        "autostop", "check", "gpus", "cost-report", "storage", "volumes", "jobs", "serve", "api",
        "ssh", "plugins", "validate",
    ]

    @Test func helpListsEveryCommand() throws {
        let result = try SkyProcess.run(["--help"])
        #expect(result.status == 0)
        let commandLines = result.stdout.split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        for name in Self.groups {
            #expect(
                commandLines.contains { $0.hasPrefix(name + " ") || $0 == name },
                "'sky --help' does not list \(name)")
        }
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: [
        ["jobs", "--help"], ["jobs", "pool", "--help"], ["serve", "--help"], ["api", "--help"],
        ["storage", "--help"], ["volumes", "--help"], ["ssh", "--help"], ["gpus", "--help"],
    ])
    func groupHelpExitsZero(_ arguments: [String]) throws {
        let result = try SkyProcess.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("SUBCOMMANDS"))
    }

    @Test func subcommandsOfJobsAreListed() throws {
        let result = try SkyProcess.run(["jobs", "--help"])
        for name in ["launch", "queue", "logs", "cancel", "pool"] {
            #expect(result.stdout.contains("  \(name)"), "'sky jobs --help' does not list \(name)")
        }
    }

    @Test func versionPrintsAndExitsZero() throws {
        let result = try SkyProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(
            result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")
                .count == 3)
    }

    @Test(arguments: [
        (["serve", "status"], "sky serve status: not available yet in this build"),
        (["api", "info", "-o", "json"], "sky api info: not available yet in this build"),
        (["jobs", "queue"], "sky jobs queue: not available yet in this build"),
    ])
    func placeholderExitsTwoWithOneLine(_ arguments: [String], _ line: String) throws {
        let result = try SkyProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr == line + "\n")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [
        ["frobnicate"],
        ["status", "--no-such-flag"],
        ["validate", "-o", "xml", "task.yaml"],
        ["launch", "--num-nodes", "two"],
        ["logs"],
    ])
    func usageErrorsExitTwo(_ arguments: [String]) throws {
        let result = try SkyProcess.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Error") || result.stderr.contains("error"))
        #expect(result.stdout.isEmpty)
    }
}
