import Foundation
import SkyProvision
import SkyRuntime
import Testing

@testable import SkySlurm

/// Installing the skylet into `~/.sky/bin`, which every Slurm cluster home links to: two
/// clusters launched at once install the same new build concurrently.
@Suite("Slurm: atomic binary install", .timeLimit(.minutes(2)))
struct SlurmBinaryInstallTests {
    /// A 24 MB "binary" and its sha256.
    static func makeBinary(in directory: String, seed: UInt8) async throws -> (String, String) {
        let path = directory + "/skylet-src-\(seed)"
        var bytes = [UInt8](repeating: 0, count: 24 << 20)
        for i in stride(from: 0, to: bytes.count, by: 4096) {
            bytes[i] = UInt8(truncatingIfNeeded: i / 4096) &+ seed
        }
        bytes[0] = 0x7f
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        let sum = try await ProcessExecution.run(["sha256sum", path])
        return (path, String(sum.stdout.prefix(64)))
    }

    static func sha256(_ path: String) async throws -> String {
        String(try await ProcessExecution.run(["sha256sum", path]).stdout.prefix(64))
    }

    @Test func concurrentInstallsOfOneBuildLeaveOneCompleteBinary() async throws {
        let root = NSTemporaryDirectory() + "sky-h8-install-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let (source, hash) = try await Self.makeBinary(in: root, seed: 1)
        let bin = root + "/home/.sky/bin"
        for round in 0..<5 {
            try? FileManager.default.removeItem(atPath: bin)
            // Several clusters' launches at once, each on its own thread.
            let copied = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await _Concurrency.Task.detached {
                            try SlurmBinaryInstall.install(
                                source: source, hash: hash, directory: bin, name: "skylet")
                        }.value
                    }
                }
                var count = 0
                for try await did in group where did { count += 1 }
                return count
            }
            #expect(copied >= 1, "round \(round): nobody installed")
            #expect(try await Self.sha256(bin + "/skylet") == hash, "round \(round)")
            #expect(SlurmBinaryInstall.isInstalled(directory: bin, name: "skylet", hash: hash))
            #expect(FileManager.default.isExecutableFile(atPath: bin + "/skylet"))
            let left = try FileManager.default.contentsOfDirectory(atPath: bin).sorted()
            #expect(left == ["skylet", "skylet.sha256"], "round \(round): \(left)")
        }
        // Installed: a further install copies nothing.
        #expect(
            try SlurmBinaryInstall.install(
                source: source, hash: hash, directory: bin, name: "skylet") == false)
    }

    @Test func aNewBuildReplacesTheOldOneWhole() async throws {
        let root = NSTemporaryDirectory() + "sky-h8-install-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let (old, oldHash) = try await Self.makeBinary(in: root, seed: 1)
        let (new, newHash) = try await Self.makeBinary(in: root, seed: 2)
        let bin = root + "/bin"
        #expect(
            try SlurmBinaryInstall.install(
                source: old, hash: oldHash, directory: bin, name: "skylet"))
        #expect(!SlurmBinaryInstall.isInstalled(directory: bin, name: "skylet", hash: newHash))
        #expect(
            try SlurmBinaryInstall.install(
                source: new, hash: newHash, directory: bin, name: "skylet"))
        #expect(try await Self.sha256(bin + "/skylet") == newHash)
        #expect(SlurmBinaryInstall.isInstalled(directory: bin, name: "skylet", hash: newHash))
    }
}
