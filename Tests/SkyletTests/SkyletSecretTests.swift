import Foundation
import SkyCore
import Testing

@Suite(.serialized)
struct SkyletSecretTests {
    @Test func secretsAreRedactedInLogsAndAbsentFromArgvAndDB() throws {
        let h = try SkyletHarness(nodes: 2)
        defer { h.cleanup() }
        let secret = "s3cr3t-\(UUID().uuidString)"
        let gate = h.root + "/go"
        let id = try h.submit(
            h.spec(
                run: #"echo "token is $API_TOKEN"; touch "$HOME/started"; while [ ! -f "#
                    + gate + #" ]; do sleep 0.05; done"#,
                nodes: 2, secrets: [["API_TOKEN", secret]]))
        #expect(h.waitForFile(h.nodeHomes[0] + "/started"))
        #expect(h.waitForFile(h.nodeHomes[1] + "/started"))
        // While the job runs, no process shows the secret in its argv.
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [])
            .compactMap { Int32($0) }
        for pid in pids {
            guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
                continue
            }
            #expect(
                !String(decoding: cmdline, as: UTF8.self).contains(secret),
                "pid \(pid) has the secret in argv")
        }
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        #expect(try h.waitFor(id) == .succeeded)
        let log = try h.logs(id)
        #expect(log.contains("(head, rank=0) token is <redacted>"))
        #expect(log.contains("token is <redacted>"))
        #expect(!log.contains(secret))
        for file in ["jobs.db", "jobs.db-wal"] {
            let db = FileManager.default.contents(atPath: h.head + "/.sky/skylet/" + file) ?? Data()
            #expect(db.range(of: Data(secret.utf8)) == nil, "\(file) holds the secret")
        }
        // Nothing under the head's log dir holds it either.
        let logs = FileManager.default.enumerator(atPath: h.head + "/sky_logs")
        while let file = logs?.nextObject() as? String {
            let data = FileManager.default.contents(atPath: h.head + "/sky_logs/" + file) ?? Data()
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) holds the secret")
        }
    }

    /// `--env-file` values reach the job as envs and (as in SkyPilot) as secrets: the user gave
    /// them as envs, so the log shows them; a declared secret stays hidden, and a value too
    /// short to mean anything ("2") does not blank every "2" of the log.
    @Test func envFileValuesAndShortValuesStayInTheLog() throws {
        let h = try SkyletHarness(nodes: 1)
        defer { h.cleanup() }
        let secret = "hidden-\(UUID().uuidString)"
        let id = try h.submit(
            h.spec(
                run: #"echo "model=$MODEL epochs=$EPOCHS key=$KEY pin=$PIN of 12""#,
                envs: [["MODEL", "llama-8b"], ["EPOCHS", "2"]],
                secrets: [
                    ["MODEL", "llama-8b"], ["EPOCHS", "2"], ["KEY", secret], ["PIN", "42"],
                ]))
        #expect(try h.waitFor(id) == .succeeded)
        let log = try h.logs(id)
        #expect(log.contains("model=llama-8b epochs=2 key=<redacted> pin=42 of 12"), "\(log)")
        #expect(!log.contains(secret))
    }
}
