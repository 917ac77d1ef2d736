import Foundation
import Testing

/// `sky stop` / `sky down` confirmation and selection, on a real local cluster.
@Suite struct ClusterBatchTests {
    @Test func downWithoutTerminalNeedsYesAndKeepsTheCluster() throws {
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-cli-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer {
            _ = try? SkyProcess.run(["down", "-y", "-p", "batch1"], skyHome: home)
            try? FileManager.default.removeItem(at: home)
        }
        let launched = try SkyProcess.run(
            ["launch", "-y", "-c", "batch1", "--infra", "local", "echo hi"], skyHome: home)
        #expect(launched.status == 0, "\(launched.stderr)")

        // stdin is a pipe, not a terminal: no prompt, refuse, say how to confirm.
        let refused = try SkyProcess.run(["down", "batch1"], skyHome: home)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("pass -y"), "\(refused.stderr)")
        let stillThere = try SkyProcess.run(["status", "-o", "json"], skyHome: home)
        #expect(stillThere.stdout.contains("batch1"))

        let timeoutAlone = try SkyProcess.run(
            ["stop", "--graceful-timeout", "5", "batch1"], skyHome: home)
        #expect(timeoutAlone.status != 0)
        #expect(timeoutAlone.stderr.contains("--graceful"), "\(timeoutAlone.stderr)")

        let down = try SkyProcess.run(["down", "-y", "batch1"], skyHome: home)
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stdout.contains("Cluster batch1 terminated."))
        let gone = try SkyProcess.run(["status", "-o", "json"], skyHome: home)
        #expect(!gone.stdout.contains("batch1"))
    }
}
