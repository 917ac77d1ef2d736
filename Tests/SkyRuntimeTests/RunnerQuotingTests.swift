import Foundation
import Testing

@testable import SkyRuntime

@Suite struct RunnerQuotingTests {
    @Test func plainWordsStayReadable() {
        #expect(ShellQuote.quote("abc-1.2/x") == "abc-1.2/x")
        #expect(ShellQuote.quote("") == "''")
        #expect(ShellQuote.quote("a b") == "'a b'")
        #expect(ShellQuote.quote("it's") == "'it'\\''s'")
        #expect(ShellQuote.join(["echo", "a b", "c"]) == "echo 'a b' c")
    }

    @Test func hostileArgumentsSurviveARealBash() async throws {
        try? FileManager.default.removeItem(atPath: "/tmp/sky-quote-pwned")
        let script = "printf '%s\\0' " + ShellQuote.join(hostileArguments)
        let result = try await ProcessExecution.run(["bash", "-c", script])
        #expect(result.exitCode == 0)
        let parts = result.stdout.split(separator: "\0", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
        #expect(parts == hostileArguments)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sky-quote-pwned"))
    }

    @Test func remoteCommandPutsEnvironmentFirst() {
        let runner = SSHRunner(options: SSHOptions(host: "h"))
        let line = runner.remoteCommand(["echo", "x y"], environment: ["B": "2 3", "A": "1"])
        #expect(line == "env A=1 'B=2 3' echo 'x y'")
    }

    @Test func sshArgvIsExplicit() {
        let options = SSHOptions(
            host: "10.0.0.5", user: "u", port: 2222, identityFile: "/k/id",
            proxyJump: "jump@bastion", knownHostsFiles: ["/kh/known hosts"],
            hostKeyPolicy: .acceptNew, controlDirectory: "/tmp/cm")
        let argv = SSHRunner(options: options).sshArgv("true")
        #expect(argv.first == "ssh")
        #expect(argv.suffix(3) == ["--", "u@10.0.0.5", "true"])
        #expect(argv.contains("StrictHostKeyChecking=accept-new"))
        #expect(argv.contains("UserKnownHostsFile=\"/kh/known hosts\""))
        #expect(argv.contains("ControlMaster=no"))
        #expect(argv.contains("2222"))
        #expect(argv.contains("jump@bastion"))
        #expect(!argv.contains("StrictHostKeyChecking=no"))
    }
}
