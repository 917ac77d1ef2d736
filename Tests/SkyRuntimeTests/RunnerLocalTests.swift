import Foundation
import Testing

@testable import SkyRuntime

@Suite struct RunnerLocalTests {
    @Test func runsInItsHomeWithOverrides() async throws {
        let home = try RunnerTestbed.tempDirectory("local")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let runner = LocalRunner(nodeName: "node0", home: home)
        let result = try await runner.run(
            ["sh", "-c", "echo \"$HOME|$(pwd)|$SKY_X\"; echo err >&2; exit 3"], stdin: nil,
            environment: ["SKY_X": "v w"])
        #expect(result.exitCode == 3)
        #expect(result.stdout == "\(home)|\(home)|v w\n")
        #expect(result.stderr == "err\n")
    }

    @Test func passesArgumentsAndStdinUntouched() async throws {
        let runner = LocalRunner()
        let result = try await runner.run(
            ["printf", "%s\\0"] + hostileArguments, stdin: nil, environment: [:])
        let parts = result.stdout.split(separator: "\0", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
        #expect(parts == hostileArguments)
        let echoed = try await runner.run(
            ["cat"], stdin: Data("secret\nlines".utf8), environment: [:])
        #expect(echoed.stdout == "secret\nlines")
    }

    @Test func streamsLinesAsTheyArrive() async throws {
        let lines = LineCollector()
        let code = try await LocalRunner().stream(
            ["sh", "-c", "echo one; echo two; printf three; exit 4"], stdin: nil,
            environment: [:]
        ) { lines.add($0) }
        #expect(code == 4)
        #expect(lines.all == ["one", "two", "three"])
    }

    @Test func cancellationKillsTheProcessGroup() async throws {
        let dir = try RunnerTestbed.tempDirectory("cancel")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pidFile = dir + "/child.pid"
        let task = Task {
            try await LocalRunner().run(
                ["sh", "-c", "sleep 300 & echo $! > \(pidFile); wait"], stdin: nil,
                environment: [:])
        }
        while !FileManager.default.fileExists(atPath: pidFile) {
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        _ = try? await task.value
        let pidText = try String(contentsOfFile: pidFile, encoding: .utf8)
        let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(pid > 0)
        // The grandchild `sleep` was in the same process group: it must be gone (or a zombie
        // reaped by init) shortly after.
        var alive = true
        for _ in 0..<100 {
            if kill(pid, 0) != 0 {
                alive = false
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!alive)
    }

    @Test func uploadAndDownloadRelativeToHome() async throws {
        let home = try RunnerTestbed.tempDirectory("lhome")
        let src = try RunnerTestbed.tempDirectory("lsrc")
        defer {
            try? FileManager.default.removeItem(atPath: home)
            try? FileManager.default.removeItem(atPath: src)
        }
        try "hello".write(toFile: src + "/a.txt", atomically: true, encoding: .utf8)
        let runner = LocalRunner(nodeName: "node0", home: home)
        try await runner.upload(src + "/", to: "~/deep/dir/", filters: [])
        #expect(try String(contentsOfFile: home + "/deep/dir/a.txt", encoding: .utf8) == "hello")
        try await runner.download("deep/dir/a.txt", to: src + "/back/b.txt")
        #expect(try String(contentsOfFile: src + "/back/b.txt", encoding: .utf8) == "hello")
    }
}

/// Thread-safe line sink for streaming tests.
final class LineCollector: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
