import Foundation
import SkyCore
import SkyProvision
import Synchronization
import Testing

@Suite struct SwiftExamplePluginTests {
    static let binary = PluginFixture.repoRoot + "/.build/debug/sky-provisioner-example"

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: binary),
            "build sky-provisioner-example first"))
    func theSkyPluginKitExampleSpeaksTheProtocol() async throws {
        let progress = Mutex<[String]>([])
        var env = ProcessInfo.processInfo.environment
        env["EXAMPLE_HOSTS"] = "alice@10.1.0.1,bob@10.1.0.2"
        let host = PluginHost(
            name: "example", path: Self.binary, environment: env, log: { _ in },
            onProgress: { method, message in
                progress.withLock { $0.append("\(method): \(message)") }
            })
        let plugin = try await PluginProvisioner.connect(host)
        #expect(plugin.handshake.version == "0.1.0")
        #expect(plugin.capabilities == [.multiNode])
        #expect(
            await plugin.checkCredentials()
                == CredentialCheck(enabled: true, reason: "2 host(s) in EXAMPLE_HOSTS"))
        let offering = Offering(
            cloud: "example", region: "r", instanceType: "x", cpus: 1, memoryGB: 1, price: 0)
        let config = ProvisionConfig(
            clusterName: "c", clusterNameOnCloud: "c-1", region: "r", offering: offering, count: 2)
        let record = try await plugin.runInstances(config)
        #expect(record.createdInstanceIDs == ["10.1.0.1", "10.1.0.2"])
        #expect(progress.withLock { $0 } == ["runInstances: using 2 of 2 host(s)"])
        let info = try await plugin.clusterInfo(ClusterLocator(config))
        #expect(info.instances.map(\.sshUser) == ["alice", "bob"])
        var three = config
        three.count = 3
        await #expect(
            throws: ProvisionError.capacity(
                "Plugin 'example' failed 'runInstances' (capacity): only 2 host(s)")
        ) {
            _ = try await plugin.runInstances(three)
        }
        // Not implemented methods are `unsupported`, not a hang.
        await #expect(throws: ProvisionError.self) {
            try await plugin.waitInstances(ClusterLocator(config), state: .up)
        }
        await host.shutdown()
    }
}
