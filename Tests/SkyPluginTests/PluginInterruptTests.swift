import Foundation
import Testing

/// Ctrl-C (SIGINT to `sky`) while a plugin call is pending: the plugin receives `cancel` for
/// that call and `sky` exits with status 130.
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: SkyBinary.path),
        "swift build --product sky first"))
struct PluginInterruptTests {
    @Test func ctrlCSendsCancelToThePendingCall() async throws {
        let fx = try PluginFixture(tag: "sigint")
        defer { fx.cleanUp() }
        let started = fx.root + "/started"
        let cancelled = fx.root + "/cancelled"
        try fx.script(
            "slowchk",
            """
            #!/usr/bin/env python3
            import json, signal, sys
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            for line in sys.stdin:
                msg = json.loads(line)
                method = msg.get("method")
                if method == "handshake":
                    print(json.dumps({"id": msg["id"], "result": {"protocolVersion": 1, "name": "slowchk", "capabilities": []}}), flush=True)
                elif method == "checkCredentials":
                    open("\(started)", "w").write(str(msg["id"]))  # and never answers
                elif method == "cancel":
                    open("\(cancelled)", "w").write(str(msg["params"]["id"]))
            """)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SkyBinary.path)
        process.arguments = ["check", "slowchk"]
        process.environment = [
            "HOME": fx.root + "/home", "SKY_HOME": fx.root + "/sky", "PATH": "/usr/bin:/bin",
            "SKY_PLUGIN_PATH": fx.root + "/bin", "SKY_CHECK_TIMEOUT": "120",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for _ in 0..<600 where !FileManager.default.fileExists(atPath: started) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let callID = try String(contentsOfFile: started, encoding: .utf8)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(
            decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("Interrupted: cancelling plugin calls"))
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: cancelled) {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try String(contentsOfFile: cancelled, encoding: .utf8) == callID)
    }
}
