import Foundation
import SkyCatalog
import SkyCore
import SkyOptimizer
import Testing

/// Rules exercised from our own request YAMLs (loaded by SkyCore as `sky launch` does):
/// infra wildcards, accelerator lists and sets, `cpus: N+` / `memory: N`, objective TIME.
/// Expected choices are computed from the catalog rows.
@Suite struct RequestYAMLTests {
    typealias F = CatalogFixture
    static let clouds = ["gcp", "azure", "lambda"]

    static func task(_ yaml: String) throws -> Task {
        let document = try TaskLoader.load(
            yaml: yaml, fileName: "request.yaml", baseDirectory: "/tmp", overrides: TaskOverrides())
        guard case .task(let task) = document else { throw NotOneTask() }
        return task
    }

    struct NotOneTask: Error {}

    static func plan(_ yaml: String, clouds: [String] = clouds, objective: Objective = .cost) throws
        -> Plan
    {
        try F.optimizer().plan(task: task(yaml), enabledClouds: clouds, objective: objective)
    }

    @Test func infraWildcardCloudKeepsTheRegionOnEveryCloud() throws {
        let plan = try Self.plan("resources:\n  infra: '*/us-central1'\n  accelerators: T4:1\n")
        #expect(!plan.candidates.isEmpty)
        #expect(plan.candidates.allSatisfy { $0.region == "us-central1" })
        // Only GCP has us-central1 among the three catalogs.
        #expect(Set(plan.candidates.map(\.cloud)) == ["gcp"])
        let zones = Set(
            F.rows("gcp").filter {
                $0["AcceleratorName"] == "T4" && $0["Region"] == "us-central1"
            }.map { $0["AvailabilityZone"] })
        #expect(Set(plan.candidates.compactMap(\.zone)).isSubset(of: zones))
    }

    @Test func infraWildcardRegionKeepsTheZone() throws {
        let plan = try Self.plan("resources:\n  infra: gcp/*/us-east4-a\n  accelerators: L4:1\n")
        #expect(plan.candidates.map(\.zone) == ["us-east4-a"])
        #expect(plan.chosen.region == "us-east4")
    }

    @Test func acceleratorSetIsAnyOfTheCheapest() throws {
        let plan = try Self.plan(
            "resources:\n  cloud: azure\n  accelerators: {A100-80GB: 1, T4: 1}\n")
        // T4:1 on Azure is far cheaper than A100-80GB:1: both were considered, T4 wins.
        let t4 = try #require(
            F.cheapest(
                F.rows("azure").filter {
                    $0["AcceleratorName"] == "T4" && $0.number("AcceleratorCount") == 1
                }))
        #expect(plan.chosen.accelerator?.name == "T4")
        #expect(plan.chosen.hourlyCost == t4.number("Price"))
        #expect(Set(plan.considered.compactMap { $0.accelerator?.name }) == ["A100-80GB", "T4"])
    }

    @Test func acceleratorListIsOrdered() throws {
        let plan = try Self.plan(
            "resources:\n  cloud: azure\n  accelerators: [A100-80GB:1, T4:1]\n")
        // A list is a preference order: A100-80GB first although T4 is cheaper.
        #expect(plan.chosen.accelerator?.name == "A100-80GB")
        #expect(plan.candidates.allSatisfy { $0.accelerator?.name == "A100-80GB" })
    }

    @Test func cpusAtLeastAndExactMemory() throws {
        let plan = try Self.plan("resources:\n  cloud: gcp\n  cpus: 16+\n  memory: 64\n")
        let rows = F.rows("gcp")
        let families = GCPCatalogRules.defaultFamilies
        let eligible = rows.filter { row in
            families.contains { row["InstanceType"].hasPrefix($0 + "-") }
                && (row.number("vCPUs") ?? 0) >= 16 && row.number("MemoryGiB") == 64
        }
        let expected = try #require(F.cheapest(eligible))
        #expect(plan.chosen.instanceType == expected["InstanceType"])
        #expect(plan.chosen.memoryGB == 64)
        #expect((plan.chosen.cpus ?? 0) >= 16)
        #expect(plan.chosen.hourlyCost == expected.number("Price"))
        #expect(plan.chosen.region == expected["Region"])
    }

    @Test func objectiveTimeKeepsDiscoveryOrder() throws {
        // Without a runtime estimate every candidate takes the same time: the first one found
        // (cloud order, then region order) wins, not the cheapest.
        let yaml = "resources:\n  accelerators: A100:8\n"
        let time = try Self.plan(yaml, clouds: ["azure", "gcp", "lambda"], objective: .time)
        let cost = try Self.plan(yaml, clouds: ["azure", "gcp", "lambda"])
        #expect(time.chosen.cloud == "azure")
        #expect(time.candidates == time.considered)
        #expect(cost.chosen.hourlyCost <= time.chosen.hourlyCost)
        #expect(cost.chosen.cloud != "azure")
    }
}
