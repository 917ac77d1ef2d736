import Foundation
import SkyCatalog
import SkyCore
import Testing

/// The compact catalog image: the memory-mapped copy answers exactly like the CSV it came from.
@Suite struct CatalogImageTests {
    @Test func mappedImageMatchesTheCSVRows() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sky-img-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = CatalogStore(home: home)
        for cloud in ["gcp", "lambda"] {
            // The first load parses the CSV and writes the image; a second process maps it.
            _ = try store.loadFromDisk(cloud: cloud)
            let images = try FileManager.default.contentsOfDirectory(
                atPath: home + "/catalogs/v8/.compact")
            #expect(images.contains { $0.hasPrefix(cloud + "-") && $0.hasSuffix(".bin") })
        }
        let fixture = CatalogFixture.rows("lambda")
        let catalog = try #require(try store.loadFromDisk(cloud: "lambda"))
        #expect(catalog.count == fixture.count)
        for (index, expected) in fixture.enumerated() {
            let row = catalog.row(index)
            #expect(row.instanceType == expected["InstanceType"])
            #expect(row.region == expected["Region"])
            #expect(row.price == expected.number("Price"))
            #expect(row.spotPrice == expected.number("SpotPrice"))
            #expect(
                row.acceleratorName
                    == (expected["AcceleratorName"].isEmpty ? nil : expected["AcceleratorName"]))
        }
    }

    @Test func indexesFindRowsCaseInsensitively() throws {
        let store = CatalogStore(home: "/nonexistent/sky-home-for-tests")
        let gcp = try #require(try store.catalog(for: "gcp"))
        let fixture = CatalogFixture.rows("gcp")
        let l4 = fixture.filter { $0["AcceleratorName"] == "L4" }
        #expect(!l4.isEmpty)
        #expect(gcp.rows(accelerator: "l4").count == l4.count)
        #expect(gcp.rows(accelerator: "L4").map(\.price) == l4.map { $0.number("Price") })
        let region = fixture.filter { $0["Region"] == "us-central1" }
        #expect(gcp.rows(region: "US-CENTRAL1").count == region.count)
        let n2 = fixture.filter { $0["InstanceType"] == "n2-standard-8" }
        #expect(
            gcp.rows(instanceType: "n2-standard-8").map(\.zone) == n2.map { $0["AvailabilityZone"] }
        )
        #expect(gcp.rows(instanceType: "N2-STANDARD-8").isEmpty)
        #expect(gcp.cpusMemory(instanceType: "n2-standard-8")?.cpus == n2.first?.number("vCPUs"))
        #expect(Set(gcp.regionNames) == Set(fixture.map { $0["Region"].lowercased() }))
    }

    @Test func damagedImageIsRebuiltFromTheCSV() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sky-img-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: home) }
        _ = try CatalogStore(home: home).loadFromDisk(cloud: "lambda")
        let dir = home + "/catalogs/v8/.compact"
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: dir).first {
                $0.hasPrefix("lambda-")
            })
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        bytes.removeLast(100)
        try bytes.write(to: URL(fileURLWithPath: dir + "/" + name))
        // A truncated image does not open; the CSV is read again and the image rewritten.
        let catalog = try #require(try CatalogStore(home: home).loadFromDisk(cloud: "lambda"))
        #expect(catalog.count == CatalogFixture.rows("lambda").count)
        let rewritten = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name))
        #expect(rewritten.count == bytes.count + 100)
    }
}
