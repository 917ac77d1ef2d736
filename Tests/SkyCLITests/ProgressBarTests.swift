import Foundation
import Testing

/// A progress bar redraws its line with "\r" and writes no newline until it is done; sky
/// shows each redraw as it comes (as SkyPilot does), not the whole bar at its end. (A bar that
/// starts each redraw with "\r", as tqdm does, shows a redraw when the next one starts.)
@Suite("A job's progress bar", .serialized, .timeLimit(.minutes(2)))
struct ProgressBarTests {
    @Test func eachRedrawReachesTheTerminalBeforeTheLineEnds() throws {
        let home = try SkyProcess.scratchHome("bar")
        defer { SkyProcess.removeHome(home, downing: "bar") }
        let go = home.appendingPathComponent("go").path
        // The bar goes on only once this test has seen its first redraw (or after 20 s).
        let run =
            "printf 'step 1\\r'; for i in $(seq 200); do [ -f \(go) ] && break; sleep 0.1; done; "
            + "[ -f \(go) ] && printf 'step 2\\n' || printf 'too late\\n'"
        let sky = try RunningSky(
            ["launch", "-y", "-c", "bar", "--infra", "local", run], home: home)
        var seen = ""
        sky.read(into: &seen) { $0.contains("step 1\r") }
        #expect(seen.contains("step 1\r"), "\(seen.debugDescription)")
        _ = FileManager.default.createFile(atPath: go, contents: nil)
        sky.read(into: &seen) { _ in false }
        sky.process.waitUntilExit()
        #expect(sky.process.terminationStatus == 0, "\(sky.stderr)")
        #expect(seen.hasSuffix("step 1\rstep 2\n"), "\(seen.debugDescription)")
        let logs = try SkyProcess.run(["logs", "bar", "1"], skyHome: home)
        #expect(logs.stdout == "step 1\rstep 2\n", "\(logs.stdout.debugDescription)")
    }
}
