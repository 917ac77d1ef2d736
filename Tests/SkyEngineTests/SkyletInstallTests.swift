import Foundation
import SkyCore
import SkyEngine
import SkyRuntime
import Testing

@Suite(.enabled(if: LifecycleFixture.skyletAvailable, "skylet binary not built"))
struct SkyletInstallTests {
    /// `start` installs the skylet where none is, then finds it by the hash kept beside it: a
    /// second start copies nothing, a node whose recorded hash differs gets the binary again.
    @Test func startInstallsOnlyWhenTheHashDiffers() async throws {
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-install-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let client = SkyletClient(runner: LocalRunner(nodeName: "n0", home: home))
        let spec = ClusterSpec(
            clusterName: "inst", clusterNameOnCloud: "inst-1", cloud: "local",
            nodes: [NodeEndpoint(kind: .local, ip: "127.0.0.1", home: home)], cpusPerNode: 1,
            gpusPerNode: 0)
        let binary = SkyletBinary.locate(environment: ProcessInfo.processInfo.environment)
        let installed = home + "/.sky/bin/skylet"
        let inode = { () throws -> Int in
            let attributes = try FileManager.default.attributesOfItem(atPath: installed)
            return (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? -1
        }

        try await client.start(localBinary: binary, spec: spec)
        let first = try inode()
        let localHash = try await SkyletBinary.sha256(binary)
        let recorded = try String(contentsOfFile: installed + ".sha256", encoding: .utf8)
        #expect(recorded.trimmingCharacters(in: .whitespacesAndNewlines) == localHash)

        try await client.start(localBinary: binary, spec: spec)
        #expect(try inode() == first)

        try "0000\n".write(toFile: installed + ".sha256", atomically: true, encoding: .utf8)
        try await client.start(localBinary: binary, spec: spec)
        #expect(try inode() != first)
        #expect(FileManager.default.fileExists(atPath: home + "/.sky/skylet/cluster.json"))
        try await client.teardown()
    }
}
