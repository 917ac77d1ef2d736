import Foundation
import Testing

/// `sky catalog update` / `sky catalog status` through the built binary, with the catalog
/// repository served from a local folder (`SKY_CATALOG_URL=file://...`; the HTTP path is
/// covered against a real `python3 -m http.server` in SkyOptimizerTests).
@Suite struct CatalogCommandTests {
    /// Runs `sky` with extra environment variables and a given SKY_HOME.
    static func sky(_ arguments: [String], home: String, environment extra: [String: String]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let binary = SkyProcess.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw SkyProcess.Failure.binaryMissing(binary.path)
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SKY_HOME"] = home
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = home + "/.test-stdout"
        let err = home + "/.test-stderr"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let outHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return (
            process.terminationStatus, try String(contentsOfFile: out, encoding: .utf8),
            try String(contentsOfFile: err, encoding: .utf8)
        )
    }

    static func temporaryDirectory(_ prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(prefix)-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func updateFetchesAwsAndTheDryRunPlansOnIt() throws {
        let repo = try Self.temporaryDirectory("sky-catalog-repo")
        let home = try Self.temporaryDirectory("sky-catalog-cli")
        defer {
            try? FileManager.default.removeItem(atPath: repo)
            try? FileManager.default.removeItem(atPath: home)
        }
        // A v8 AWS vms.csv in the format of reference section 8; the expected choice below is
        // read from these rows: the cheapest row with one A10G is g5.xlarge in us-east-1.
        let aws = """
            InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,AvailabilityZone,Arch
            m6i.2xlarge,,,8.0,32.0,,0.384,0.1522,us-east-1,use1-az1,x86_64
            g5.xlarge,A10G,1.0,4.0,16.0,"{'Gpus': [{'Name': 'A10G', 'Manufacturer': 'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24576}}], 'TotalGpuMemoryInMiB': 24576}",1.006,0.4112,us-east-1,use1-az1,x86_64
            g5.xlarge,A10G,1.0,4.0,16.0,"{'Gpus': [{'Name': 'A10G', 'Manufacturer': 'NVIDIA', 'Count': 1, 'MemoryInfo': {'SizeInMiB': 24576}}], 'TotalGpuMemoryInMiB': 24576}",1.1,0.4,eu-west-1,euw1-az1,x86_64
            g5.2xlarge,A10G,1.0,8.0,32.0,,1.212,0.5102,us-east-1,use1-az1,x86_64

            """
        try FileManager.default.createDirectory(
            atPath: repo + "/v8/aws", withIntermediateDirectories: true)
        try aws.write(toFile: repo + "/v8/aws/vms.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            atPath: repo + "/v8/common", withIntermediateDirectories: true)
        try "AcceleratorName,Clouds\nA10G,\"['AWS']\"\n".write(
            toFile: repo + "/v8/common/accelerators.csv", atomically: true, encoding: .utf8)

        // Before the update AWS has no catalog: nothing can be planned there.
        let before = try Self.sky(
            ["launch", "--dryrun", "-y", "-o", "json", "--gpus", "A10G:1", "--", "true"],
            home: home,
            environment: ["SKY_ENABLED_CLOUDS": "aws"])
        #expect(before.status == 1)

        let update = try Self.sky(
            ["catalog", "update", "aws", "-o", "json"], home: home,
            environment: ["SKY_CATALOG_URL": "file://" + repo])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(
            update.stdout.contains("\"file\" : \"aws/vms.csv\"")
                || update.stdout.contains("\"file\": \"aws/vms.csv\""))
        #expect(update.stdout.contains("\"not_published\""))

        let plan = try Self.sky(
            ["launch", "--dryrun", "-y", "-o", "json", "--gpus", "A10G:1", "--", "true"],
            home: home,
            environment: ["SKY_ENABLED_CLOUDS": "aws"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let object =
            try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        let chosen = try #require(object?["chosen"] as? [String: Any])
        #expect(chosen["cloud"] as? String == "aws")
        #expect(chosen["instance_type"] as? String == "g5.xlarge")
        #expect(chosen["region"] as? String == "us-east-1")
        #expect(chosen["hourly_cost_per_node"] as? Double == 1.006)

        let status = try Self.sky(
            ["catalog", "status", "-o", "json"], home: home, environment: [:])
        #expect(status.status == 0)
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]])
        let awsEntry = try #require(entries.first { $0["cloud"] as? String == "aws" })
        #expect(awsEntry["source"] as? String == "cached")
        #expect(awsEntry["rows"] as? Int == 4)
        #expect(
            entries.first { $0["cloud"] as? String == "gcp" }?["source"] as? String == "bundled")
    }

    @Test func failedUpdateExitsOneAndKeepsTheBundledCatalog() throws {
        let home = try Self.temporaryDirectory("sky-catalog-cli")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let update = try Self.sky(
            ["catalog", "update", "gcp"], home: home,
            environment: ["SKY_CATALOG_URL": "http://127.0.0.1:9"])
        #expect(update.status == 1)
        #expect(update.stdout.contains("gcp/vms.csv"))
        #expect(update.stdout.contains("FAILED: cannot reach http://127.0.0.1:9/v8/gcp/vms.csv"))
        #expect(update.stderr.contains("the files in use are unchanged"))
        let status = try Self.sky(["catalog", "status"], home: home, environment: [:])
        #expect(status.stdout.contains("gcp"))
        #expect(!FileManager.default.fileExists(atPath: home + "/catalogs/v8/gcp/vms.csv"))
        let unknown = try Self.sky(["catalog", "update", "slurm"], home: home, environment: [:])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("live inventory"))
    }
}
