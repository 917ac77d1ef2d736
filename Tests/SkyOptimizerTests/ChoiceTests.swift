import Foundation
import SkyCatalog
import SkyCore
import SkyOptimizer
import Testing

/// any_of / ordered, num_nodes, blocked resources, location filters, max_hourly_cost, image_id
/// maps and live offerings.
@Suite struct ChoiceTests {
    typealias F = CatalogFixture
    static let clouds = ["gcp", "azure", "lambda"]

    static func acc(_ name: String, _ count: Double = 1, cloud: String? = nil) -> Resources {
        var r = Resources(accelerator: .init(name: name, count: count))
        r.cloud = cloud
        return r
    }

    @Test func anyOfPicksTheCheapestRequest() throws {
        let a = Self.acc("A100-80GB", cloud: "azure")
        let t = Self.acc("T4", cloud: "azure")
        let plan = try F.optimizer().plan(task: F.task([a, t]), enabledClouds: Self.clouds)
        let single = try [a, t].map {
            try F.optimizer().plan(task: F.task([$0]), enabledClouds: Self.clouds)
        }
        let cheapest = try #require(single.min { $0.chosen.hourlyCost < $1.chosen.hourlyCost })
        #expect(plan.chosen.accelerator == cheapest.chosen.accelerator)
        #expect(plan.chosen.hourlyCost == cheapest.chosen.hourlyCost)
        #expect(Set(plan.candidates.map(\.requestIndex)) == [0, 1])
    }

    @Test func orderedTakesTheFirstLaunchableRequest() throws {
        // 3 T4s exist nowhere; the A100 request comes next even though T4:1 would be cheaper.
        let plan = try F.optimizer().plan(
            task: F.task([Self.acc("T4", 3), Self.acc("A100"), Self.acc("T4")], ordered: true),
            enabledClouds: Self.clouds)
        #expect(plan.chosen.accelerator?.name == "A100")
        #expect(plan.candidates.allSatisfy { $0.requestIndex == 1 })
        #expect(PlanRenderer.table(plan).contains("will be tried in the listed order"))
    }

    @Test func numNodesMultipliesTheTotal() throws {
        let plan = try F.optimizer().plan(
            task: F.task([Resources()], nodes: 3), enabledClouds: ["azure"])
        #expect(plan.numNodes == 3)
        #expect(abs(plan.hourlyCostTotal - 3 * plan.chosen.hourlyCost) < 1e-12)
        let json = PlanRenderer.json(plan)
        #expect(json["chosen"]?["num_nodes"] == .int(3))
        #expect(PlanRenderer.table(plan).contains("Considered resources (3 nodes):"))
    }

    @Test func blockedResourcesMoveToTheNextCandidate() throws {
        let task = F.task([Self.acc("A100")])
        let first = try F.optimizer().plan(task: task, enabledClouds: Self.clouds)
        let blocked = BlockedResource(cloud: first.chosen.cloud, region: first.chosen.region)
        let second = try F.optimizer().plan(
            task: task, enabledClouds: Self.clouds, blocked: [blocked])
        #expect(second.chosen != first.chosen)
        #expect(
            second.chosen.region != first.chosen.region || second.chosen.cloud != first.chosen.cloud
        )
        // The re-plan equals the first plan's list without the blocked entries.
        let expected = first.candidates.filter { !blocked.blocks($0) }
        #expect(second.candidates == expected)
        // Blocking a whole cloud removes it.
        let noGCP = try F.optimizer().plan(
            task: task, enabledClouds: Self.clouds, blocked: [BlockedResource(cloud: "gcp")])
        #expect(!noGCP.candidates.contains { $0.cloud == "gcp" })
    }

    @Test func regionAndZoneRestrictCandidates() throws {
        var r = Resources()
        r.cloud = "gcp"
        r.region = "us-east1"
        let plan = try F.optimizer().plan(task: F.task([r]), enabledClouds: Self.clouds)
        #expect(plan.candidates.allSatisfy { $0.region == "us-east1" })
        var z = Resources()
        z.zone = "us-east1-c"
        let zoned = try F.optimizer().plan(task: F.task([z]), enabledClouds: Self.clouds)
        #expect(zoned.chosen.cloud == "gcp")
        #expect(zoned.candidates.allSatisfy { $0.zone == "us-east1-c" })
    }

    @Test func invalidRegionSuggestsCloseNames() throws {
        var r = Resources()
        r.cloud = "gcp"
        r.region = "us-centrl1"
        do {
            _ = try F.optimizer().plan(task: F.task([r]), enabledClouds: Self.clouds)
            Issue.record("expected an error")
        } catch let error as OptimizerError {
            #expect(error.description.hasPrefix("Invalid region 'us-centrl1'"))
            #expect(error.description.contains("Did you mean one of these:"))
            #expect(error.description.contains("us-central1"))
        }
    }

    @Test func maxHourlyCostFilters() throws {
        let base = try F.optimizer().plan(task: F.task([Resources()]), enabledClouds: ["azure"])
        var capped = Resources()
        capped.maxHourlyCost = base.chosen.hourlyCost * 1.2
        let plan = try F.optimizer().plan(task: F.task([capped]), enabledClouds: ["azure"])
        #expect(plan.candidates.allSatisfy { $0.hourlyCost <= base.chosen.hourlyCost * 1.2 })
        var tooLow = Resources()
        tooLow.maxHourlyCost = 0.0001
        #expect(throws: OptimizerError.self) {
            try F.optimizer().plan(task: F.task([tooLow]), enabledClouds: ["azure"])
        }
    }

    @Test func imageMapRestrictsRegions() throws {
        var r = Resources()
        r.cloud = "gcp"
        r.imageID = [
            "europe-west4": "projects/x/global/images/a", "us-west1": "projects/x/global/images/b",
        ]
        let plan = try F.optimizer().plan(task: F.task([r]), enabledClouds: Self.clouds)
        #expect(Set(plan.candidates.map(\.region)).isSubset(of: ["europe-west4", "us-west1"]))
        #expect(!plan.candidates.isEmpty)
    }

    @Test func liveOfferingsCompeteOnPrice() throws {
        let local = Offering(
            cloud: "kubernetes", region: "kind-sky", instanceType: "4CPU--16GB", cpus: 4,
            memoryGB: 16,
            price: 0)
        let plan = try F.optimizer().plan(
            task: F.task([Resources()]), enabledClouds: ["azure"], liveOfferings: [local])
        #expect(plan.chosen.cloud == "kubernetes")
        #expect(plan.chosen.hourlyCost == 0)
        #expect(plan.candidates.contains { $0.cloud == "azure" })
        // A GPU request the live backend cannot hold falls back to the cloud.
        let gpu = try F.optimizer().plan(
            task: F.task([Self.acc("T4")]), enabledClouds: ["azure"], liveOfferings: [local])
        #expect(gpu.chosen.cloud == "azure")
    }

    @Test func noEnabledCloudIsAnError() {
        #expect(throws: OptimizerError.noEnabledClouds) {
            try F.optimizer().plan(task: F.task([Resources()]), enabledClouds: [])
        }
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let plan = try F.optimizer().plan(
            task: F.task([Self.acc("A100")]), enabledClouds: Self.clouds)
        let json = PlanRenderer.json(plan)
        let chosen = try #require(json["chosen"])
        for key in [
            "cloud", "region", "zone", "instance_type", "accelerators", "use_spot", "cpus",
            "memory",
            "num_nodes", "hourly_cost_per_node", "hourly_cost_total",
        ] {
            #expect(chosen[key] != nil, "missing \(key)")
        }
        #expect(chosen["accelerators"]?["A100"] == .int(1))
        guard case .array(let candidates)? = json["candidates"] else {
            Issue.record("candidates is not an array")
            return
        }
        #expect(candidates.count == plan.candidates.count)
    }

    @Test func tableMarksTheChosenRow() throws {
        let plan = try F.optimizer().plan(task: F.task([Resources()]), enabledClouds: Self.clouds)
        let table = PlanRenderer.table(plan)
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Considered resources (1 node):")
        #expect(lines[2].hasPrefix(" INFRA "))
        #expect(lines.filter { $0.contains("\u{2714}") }.count == 1)
        // One row per cloud.
        #expect(lines.count == 5 + 3)
    }
}
