import Foundation
import Testing

/// `sky status` shows an ORIGIN column only when a cluster was launched by sky-operator.
@Suite struct StatusOriginTests {
    @Test func originColumnAppearsForOperatorClusters() throws {
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-cli-origin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer {
            _ = try? SkyProcess.run(["down", "-y", "-p", "orig1"], skyHome: home)
            try? FileManager.default.removeItem(at: home)
        }
        let launched = try SkyProcess.run(
            ["launch", "-y", "-c", "orig1", "--infra", "local", "echo hi"], skyHome: home)
        #expect(launched.status == 0, "\(launched.stderr)")
        let plain = try SkyProcess.run(["status"], skyHome: home)
        #expect(plain.stdout.contains("orig1"))
        #expect(!plain.stdout.contains("ORIGIN"))

        // What SkyEngine.markOperatorOrigin records for a SkyCluster's cluster.
        let update = Process()
        update.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        update.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
                + "c.execute(\"update clusters set origin='operator' where name='orig1'\"); c.commit()",
            home.appendingPathComponent("state.db").path,
        ]
        try update.run()
        update.waitUntilExit()
        #expect(update.terminationStatus == 0)

        let marked = try SkyProcess.run(["status"], skyHome: home)
        let lines = marked.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains { $0.hasPrefix("NAME") && $0.hasSuffix("ORIGIN") }, "\(marked.stdout)")
        #expect(
            lines.contains { $0.hasPrefix("orig1") && $0.hasSuffix("operator") }, "\(marked.stdout)"
        )
    }
}
