import Foundation
import SkyCatalog
import SkyCore
import SkyOptimizer
import Testing

/// `sky catalog update` against a real local HTTP server: atomic replacement, header checks,
/// failures that keep the old files, the AWS catalog becoming plannable, `catalog status`.
@Suite(.serialized) struct CatalogUpdateTests {
    static func home() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("sky-catalog-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func updater(_ home: String, _ base: String) -> CatalogUpdater {
        CatalogUpdater(
            store: CatalogStore(home: home), baseURL: base,
            fetcher: CurlFetcher(
                connectTimeout: 3, maxTime: 30, environment: ProcessInfo.processInfo.environment))
    }

    static func awsRows() -> [CatalogFixture.Row] {
        var lines = LocalCatalogServer.awsVMs.split(whereSeparator: \.isNewline).map(String.init)
        let header = CatalogFixture.split(lines.removeFirst())
        return lines.map {
            CatalogFixture.Row(
                fields: Dictionary(
                    zip(header, CatalogFixture.split($0)), uniquingKeysWith: { a, _ in a }))
        }
    }

    @Test func awsCatalogFetchedFromServerBecomesPlannable() async throws {
        let server = try LocalCatalogServer()
        defer { server.stop() }
        try server.serve("aws/vms.csv", LocalCatalogServer.awsVMs)
        try server.serveBundled("common/accelerators.csv")
        // common/metadata.csv is not published (as in SkyPilot's v8 tree): a 404 that is no failure.
        try server.start()
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let store = CatalogStore(home: home)
        #expect(try store.catalog(for: "aws") == nil)

        let outcomes = await Self.updater(home, server.baseURL).update(clouds: ["aws"])
        let byFile = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.file.relativePath, $0) })
        #expect(
            byFile["aws/vms.csv"]?.result
                == .updated(rows: 11, bytes: LocalCatalogServer.awsVMs.utf8.count))
        #expect(byFile["common/accelerators.csv"]?.failed == false)
        #expect(byFile["common/metadata.csv"]?.result == .notPublished)
        #expect(byFile["common/metadata.csv"]?.inUse?.bundled == true)
        let cached = try String(contentsOfFile: home + "/catalogs/v8/aws/vms.csv", encoding: .utf8)
        #expect(cached == LocalCatalogServer.awsVMs)

        // Default CPU request: cpus 8+, memory 4x, general families, cheapest by Price.
        let rows = Self.awsRows()
        let families = ["m6i", "m6id", "m7i", "r6i", "r6id", "r7i", "c6i", "c6id", "c7i"]
        let eligible = rows.filter { row in
            let cpus = row.number("vCPUs") ?? 0
            return families.contains { row["InstanceType"].hasPrefix($0 + ".") } && cpus >= 8
                && (row.number("MemoryGiB") ?? 0) >= 4 * cpus
        }
        let cheapest = try #require(CatalogFixture.cheapest(eligible))
        let optimizer = Optimizer(catalogs: store)
        let plan = try optimizer.plan(
            task: CatalogFixture.task([Resources()]), enabledClouds: ["aws"])
        #expect(plan.chosen.cloud == "aws")
        #expect(plan.chosen.instanceType == cheapest["InstanceType"])
        #expect(plan.chosen.region == cheapest["Region"])
        #expect(abs(plan.chosen.hourlyCost - (cheapest.number("Price") ?? -1)) < 1e-9)

        // A GPU request: the cheapest row carrying one A10G.
        var gpu = Resources()
        gpu.accelerator = Resources.Accelerator(name: "A10G", count: 1)
        let a10g = try #require(
            CatalogFixture.cheapest(
                rows.filter { $0["AcceleratorName"] == "A10G" && $0["AcceleratorCount"] == "1.0" }))
        let gpuPlan = try optimizer.plan(task: CatalogFixture.task([gpu]), enabledClouds: ["aws"])
        #expect(gpuPlan.chosen.instanceType == a10g["InstanceType"])
        #expect(gpuPlan.chosen.region == a10g["Region"])
        #expect(abs(gpuPlan.chosen.hourlyCost - (a10g.number("Price") ?? -1)) < 1e-9)

        let status = CatalogStatus(store: store)
        let aws = try #require(status.entries.first { $0.file.cloud == "aws" })
        #expect(aws.origin == .cached)
        #expect(aws.rows == rows.count)
        #expect(aws.url == server.baseURL + "/v8/aws/vms.csv")
        let gcp = try #require(status.entries.first { $0.file.cloud == "gcp" })
        #expect(gcp.origin == .bundled)
        #expect(gcp.rows == CatalogFixture.rows("gcp").count)
        #expect(status.entries.first { $0.file.cloud == "runpod" }?.origin == .missing)
    }

    @Test func badHeaderKeepsTheFileInUse() async throws {
        let server = try LocalCatalogServer()
        defer { server.stop() }
        try server.serve("lambda/vms.csv", "<html><body>rate limited</body></html>\n")
        try server.serve("common/accelerators.csv", "AcceleratorName\nA100\n")
        try server.start()
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        // A previously downloaded copy (fresh: written now) that must survive the failed update.
        let old = try String(
            contentsOf: CatalogFixture.directory.appendingPathComponent("lambda/vms.csv"),
            encoding: .utf8)
        let lines = old.split(whereSeparator: \.isNewline)
        let trimmed = lines.prefix(11).joined(separator: "\n") + "\n"
        try FileManager.default.createDirectory(
            atPath: home + "/catalogs/v8/lambda", withIntermediateDirectories: true)
        try trimmed.write(
            toFile: home + "/catalogs/v8/lambda/vms.csv", atomically: true, encoding: .utf8)

        let outcomes = await Self.updater(home, server.baseURL + "/v8/").update(clouds: ["lambda"])
        let lambda = try #require(outcomes.first { $0.file.relativePath == "lambda/vms.csv" })
        guard case .failed(let reason) = lambda.result else {
            Issue.record("an HTML page was accepted as lambda/vms.csv: \(lambda.result)")
            return
        }
        #expect(reason.contains("InstanceType"))
        #expect(lambda.inUse?.bundled == false)
        let accelerators = try #require(
            outcomes.first { $0.file.relativePath == "common/accelerators.csv" })
        #expect(accelerators.failed)
        #expect(
            try String(contentsOfFile: home + "/catalogs/v8/lambda/vms.csv", encoding: .utf8)
                == trimmed)
        #expect(
            !FileManager.default.fileExists(atPath: home + "/catalogs/v8/common/accelerators.csv"))
        let names = try FileManager.default.contentsOfDirectory(
            atPath: home + "/catalogs/v8/lambda")
        #expect(names == ["vms.csv"])
        #expect(try CatalogStore(home: home).catalog(for: "lambda")?.count == 10)
    }

    @Test func unreachableServerFailsFastAndWritesNothing() async throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        // A port nothing listens on: the connection is refused at once.
        let outcomes = await Self.updater(home, "http://127.0.0.1:9").update(clouds: ["gcp"])
        #expect(outcomes.count == 3)
        for outcome in outcomes where outcome.file.relativePath != "common/metadata.csv" {
            guard case .failed(let reason) = outcome.result else {
                Issue.record("\(outcome.file.relativePath): \(outcome.result)")
                continue
            }
            #expect(reason.contains("cannot reach http://127.0.0.1:9/v8/"))
            #expect(outcome.inUse?.bundled == true)
        }
        #expect(!FileManager.default.fileExists(atPath: home + "/catalogs/v8/gcp/vms.csv"))
        #expect(try CatalogStore(home: home).catalog(for: "gcp")?.source.bundled == true)
    }

    @Test func unknownCloudNamesAreRefused() throws {
        #expect(throws: CatalogError.self) { try CatalogUpdater.catalogClouds(["kubernetes"]) }
        #expect(try CatalogUpdater.catalogClouds([]) == CatalogStore.catalogClouds)
        #expect(try CatalogUpdater.catalogClouds(["GCP", "gcp", "aws"]) == ["gcp", "aws"])
    }

    @Test func cachedCopyOlderThanTheBundleIsIgnored() throws {
        let home = try Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let path = home + "/catalogs/v8/lambda/vms.csv"
        try FileManager.default.createDirectory(
            atPath: home + "/catalogs/v8/lambda", withIntermediateDirectories: true)
        try
            "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice\ngpu_1x_a10,A10,1,30,200,0.75,us-east-1,,\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let store = CatalogStore(home: home)
        #expect(store.locate("lambda/vms.csv")?.bundled == false)
        let old = CatalogStore.bundledSnapshot.addingTimeInterval(-86400)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path)
        #expect(store.locate("lambda/vms.csv")?.bundled == true)
        let entry = try #require(
            CatalogStatus(store: store).entries.first { $0.file.cloud == "lambda" })
        #expect(entry.origin == .bundled)
        #expect(entry.note?.contains("older than the bundled snapshot") == true)
    }
}
