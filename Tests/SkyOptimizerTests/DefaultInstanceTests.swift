import Foundation
import SkyCatalog
import SkyCore
import SkyOptimizer
import Testing

/// No instance type and no accelerator: the cheapest type of the cloud's general families with
/// at least 8 vCPUs (Lambda 30) and 4 GB per vCPU, in its cheapest region.
@Suite struct DefaultInstanceTests {
    typealias F = CatalogFixture

    /// The expected default row of a cloud, computed from raw CSV rows.
    static func expectedDefault(_ cloud: String, family: (String) -> Bool, cpus: Double) -> F.Row? {
        let eligible = F.rows(cloud).filter { row in
            guard let c = row.number("vCPUs"), let m = row.number("MemoryGiB"),
                row.number("Price") != nil, !row["InstanceType"].isEmpty
            else { return false }
            return family(row["InstanceType"]) && c >= cpus && m >= c * 4
        }
        guard let best = F.cheapest(eligible) else { return nil }
        return F.cheapest(F.rows(cloud).filter { $0["InstanceType"] == best["InstanceType"] })
    }

    @Test func gcpDefaultIsCheapestGeneralPurposeType() throws {
        let families = [
            "n2-standard-", "n2-highmem-", "n2-highcpu-", "n4-standard-", "n4-highcpu-",
            "n4-highmem-",
        ]
        let expected = try #require(
            Self.expectedDefault(
                "gcp", family: { t in families.contains { t.hasPrefix($0) } }, cpus: 8))
        let plan = try F.optimizer().plan(task: F.task([Resources()]), enabledClouds: ["gcp"])
        #expect(plan.chosen.instanceType == expected["InstanceType"])
        #expect(plan.chosen.region == expected["Region"])
        #expect(plan.chosen.zone == expected["AvailabilityZone"])
        #expect(plan.chosen.hourlyCost == expected.number("Price"))
        #expect(plan.chosen.useSpot == false)
        #expect((plan.chosen.cpus ?? 0) >= 8)
        // GCP candidates are per zone; every zone of every offering region is listed.
        let zones = Set(
            F.rows("gcp").filter { $0["InstanceType"] == expected["InstanceType"] }
                .map { $0["AvailabilityZone"] })
        #expect(Set(plan.candidates.compactMap(\.zone)) == zones)
    }

    @Test func azureDefaultUsesDsv5EsV5FsV2() throws {
        let expected = try #require(
            Self.expectedDefault(
                "azure",
                family: { ["Ds_v5", "Es_v5", "Fs_v2"].contains(CloudTraits.azureFamily($0)) },
                cpus: 8))
        let plan = try F.optimizer().plan(task: F.task([Resources()]), enabledClouds: ["azure"])
        #expect(plan.chosen.instanceType == expected["InstanceType"])
        #expect(plan.chosen.region == expected["Region"])
        #expect(plan.chosen.zone == nil)
        #expect(plan.chosen.hourlyCost == expected.number("Price"))
    }

    @Test func lambdaDefaultIs30VCPUs() throws {
        let expected = try #require(Self.expectedDefault("lambda", family: { _ in true }, cpus: 30))
        let plan = try F.optimizer().plan(task: F.task([Resources()]), enabledClouds: ["lambda"])
        #expect(plan.chosen.instanceType == expected["InstanceType"])
        #expect(plan.chosen.hourlyCost == expected.number("Price"))
        #expect((plan.chosen.cpus ?? 0) >= 30)
    }

    @Test func acrossCloudsTheCheapestWins() throws {
        let plan = try F.optimizer().plan(
            task: F.task([Resources()]), enabledClouds: ["gcp", "azure", "lambda"])
        var best = Double.infinity
        for cloud in ["gcp", "azure", "lambda"] {
            let single = try F.optimizer().plan(task: F.task([Resources()]), enabledClouds: [cloud])
            best = min(best, single.chosen.hourlyCost)
        }
        #expect(plan.chosen.hourlyCost == best)
        // The ranked list is sorted by cost and contains every cloud.
        #expect(plan.candidates.map(\.hourlyCost) == plan.candidates.map(\.hourlyCost).sorted())
        #expect(Set(plan.candidates.map(\.cloud)) == ["gcp", "azure", "lambda"])
    }

    @Test func explicitCPUsAndMemoryFilter() throws {
        var r = Resources(cpus: .init(4), memory: .init(32, orMore: true))
        r.cloud = "azure"
        let plan = try F.optimizer().plan(task: F.task([r]), enabledClouds: ["azure"])
        let eligible = F.rows("azure").filter { row in
            ["Ds_v5", "Es_v5", "Fs_v2"].contains(CloudTraits.azureFamily(row["InstanceType"]))
                && row.number("vCPUs") == 4 && (row.number("MemoryGiB") ?? 0) >= 32
        }
        let expected = try #require(F.cheapest(eligible))
        #expect(plan.chosen.instanceType == expected["InstanceType"])
        #expect(plan.chosen.cpus == 4)
        #expect((plan.chosen.memoryGB ?? 0) >= 32)
        #expect(
            plan.chosen.hourlyCost
                == F.cheapest(
                    F.rows("azure").filter { $0["InstanceType"] == expected["InstanceType"] })?
                .number("Price"))
    }

    @Test func instanceTypeGivenInfersCloudAndPricesEveryRegion() throws {
        let plan = try F.optimizer().plan(
            task: F.task([Resources(instanceType: "Standard_D8s_v5")]),
            enabledClouds: ["gcp", "azure", "lambda"])
        #expect(plan.chosen.cloud == "azure")
        let rows = F.rows("azure").filter { $0["InstanceType"] == "Standard_D8s_v5" }
        #expect(plan.chosen.hourlyCost == F.cheapest(rows)?.number("Price"))
        #expect(
            plan.candidates.count
                == Set(rows.filter { $0.number("Price") != nil }.map { $0["Region"] }).count)
    }
}
