import Foundation
import Glibc
import SkyCore
import Testing

/// `AtomicFile` (replace a file in one step, no sync) and `ChildProcess`'s own `PATH` lookup.
struct ProcessAndFileTests {
    private func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("skycore-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func atomicFileReplacesContentsAndLeavesNothingElse() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/cluster.json"
        try AtomicFile.write("first\n", to: path, permissions: 0o600)
        try AtomicFile.write("second\n", to: path, permissions: 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["cluster.json"])
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func atomicFileNamesThePathItCouldNotWrite() throws {
        let path = "/nonexistent-\(UUID().uuidString.prefix(8))/x.json"
        #expect {
            try AtomicFile.write("x", to: path)
        } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("No such file or directory")
        }
    }

    @Test func lookUpFindsExecutablesOnTheChildsPath() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tool = dir + "/sky-test-tool"
        try "#!/bin/sh\necho looked-up \"$@\"\n".write(
            toFile: tool, atomically: false, encoding: .utf8)
        let plain = dir + "/sky-test-plain"
        try "data".write(toFile: plain, atomically: false, encoding: .utf8)
        chmod(tool, 0o755)
        let environment = ["PATH": "relative/dir:/nonexistent:" + dir]
        #expect(ChildProcess.lookUp("sky-test-tool", environment: environment) == tool)
        #expect(ChildProcess.lookUp("sky-test-plain", environment: environment) == nil)
        #expect(ChildProcess.lookUp("sky-test-tool", environment: ["PATH": "/usr/bin"]) == nil)

        // Spawned from the child's PATH, and a name on no PATH still fails like `env` says.
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let child = try ChildProcess.spawn(
            ["sky-test-tool", "a b"], environment: environment, stdout: .fd(fds[1]))
        close(fds[1])
        let output = FDIO.readAll(fds[0])
        close(fds[0])
        let done = DispatchSemaphore(value: 0)
        child.onExit { _ in done.signal() }
        done.wait()
        #expect(child.exitCode == 0)
        #expect(String(decoding: output, as: UTF8.self) == "looked-up a b\n")
        let missing = try ChildProcess.spawn(["sky-no-such-tool"], environment: environment)
        let gone = DispatchSemaphore(value: 0)
        missing.onExit { _ in gone.signal() }
        gone.wait()
        #expect(missing.exitCode == 127)
    }
}
