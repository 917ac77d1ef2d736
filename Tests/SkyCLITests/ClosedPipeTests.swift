import Foundation
import Testing

/// `sky logs <cluster> 1 | head -2`: the reader goes away while sky still writes. sky ignores
/// SIGPIPE once it runs a child, and FileHandle's write traps on EPIPE: sky crashed with a
/// backtrace (status 132). It now ends as SIGPIPE would have ended it, quietly.
@Suite("A reader that leaves sky's stdout", .serialized, .timeLimit(.minutes(2)))
struct ClosedPipeTests {
    @Test func skyLogsIntoHead() throws {
        let home = try SkyProcess.scratchHome("pipe")
        defer { SkyProcess.removeHome(home, downing: "pipe") }
        // More than a pipe holds (64 KiB), so sky is still writing when the reader leaves.
        let launched = try SkyProcess.run(
            ["launch", "-y", "-c", "pipe", "--infra", "local", "seq 1 200000 | sed 's/^/line /'"],
            skyHome: home)
        #expect(launched.status == 0, "\(launched.stderr)")
        let sky = try RunningSky(["logs", "pipe", "1"], home: home)
        var seen = ""
        sky.read(into: &seen) { $0.split(separator: "\n").count >= 2 }
        #expect(seen.hasPrefix("line 1\nline 2\n"), "\(seen.prefix(200))")
        try sky.stdout.fileHandleForReading.close()
        sky.process.waitUntilExit()
        let (process, stderr) = (sky.process, sky.stderr)
        let endedAsSIGPIPE =
            (process.terminationReason == .exit && process.terminationStatus == 128 + SIGPIPE)
            || (process.terminationReason == .uncaughtSignal
                && process.terminationStatus == SIGPIPE)
        #expect(endedAsSIGPIPE, "\(process.terminationReason) \(process.terminationStatus)")
        #expect(!stderr.contains("Fatal error") && !stderr.contains("crashed"), "\(stderr)")
    }
}
