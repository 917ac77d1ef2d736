import Foundation
import Testing

/// `sky gpus list` / `show-gpus` layouts and `-o json` through the built binary, checked against
/// the bundled catalog rows read here with a plain CSV split; `sky cost-report` on an empty state.
@Suite struct GpusCommandTests {
    static let catalogs = SkyProcess.packageRoot.appendingPathComponent(
        "Sources/SkyCatalog/Resources/catalogs")

    /// The rows of a bundled `vms.csv` as header -> value maps.
    static func rows(_ cloud: String) throws -> [[String: String]] {
        let text = try String(
            contentsOf: catalogs.appendingPathComponent("\(cloud)/vms.csv"), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = split(lines.removeFirst())
        return lines.map { Dictionary(zip(header, split($0)), uniquingKeysWith: { a, _ in a }) }
    }

    static func split(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        for ch in line {
            if ch == "\"" {
                quoted.toggle()
                continue
            }
            if ch == "," && !quoted {
                out.append(current)
                current = ""
                continue
            }
            current.append(ch)
        }
        out.append(current)
        return out
    }

    @Test func commonTableListsTheQuantitiesOfTheCatalogs() throws {
        let result = try SkyProcess.run(["gpus", "list"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("COMMON_GPU") == true)
        #expect(lines.first?.contains("AVAILABLE_QUANTITIES") == true)
        var counts = Set<Double>()
        for cloud in ["gcp", "azure", "lambda"] {
            for row in try Self.rows(cloud) where row["AcceleratorName"] == "A100" {
                if let n = Double(row["AcceleratorCount"] ?? "") { counts.insert(n) }
            }
        }
        let expected = counts.sorted().map { $0 == $0.rounded() ? String(Int($0)) : String($0) }
            .joined(separator: ", ")
        let a100 = try #require(lines.first { $0.hasPrefix("A100 ") })
        #expect(a100.hasSuffix(expected))
        let alias = try SkyProcess.run(["show-gpus"])
        #expect(alias.stdout == result.stdout)
    }

    @Test func jsonOfOneAcceleratorHasEachCloudsCheapestRow() throws {
        let result = try SkyProcess.run(["gpus", "list", "A100:8", "-o", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(object["A100"] as? [[String: Any]])
        for (cloud, display) in [("azure", "Azure"), ("lambda", "Lambda")] {
            let item = try #require(items.first { $0["cloud"] as? String == display })
            let rows = try Self.rows(cloud).filter {
                $0["AcceleratorName"] == "A100" && Double($0["AcceleratorCount"] ?? "") == 8
                    && $0["InstanceType"] == item["instance_type"] as? String
            }
            let cheapest = rows.compactMap { Double($0["Price"] ?? "") }.min()
            #expect(item["price"] as? Double == cheapest)
            #expect(item["accelerator_count"] as? Double == 8)
        }
        // GCP: the GPUs plus the host VM of the same zone, cheapest zone.
        let gcp = try #require(items.first { $0["cloud"] as? String == "GCP" })
        let host = try #require(gcp["instance_type"] as? String)
        let rows = try Self.rows("gcp")
        var best = Double.infinity
        for gpu in rows
        where gpu["AcceleratorName"] == "A100" && Double(gpu["AcceleratorCount"] ?? "") == 8 {
            guard
                let vm = rows.first(where: {
                    $0["InstanceType"] == host && $0["AvailabilityZone"] == gpu["AvailabilityZone"]
                }),
                let a = Double(gpu["Price"] ?? ""), let b = Double(vm["Price"] ?? "")
            else { continue }
            best = min(best, a + b)
        }
        #expect(abs((gcp["price"] as? Double ?? 0) - best) < 1e-6)
    }

    @Test func tableOfOneAcceleratorHasSkyPilotsColumns() throws {
        let result = try SkyProcess.run(["gpus", "list", "H100:8"])
        #expect(result.status == 0)
        let header = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let columns = header.split(separator: " ").map(String.init)
        #expect(
            columns == [
                "GPU", "QTY", "CLOUD", "INSTANCE_TYPE", "DEVICE_MEM", "vCPUs", "HOST_MEM",
                "HOURLY_PRICE",
                "HOURLY_SPOT_PRICE", "REGION",
            ])
        #expect(result.stdout.contains("$ "))
    }

    @Test func badCombinationsAreUsageErrors() throws {
        let allRegions = try SkyProcess.run(["gpus", "list", "--all-regions"])
        #expect(allRegions.status == 2)
        #expect(allRegions.stderr.contains("--all-regions"))
        let quantity = try SkyProcess.run(["gpus", "list", "A100:0"])
        #expect(quantity.status == 2)
    }

    @Test func costReportOfAnEmptyState() throws {
        let table = try SkyProcess.run(["cost-report"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("No clusters in the last 30 days."))
        let json = try SkyProcess.run(["cost-report", "-o", "json"])
        #expect(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }
}
