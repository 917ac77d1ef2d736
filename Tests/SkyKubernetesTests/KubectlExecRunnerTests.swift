import Foundation
import SkyKubernetes
import SkyRuntime
import Synchronization
import Testing

/// The runner against a stand-in `kubectl` that runs the command after `--` on this machine
/// in a scratch "pod root" (so argv passing, env, stdin, exit codes and rsync over the exec
/// channel are checked without a cluster; the testbed suite checks the real thing).
@Suite struct KubectlExecRunnerTests {
    let root: String
    let runner: KubectlExecRunner

    init() throws {
        root =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-kexec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(
            atPath: root + "/home", withIntermediateDirectories: true)
        let fake = root + "/kubectl"
        try """
        #!/bin/bash
        # Stand-in kubectl: checks the exec flags, then runs the argv after -- in $ROOT/home.
        [ "$1 $2 $3 $4" = "--context ctx --namespace ns" ] || { echo "bad flags: $*" >&2; exit 99; }
        shift 4
        [ "$1" = exec ] || { echo "not exec: $*" >&2; exit 98; }
        while [ "$1" != "--" ]; do shift; done; shift
        cd "\(root)/home" && exec "$@"

        """.write(toFile: fake, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake)
        var env = ProcessInfo.processInfo.environment
        env["KUBECTL"] = fake
        runner = KubectlExecRunner(
            pod: "c-head", kubectl: Kubectl(context: "ctx", namespace: "ns", environment: env))
    }

    @Test func argvEnvironmentStdinAndExitCode() async throws {
        let args = runner.execArguments(["echo", "a b"], stdin: true, environment: ["X": "1"])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(
            args == [
                root + "/kubectl", "--context", "ctx", "--namespace", "ns", "exec", "-i", "c-head",
                "-c", "ray-node", "--", "env", "X=1", "echo", "a b",
            ])
        let result = try await runner.run(
            ["bash", "-c", "printf '%s|' \"$V\" \"$0\"; cat; exit 4", "arg with 'quote'"],
            stdin: Data("in".utf8), environment: ["V": "v; rm -rf /"])
        #expect(result.exitCode == 4)
        #expect(result.stdout == "v; rm -rf /|arg with 'quote'|in")
        let lines = Mutex<[String]>([])
        let code = try await runner.stream(["printf", "1\\n2\\n"], stdin: nil, environment: [:]) {
            line in
            lines.withLock { $0.append(line) }
        }
        #expect(code == 0)
        #expect(lines.withLock { $0 } == ["1", "2"])
    }

    @Test func uploadAndDownloadThroughExec() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(
            atPath: root + "/src/d", withIntermediateDirectories: true)
        try "x".write(toFile: root + "/src/d/f.txt", atomically: true, encoding: .utf8)
        try "skip".write(toFile: root + "/src/skip.log", atomically: true, encoding: .utf8)
        try await runner.upload(root + "/src/", to: "~/a/b/wd", filters: ["--exclude", "*.log"])
        #expect(FileManager.default.fileExists(atPath: root + "/home/a/b/wd/d/f.txt"))
        #expect(!FileManager.default.fileExists(atPath: root + "/home/a/b/wd/skip.log"))
        try await runner.download("~/a/b/wd/d/f.txt", to: root + "/out/g.txt")
        #expect(try String(contentsOfFile: root + "/out/g.txt", encoding: .utf8) == "x")
    }
}
