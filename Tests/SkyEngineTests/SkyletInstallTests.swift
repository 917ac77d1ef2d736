import Foundation
import SkyEngine
import SkyRuntime
import Testing

@Suite(.enabled(if: LifecycleFixture.skyletAvailable, "skylet binary not built"))
struct SkyletInstallTests {
    /// The node keeps the installed binary's hash: a second install copies nothing, a node whose
    /// recorded hash differs gets the binary again.
    @Test func installCopiesOnlyWhenTheHashDiffers() async throws {
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-install-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let client = SkyletClient(runner: LocalRunner(nodeName: "n0", home: home))
        let binary = SkyletBinary.locate(environment: ProcessInfo.processInfo.environment)
        let installed = home + "/.sky/bin/skylet"
        let inode = { () throws -> Int in
            let attributes = try FileManager.default.attributesOfItem(atPath: installed)
            return (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? -1
        }

        try await client.install(localBinary: binary)
        let first = try inode()
        let localHash = try await SkyletBinary.sha256(binary)
        let recorded = try String(contentsOfFile: installed + ".sha256", encoding: .utf8)
        #expect(recorded.trimmingCharacters(in: .whitespacesAndNewlines) == localHash)

        try await client.install(localBinary: binary)
        #expect(try inode() == first)

        try "0000\n".write(toFile: installed + ".sha256", atomically: true, encoding: .utf8)
        try await client.install(localBinary: binary)
        #expect(try inode() != first)
    }
}
