import Foundation
import Testing

@Suite("secrets given on the command line")
struct SecretRedactionTests {
    /// A `--secret K=V` value must not reach the state database or `sky status -o json`
    /// (which shows the recorded creation command), on a real local-backend launch.
    @Test func secretValueNeverRecordedInState() throws {
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-cli-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer {
            _ = try? SkyProcess.run(["down", "-y", "sec"], skyHome: home)
            try? FileManager.default.removeItem(at: home)
        }
        let value = "s3cr3t-\(UUID().uuidString)"
        let launch = try SkyProcess.run(
            ["launch", "-y", "-c", "sec", "--secret", "TOKEN=\(value)", "--", "echo", "$TOKEN"],
            skyHome: home)
        #expect(launch.status == 0, "\(launch.stderr)")
        #expect(!launch.stdout.contains(value))
        let status = try SkyProcess.run(["status", "-o", "json"], skyHome: home)
        #expect(status.status == 0)
        #expect(status.stdout.contains("TOKEN=<redacted>"))
        #expect(!status.stdout.contains(value))
        for file in try FileManager.default.contentsOfDirectory(atPath: home.path)
        where file.hasPrefix("state.db") {
            let bytes = try Data(contentsOf: home.appendingPathComponent(file))
            #expect(bytes.range(of: Data(value.utf8)) == nil, "secret found in \(file)")
        }
    }
}
