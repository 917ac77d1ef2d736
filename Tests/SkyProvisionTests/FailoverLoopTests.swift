import Foundation
import SkyCore
import Synchronization
import Testing

@testable import SkyProvision

/// A provisioner whose `runInstances` fails per region as scripted, and that records what it
/// created and tore down.
final class ScriptedProvisioner: Provisioner, @unchecked Sendable {
    // @unchecked: all mutable state is behind `state`.
    let name: String
    let capabilities: Set<ProvisionCapability>
    let failures: [String: ProvisionError]
    let failTeardown: Bool
    let state = Mutex<(created: [String], terminated: [String], tried: [String])>(([], [], []))

    init(
        name: String, failures: [String: ProvisionError], failTeardown: Bool = false,
        capabilities: Set<ProvisionCapability> = [.multiNode]
    ) {
        self.name = name
        self.failures = failures
        self.failTeardown = failTeardown
        self.capabilities = capabilities
    }

    func checkCredentials() async -> CredentialCheck { CredentialCheck(enabled: true) }
    func offerings(for resources: Resources) async throws -> [Offering] { [] }

    func runInstances(_ config: ProvisionConfig) async throws(ProvisionError) -> ProvisionRecord {
        let place = config.region + (config.zone.map { "/" + $0 } ?? "")
        state.withLock {
            $0.tried.append(place)
            $0.created.append(place)
        }
        if let error = failures[place] ?? failures[config.region] { throw error }
        return ProvisionRecord(
            provider: name, region: config.region, zone: config.zone,
            clusterName: config.clusterName, headInstanceID: "i-0", createdInstanceIDs: ["i-0"])
    }

    func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError) -> [InstanceState] {
        [InstanceState(instanceID: "i-0", status: .up)]
    }

    func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError) -> ClusterInfo {
        ClusterInfo(
            provider: name, region: cluster.region, clusterNameOnCloud: cluster.clusterNameOnCloud,
            instances: [InstanceInfo(instanceID: "i-0", internalIP: "10.0.0.1")])
    }

    func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        if failTeardown { throw .internal("teardown broke") }
        let place = cluster.region + (cluster.zone.map { "/" + $0 } ?? "")
        state.withLock { $0.terminated.append(place) }
    }
}

@Suite struct FailoverLoopTests {
    func offering(_ cloud: String, _ region: String, _ zone: String? = nil) -> Offering {
        Offering(
            cloud: cloud, region: region, zone: zone, instanceType: "t1", cpus: 2, memoryGB: 4,
            price: 1)
    }

    func request(retry: Bool = false, existing: Bool = false) -> FailoverLoop.Request {
        FailoverLoop.Request(
            clusterName: "c1", userName: "u", userHash: "abcdef12", count: 1,
            existing: existing, retryUntilUp: retry)
    }

    @Test func capacityBlocksTheZoneAndFailsOverWithHistory() async throws {
        let fake = ScriptedProvisioner(
            name: "fake", failures: ["r1/z1": .capacity("no stock in z1")])
        let registry = ProvisionerRegistry()
        await registry.register(fake)
        // What it reports goes to the calling task's ProvisionProgress (the launch's output).
        let lines = Mutex<[String]>([])
        let outcome = try await ProvisionProgress.$current.withValue(
            ProvisionProgress { line in lines.withLock { $0.append(line) } }
        ) {
            try await FailoverLoop(registry: registry).provision(
                request(),
                candidates: [offering("fake", "r1", "z1"), offering("fake", "r1", "z2")])
        }
        let said = lines.withLock { $0 }
        #expect(said.count == 3, "\(said)")
        #expect(
            said.first?.hasPrefix("Launching on ") == true && said.first?.contains("z1") == true)
        #expect(said.dropFirst().first?.contains("no stock in z1") == true)
        #expect(said.last?.hasPrefix("Launching on ") == true && said.last?.contains("z2") == true)
        #expect(outcome.config.zone == "z2")
        #expect(outcome.history.count == 1)
        #expect(outcome.history.first?.error == .capacity("no stock in z1"))
        #expect(outcome.history.first?.blocked == .zone)
        #expect(outcome.config.clusterNameOnCloud == "c1-abcdef12")
        // The failed attempt was torn down, the good one was not.
        #expect(fake.state.withLock { $0.terminated } == ["r1/z1"])
    }

    @Test func quotaBlocksTheWholeRegion() async throws {
        let fake = ScriptedProvisioner(name: "fake", failures: ["r1": .quota("quota hit")])
        let registry = ProvisionerRegistry()
        await registry.register(fake)
        let outcome = try await FailoverLoop(registry: registry).provision(
            request(),
            candidates: [
                offering("fake", "r1", "z1"), offering("fake", "r1", "z2"),
                offering("fake", "r2", "z1"),
            ])
        #expect(outcome.config.region == "r2")
        // z2 of r1 was never tried: the region was blocked.
        #expect(fake.state.withLock { $0.tried } == ["r1/z1", "r2/z1"])
    }

    @Test func credentialsBlockTheBackendAndUnknownBackendsAreSkipped() async throws {
        let broken = ScriptedProvisioner(
            name: "broken", failures: ["a": .credentials("expired token")])
        let good = ScriptedProvisioner(name: "good", failures: [:])
        let registry = ProvisionerRegistry()
        await registry.register(broken)
        await registry.register(good)
        let outcome = try await FailoverLoop(registry: registry).provision(
            request(),
            candidates: [
                offering("nosuch", "x"), offering("broken", "a"), offering("broken", "b"),
                offering("good", "g"),
            ])
        #expect(outcome.provisioner.name == "good")
        #expect(outcome.history.map(\.cloud) == ["nosuch", "broken"])
        #expect(outcome.history.map(\.blocked) == [.cloud, .cloud])
        #expect(broken.state.withLock { $0.tried } == ["a"])
    }

    @Test func exhaustionCarriesTheHistoryInTheMessage() async throws {
        let fake = ScriptedProvisioner(
            name: "fake",
            failures: ["r1": .capacity("pool full"), "r2": .internal("network down")])
        let registry = ProvisionerRegistry()
        await registry.register(fake)
        do {
            _ = try await FailoverLoop(registry: registry).provision(
                request(), candidates: [offering("fake", "r1"), offering("fake", "r2")])
            Issue.record("expected a failure")
        } catch let error as FailoverError {
            #expect(error.history.count == 2)
            let text = error.description
            #expect(text.contains("fake/r1"))
            #expect(text.contains("pool full"))
            #expect(text.contains("network down"))
        }
    }

    @Test func existingClustersAreNeverTornDown() async throws {
        let fake = ScriptedProvisioner(name: "fake", failures: ["r1": .capacity("gone")])
        let registry = ProvisionerRegistry()
        await registry.register(fake)
        await #expect(throws: FailoverError.self) {
            _ = try await FailoverLoop(registry: registry).provision(
                request(existing: true), candidates: [offering("fake", "r1")])
        }
        #expect(fake.state.withLock { $0.terminated }.isEmpty)
    }

    @Test func aFailedCleanupStopsTheLoop() async throws {
        let fake = ScriptedProvisioner(
            name: "fake", failures: ["r1": .capacity("x")], failTeardown: true)
        let registry = ProvisionerRegistry()
        await registry.register(fake)
        do {
            _ = try await FailoverLoop(registry: registry).provision(
                request(), candidates: [offering("fake", "r1"), offering("fake", "r2")])
            Issue.record("expected a failure")
        } catch FailoverError.teardownFailed(let cluster, _, let cleanup) {
            #expect(cluster == "c1")
            #expect(cleanup == .internal("teardown broke"))
        }
        #expect(fake.state.withLock { $0.tried } == ["r1"])
    }

    @Test func retryUntilUpKeepsGoingUntilCancelled() async throws {
        let fake = ScriptedProvisioner(name: "fake", failures: ["r1": .capacity("full")])
        let registry = ProvisionerRegistry()
        await registry.register(fake)
        let loop = FailoverLoop(registry: registry, retryDelay: .milliseconds(10))
        let task = _Concurrency.Task {
            try await loop.provision(request(retry: true), candidates: [offering("fake", "r1")])
        }
        while fake.state.withLock({ $0.tried.count }) < 3 {
            try await _Concurrency.Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        await #expect(throws: (any Error).self) { _ = try await task.value }
        #expect(fake.state.withLock { $0.tried.count } >= 3)
    }

    /// `image_id` on a backend without images is skipped (nothing created), not run on the
    /// nodes' own system; the next candidate that runs images wins.
    @Test func anImageIsOnlyRunWhereTheBackendRunsImages() async throws {
        let plain = ScriptedProvisioner(name: "plain", failures: [:])
        let images = ScriptedProvisioner(
            name: "images", failures: [:], capabilities: [.multiNode, .customImage])
        let registry = ProvisionerRegistry()
        await registry.register(plain)
        await registry.register(images)
        var withImage = request()
        withImage.resources.imageID = [nil: "docker:ubuntu:22.04"]
        let outcome = try await FailoverLoop(registry: registry).provision(
            withImage, candidates: [offering("plain", "r"), offering("images", "r")])
        #expect(outcome.provisioner.name == "images")
        #expect(plain.state.withLock { $0.tried }.isEmpty)
        #expect(
            outcome.history.first?.error.message.contains("cannot run tasks in an image") == true)
        // Without an image the first candidate is used.
        let plainOutcome = try await FailoverLoop(registry: registry).provision(
            request(), candidates: [offering("plain", "r"), offering("images", "r")])
        #expect(plainOutcome.provisioner.name == "plain")
        // any_of / ordered: each candidate's own entry decides (here the image is the first
        // entry's, and the plain backend's candidate came from the second, which has none).
        var perCandidate = withImage
        perCandidate.candidateResources = [
            offering("images", "r"): withImage.resources, offering("plain", "r"): Resources(),
        ]
        let mixed = try await FailoverLoop(registry: registry).provision(
            perCandidate, candidates: [offering("plain", "r"), offering("images", "r")])
        #expect(mixed.provisioner.name == "plain")
    }

    @Test func capabilitiesAreCheckedBeforeCreatingAnything() async throws {
        let single = ScriptedProvisioner(name: "single", failures: [:], capabilities: [])
        let registry = ProvisionerRegistry()
        await registry.register(single)
        var multi = request()
        multi.count = 2
        await #expect(throws: FailoverError.self) {
            _ = try await FailoverLoop(registry: registry).provision(
                multi, candidates: [offering("single", "r")])
        }
        #expect(single.state.withLock { $0.tried }.isEmpty)
        await #expect(throws: ProvisionError.self) {
            try await single.stopInstances(
                ClusterLocator(clusterName: "c", clusterNameOnCloud: "c", region: "r"),
                workerOnly: false)
        }
    }
}
