import Foundation

/// Per-cloud facts the optimizer needs beyond the catalog rows: default instance families and
/// sizes, zones, spot support, region preference order.
package struct CloudTraits: Sendable {
    package let cloud: String
    /// Name as SkyPilot prints it (`GCP`, `Azure`, `Lambda`, `AWS`, `RunPod`, `Kubernetes`).
    package let displayName: String
    /// Default vCPUs (`N+`) when neither cpus nor memory is requested; nil = no default.
    package let defaultCPUs: Double?
    /// Default memory per vCPU (GB) when memory is not requested; nil = no default.
    package let defaultMemoryPerCPU: Double?
    /// Launch per zone rather than per region (GCP; spot everywhere zones exist).
    package let optimizeByZone: Bool
    package let supportsSpot: Bool
    /// Clouds that bill GPUs separately from the host VM (GCP).
    package let pricesAcceleratorsSeparately: Bool
    /// Whether an instance type belongs to the families used for the default CPU instance.
    private let defaultFamily: @Sendable (String) -> Bool

    package func isDefaultFamily(_ instanceType: String) -> Bool {
        defaultFamily(instanceType)
    }

    /// Region preference on ties and for listing: Lambda puts `us-` regions first.
    package func ordered(_ regions: [CatalogRegion]) -> [CatalogRegion] {
        guard cloud == "lambda" else { return regions }
        return regions.filter { $0.name.hasPrefix("us-") }
            + regions.filter { !$0.name.hasPrefix("us-") }
    }

    package static func forCloud(_ cloud: String) -> CloudTraits {
        switch cloud.lowercased() {
        case "gcp":
            return CloudTraits(
                cloud: "gcp", displayName: "GCP", defaultCPUs: 8, defaultMemoryPerCPU: 4,
                optimizeByZone: true, supportsSpot: true, pricesAcceleratorsSeparately: true,
                defaultFamily: { type in
                    GCPCatalogRules.defaultFamilies.contains { type.hasPrefix($0 + "-") }
                })
        case "azure":
            return CloudTraits(
                cloud: "azure", displayName: "Azure", defaultCPUs: 8, defaultMemoryPerCPU: 4,
                optimizeByZone: false, supportsSpot: true, pricesAcceleratorsSeparately: false,
                defaultFamily: { ["Ds_v5", "Es_v5", "Fs_v2"].contains(azureFamily($0)) })
        case "lambda":
            return CloudTraits(
                cloud: "lambda", displayName: "Lambda", defaultCPUs: 30, defaultMemoryPerCPU: 4,
                optimizeByZone: false, supportsSpot: false, pricesAcceleratorsSeparately: false,
                defaultFamily: { _ in true })
        case "aws":
            let families = ["m6i", "m6id", "m7i", "r6i", "r6id", "r7i", "c6i", "c6id", "c7i"]
            return CloudTraits(
                cloud: "aws", displayName: "AWS", defaultCPUs: 8, defaultMemoryPerCPU: 4,
                optimizeByZone: false, supportsSpot: true, pricesAcceleratorsSeparately: false,
                defaultFamily: { type in families.contains { type.hasPrefix($0 + ".") } })
        case "runpod":
            return CloudTraits(
                cloud: "runpod", displayName: "RunPod", defaultCPUs: nil, defaultMemoryPerCPU: nil,
                optimizeByZone: false, supportsSpot: true, pricesAcceleratorsSeparately: false,
                defaultFamily: { _ in true })
        default:
            return liveBackend(cloud.lowercased())
        }
    }

    /// Live backends (Kubernetes, Slurm, SSH, local, plugins): default 2 vCPUs, memory 4x.
    package static func liveBackend(_ cloud: String) -> CloudTraits {
        let names = [
            "kubernetes": "Kubernetes", "slurm": "Slurm", "ssh": "SSH", "local": "Local",
        ]
        return CloudTraits(
            cloud: cloud, displayName: names[cloud] ?? cloud, defaultCPUs: 2,
            defaultMemoryPerCPU: 4,
            optimizeByZone: cloud == "slurm", supportsSpot: false,
            pricesAcceleratorsSeparately: false,
            defaultFamily: { _ in true })
    }

    /// Azure's instance family (`Standard_D8s_v5` -> `Ds_v5`), as SkyPilot derives it.
    package static func azureFamily(_ instanceType: String) -> String {
        if instanceType.hasPrefix("Basic_A") { return "basic_a" }
        guard instanceType.hasPrefix("Standard_") else { return "" }
        var name = String(instanceType.dropFirst("Standard_".count))
        if name.hasSuffix("_Promo") { name.removeLast("_Promo".count) }
        let scalars = Array(name)
        var i = 0
        while i < scalars.count && scalars[i].isASCII && scalars[i].isLetter { i += 1 }
        let letters = String(scalars[0..<i])
        var j = i
        while j < scalars.count && scalars[j].isASCII && scalars[j].isNumber { j += 1 }
        guard !letters.isEmpty, j > i else { return "" }
        if name.contains("-") {
            // ([A-Za-z]+)([0-9]+)-([0-9]+)(.*) -> letters + "_" + rest
            guard j < scalars.count, scalars[j] == "-" else { return "" }
            var k = j + 1
            while k < scalars.count && scalars[k].isASCII && scalars[k].isNumber { k += 1 }
            guard k > j + 1 else { return "" }
            return letters + "_" + String(scalars[k...])
        }
        return letters + String(scalars[j...])
    }

    /// Azure S-series (premium SSD capable): lower-case letters after the size contain `s`.
    package static func azureIsSSeries(_ instanceType: String) -> Bool {
        guard let underscore = instanceType.firstIndex(of: "_") else { return true }
        let rest = Array(instanceType[instanceType.index(after: underscore)...])
        var i = 0
        while i < rest.count && rest[i].isASCII && rest[i].isUppercase { i += 1 }
        while i < rest.count && rest[i].isASCII && rest[i].isNumber { i += 1 }
        if i < rest.count && rest[i] == "-" {
            i += 1
            while i < rest.count && rest[i].isASCII && rest[i].isNumber { i += 1 }
        }
        var lower = ""
        while i < rest.count && rest[i].isASCII && rest[i].isLowercase {
            lower.append(rest[i])
            i += 1
        }
        return lower.contains("s")
    }
}
