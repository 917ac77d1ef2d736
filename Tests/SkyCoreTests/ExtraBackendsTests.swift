import Foundation
import SkyCore
import Synchronization
import Testing

/// `infra:` / `cloud:` / `--infra` / `--cloud` naming an installed plugin (an extra backend).
struct ExtraBackendsTests {
    private func plugins(_ names: Set<String>) -> TaskOverrides {
        var overrides = TaskOverrides()
        overrides.extraBackends = ExtraBackends(names)
        return overrides
    }

    @Test func infraNamingAPluginIsAcceptedWithRegionAndZone() throws {
        let task = try single(
            "resources:\n  infra: Inventory/lab/rack1\nrun: echo hi\n", plugins(["inventory"]))
        #expect(task.resources.first?.cloud == "inventory")
        #expect(task.resources.first?.region == "lab")
        #expect(task.resources.first?.zone == "rack1")
    }

    @Test func cloudNamingAPluginIsAcceptedInAnyOf() throws {
        let task = try single(
            "resources:\n  any_of:\n    - cloud: inventory\n    - infra: local\nrun: echo hi\n",
            plugins(["inventory"]))
        #expect(Set(task.resources.compactMap(\.cloud)) == ["inventory", "local"])
    }

    @Test func withoutThePluginTheNameIsRejectedWithASuggestion() throws {
        let error = try #require(loadError("resources:\n  infra: inventory\nrun: echo hi\n"))
        #expect(error.fieldPath == "resources.infra")
        #expect(error.message.contains("invalid infra 'inventory'"))
        let typo = try #require(
            loadError("resources:\n  infra: inventry/lab\n", plugins(["inventory"])))
        #expect(typo.message.contains("installed plugins: inventory"))
        #expect(typo.message.contains("did you mean 'inventory'?"))
        let cloudTypo = try #require(
            loadError("resources:\n  cloud: awss\n", plugins(["inventory"])))
        #expect(cloudTypo.fieldPath == "resources.cloud")
        #expect(cloudTypo.message.contains("did you mean 'aws'?"))
    }

    @Test func pluginInfraStillNeedsTheCloudRegionZoneShape() throws {
        let error = try #require(
            loadError("resources:\n  infra: inventory/a/b/c\n", plugins(["inventory"])))
        #expect(error.fieldPath == "resources.infra")
    }

    @Test func commandLineInfraAndCloudAcceptPlugins() throws {
        var overrides = plugins(["inventory"])
        overrides.infra = "inventory/lab"
        let task = try single("run: echo hi\n", overrides)
        #expect(task.resources.first?.cloud == "inventory")
        #expect(task.resources.first?.region == "lab")

        var cloud = plugins(["inventory"])
        cloud.cloud = "inventory"
        #expect(try single("run: echo hi\n", cloud).resources.first?.cloud == "inventory")

        var typo = plugins(["inventory"])
        typo.infra = "inventori"
        let error = try #require(loadError("run: echo hi\n", typo))
        #expect(error.message.contains("did you mean 'inventory'?"))
        #expect(error.message.contains("installed plugins [\"inventory\"]"))
    }

    @Test func aBuiltinNameIsNeverTakenByAPlugin() throws {
        let task = try single(
            "resources:\n  infra: k8s/ctx\n", plugins(["k8s", "kubernetes", "aws"]))
        #expect(task.resources.first?.cloud == "kubernetes")
        #expect(ExtraBackends(["aws", "K8S", "Mine"]).names == ["mine"])
    }

    @Test func builtinCloudsNeverRunTheLookup() throws {
        let calls = Mutex(0)
        var overrides = TaskOverrides()
        overrides.extraBackends = ExtraBackends {
            calls.withLock { $0 += 1 }
            return ["inventory"]
        }
        _ = try single("resources:\n  any_of:\n    - infra: gcp\n    - cloud: azure\n", overrides)
        overrides.infra = "aws/us-east-1"
        _ = try single("run: echo hi\n", overrides)
        #expect(calls.withLock { $0 } == 0)
        overrides.infra = nil
        _ = try single(
            "resources:\n  any_of:\n    - infra: inventory\n    - cloud: inventory\n", overrides)
        #expect(calls.withLock { $0 } == 1)
    }
}
