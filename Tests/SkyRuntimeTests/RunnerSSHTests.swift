import Foundation
import Testing

@testable import SkyRuntime

@Suite(
    .enabled(
        if: RunnerTestbed.available,
        "SSH testbed not configured: run `eval \"$(/work/shared/testbed/sshpool.sh env)\"`"))
struct RunnerSSHTests {
    @Test func hostileArgumentsSurviveARealSSH() async throws {
        let cm = try RunnerTestbed.tempDirectory("cm")
        let runner = SSHRunner(options: RunnerTestbed.options(0, controlDirectory: cm))
        defer { Task { await runner.closeMaster() } }
        let result = try await runner.run(
            ["printf", "%s\\0"] + hostileArguments, stdin: nil, environment: [:])
        #expect(result.exitCode == 0)
        let parts = result.stdout.split(separator: "\0", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
        #expect(parts == hostileArguments)
        let hostile = try await runner.run(
            ["test", "-e", "/tmp/sky-quote-pwned"], stdin: nil, environment: [:])
        #expect(hostile.exitCode == 1)
        #expect(
            FileManager.default.fileExists(
                atPath: RunnerTestbed.options(0, controlDirectory: cm).controlPath ?? ""))
        await runner.closeMaster()
    }

    @Test func environmentStdinExitCodesAndStreaming() async throws {
        let cm = try RunnerTestbed.tempDirectory("cm")
        let runner = SSHRunner(options: RunnerTestbed.options(1, controlDirectory: cm))
        let result = try await runner.run(
            ["sh", "-c", "echo \"$X\"; cat; exit 7"], stdin: Data("from stdin".utf8),
            environment: ["X": "it's $(x)"])
        #expect(result.exitCode == 7)
        #expect(result.stdout == "it's $(x)\nfrom stdin")
        let lines = LineCollector()
        let code = try await runner.stream(
            ["sh", "-c", "hostname; whoami"], stdin: nil, environment: [:]
        ) { lines.add($0) }
        #expect(code == 0)
        #expect(lines.all == ["node2", "sky2"])
        await runner.closeMaster()
    }

    @Test func rsyncUploadAndDownload() async throws {
        let cm = try RunnerTestbed.tempDirectory("cm")
        let src = try RunnerTestbed.tempDirectory("src")
        defer { try? FileManager.default.removeItem(atPath: src) }
        try "payload 'q'".write(toFile: src + "/f.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            atPath: src + "/skip", withIntermediateDirectories: true)
        try "x".write(toFile: src + "/skip/x", atomically: true, encoding: .utf8)
        let runner = SSHRunner(options: RunnerTestbed.options(2, controlDirectory: cm))
        let target = "~/rt-\(UUID().uuidString.prefix(6))/nested/"
        try await runner.upload(src + "/", to: target, filters: ["--exclude", "skip"])
        let remote = SSHRunner.homeRelative(target)
        let listed = try await runner.run(["ls", "-A", remote], stdin: nil, environment: [:])
        #expect(listed.stdout == "f.txt\n")
        try await runner.download(remote + "f.txt", to: src + "/back.txt")
        #expect(try String(contentsOfFile: src + "/back.txt", encoding: .utf8) == "payload 'q'")
        _ = try await runner.run(
            ["rm", "-rf", String(remote.split(separator: "/")[0])], stdin: nil, environment: [:])
        await runner.closeMaster()
    }

    @Test func unreachableHostIsAClearError() async throws {
        var options = RunnerTestbed.options(0, controlDirectory: nil)
        options.host = "10.77.0.49"
        options.connectTimeoutSeconds = 2
        let runner = SSHRunner(options: options)
        await #expect(throws: RunnerError.self) {
            _ = try await runner.run(["true"], stdin: nil, environment: [:])
        }
    }

    @Test func unknownHostKeyIsRefusedWhenStrict() async throws {
        var options = RunnerTestbed.options(0, controlDirectory: nil)
        let empty = try RunnerTestbed.tempDirectory("kh") + "/known_hosts"
        _ = FileManager.default.createFile(atPath: empty, contents: nil)
        options.knownHostsFiles = [empty]
        await #expect(throws: RunnerError.self) {
            _ = try await SSHRunner(options: options).run(["true"], stdin: nil, environment: [:])
        }
        options.hostKeyPolicy = .acceptNew
        let ok = try await SSHRunner(options: options).run(["true"], stdin: nil, environment: [:])
        #expect(ok.exitCode == 0)
        // The key was recorded (possibly hashed): strict checking now passes with that file.
        #expect(!(try String(contentsOfFile: empty, encoding: .utf8)).isEmpty)
        options.hostKeyPolicy = .strict
        let strict = try await SSHRunner(options: options).run(
            ["true"], stdin: nil, environment: [:])
        #expect(strict.exitCode == 0)
    }
}
