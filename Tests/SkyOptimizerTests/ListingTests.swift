import Foundation
import SkyCatalog
import SkyCore
import Testing

/// `sky gpus list` data and the `allowed_clouds` reader.
@Suite struct ListingTests {
    typealias F = CatalogFixture
    let listing = GPUListing(store: CatalogStore(home: "/nonexistent/sky-home-for-tests"))

    /// A GCP GPU offering is the GPU plus the cheapest host VM of its zone.
    @Test func gcpA100IsPricedWithItsHost() throws {
        let result = try listing.offerings(
            clouds: ["gcp"], filter: .init(name: "A100", quantity: 1))
        let items = try #require(result.first { $0.0 == "A100" }?.1)
        let item = try #require(items.first)
        #expect(item.instanceType == "a2-highgpu-1g")
        #expect(item.deviceMemoryGiB == 40)
        let rows = F.rows("gcp")
        var best = Double.infinity
        for gpu in rows
        where gpu["AcceleratorName"] == "A100" && gpu.number("AcceleratorCount") == 1 {
            guard
                let host = rows.first(where: {
                    $0["InstanceType"] == "a2-highgpu-1g"
                        && $0["AvailabilityZone"] == gpu["AvailabilityZone"]
                }), let a = gpu.number("Price"), let b = host.number("Price")
            else { continue }
            best = min(best, a + b)
        }
        #expect(abs((item.price ?? 0) - best) < 1e-9)
    }

    @Test func cpuRowsAreNotListedAndCountsAreSorted() throws {
        let counts = try listing.counts(clouds: ["gcp", "azure", "lambda"], region: nil)
        #expect(counts["A100"] == [1, 2, 4, 8, 16])
        #expect(counts.keys.allSatisfy { !$0.isEmpty })
        let lambda = try listing.offerings(clouds: ["lambda"], filter: .init())
        #expect(
            lambda.allSatisfy { _, items in
                items.allSatisfy { $0.instanceType?.hasPrefix("gpu_") == true }
            })
    }

    @Test func tpusAreGroupedByVersion() throws {
        let result = try listing.offerings(clouds: ["gcp"], filter: .init(name: "tpu-v5p"))
        #expect(result.map(\.0) == ["tpu-v5p"])
        let prices = result[0].1.compactMap(\.price)
        #expect(prices == prices.sorted())
    }
}
