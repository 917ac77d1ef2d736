import Foundation
import SkyCatalog
import SkyCore
import Testing

@Suite struct CatalogTests {
    let store = CatalogStore(home: "/nonexistent/sky-home-for-tests")

    @Test func bundledCatalogsLoadEveryRow() throws {
        for cloud in ["gcp", "azure", "lambda"] {
            let catalog = try #require(try store.catalog(for: cloud))
            #expect(catalog.rows.count == CatalogFixture.rows(cloud).count)
            #expect(catalog.source.bundled)
        }
        #expect(try store.catalog(for: "aws") == nil)
    }

    @Test func quotedFieldsKeepTheirCommas() throws {
        let catalog = try #require(try store.catalog(for: "lambda"))
        let row = try #require(catalog.rows.first { $0.acceleratorName == "A100" })
        #expect(row.gpuInfo?.contains("'Name': 'A100'") == true)
        #expect(row.deviceMemoryGiB == 40)
    }

    @Test func cacheDirectoryOverridesTheBundledCopy() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sky-cat-\(UUID().uuidString)"
        ).path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let dir = home + "/catalogs/v8/lambda"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let csv = """
            InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,Price,Region,GpuInfo,SpotPrice
            gpu_1x_test,A100,1.0,30.0,200.0,0.5,us-east-1,"{'Gpus': [{'MemoryInfo': {'SizeInMiB': 40960}}]}",

            """
        try csv.write(toFile: dir + "/vms.csv", atomically: true, encoding: .utf8)
        let catalog = try #require(try CatalogStore(home: home).catalog(for: "lambda"))
        #expect(catalog.rows.count == 1)
        #expect(catalog.source.bundled == false)
        #expect(catalog.rows[0].price == 0.5)
        #expect(catalog.rows[0].spotPrice == nil)
    }

    @Test func canonicalNames() throws {
        let registry = try store.accelerators()
        #expect(try registry.canonicalize("a100-80gb") == "A100-80GB")
        #expect(try registry.canonicalize("h100") == "H100")
        #expect(try registry.canonicalize("TPU-V2-8") == "tpu-v2-8")
        #expect(try registry.canonicalize("mi300") == "MI300X")
        #expect(try registry.canonicalize("my-custom-gpu") == "my-custom-gpu")
        #expect(throws: CatalogError.self) { try registry.canonicalize("rtx") }
    }

    @Test func memoryForms() throws {
        let registry = try store.accelerators()
        let exact = try #require(try registry.expandMemoryForm("80GB"))
        #expect(exact.names.contains("H100") && exact.names.contains("A100-80GB"))
        #expect(!exact.names.contains("MI300X"))
        let plus = try #require(try registry.expandMemoryForm("nvidia:80GB+:8"))
        #expect(plus.count == 8 && !plus.names.contains("MI300X") && plus.names.contains("H200"))
        #expect(try registry.expandMemoryForm("A100:8") == nil)
        #expect(try registry.expandMemoryForm("24GB:2")?.count == 2)
    }

    /// Values from Python's difflib.get_close_matches.
    @Test func closeMatchesFollowDifflib() {
        #expect(
            CloseMatches.find("appel", in: ["ape", "apple", "peach", "puppy"]) == ["apple", "ape"])
        #expect(
            CloseMatches.ratio(Array("abcd".unicodeScalars), Array("bcde".unicodeScalars)) == 0.75)
        #expect(
            CloseMatches.find("us-centrl1", in: ["us-central1", "us-east1", "europe-west1"]).first
                == "us-central1")
    }

    @Test func azureFamilies() {
        #expect(CloudTraits.azureFamily("Standard_D8s_v5") == "Ds_v5")
        #expect(CloudTraits.azureFamily("Standard_E16-4s_v5") == "E_s_v5")
        #expect(CloudTraits.azureFamily("Standard_F8s_v2") == "Fs_v2")
        #expect(CloudTraits.azureIsSSeries("Standard_D8s_v5"))
        #expect(!CloudTraits.azureIsSSeries("Standard_D8_v5"))
    }
}
