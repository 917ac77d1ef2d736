import Foundation
import SkyCatalog
import SkyCore
import SkyProvision

/// `sky gpus list` / `sky show-gpus`: accelerators, counts, instance types and prices from the
/// catalogs, in SkyPilot's layout.
extension SkyEngine {
    /// Options of `sky gpus list`.
    package struct GPUListRequest: Sendable {
        /// `NAME` or `NAME:COUNT`.
        package var accelerator: String?
        package var all = false
        /// `cloud[/region]`.
        package var infra: String?
        package var allRegions = false
        package var verbose = false
        package var json = false

        package init(
            accelerator: String? = nil, all: Bool = false, infra: String? = nil,
            allRegions: Bool = false, verbose: Bool = false, json: Bool = false
        ) {
            self.accelerator = accelerator
            self.all = all
            self.infra = infra
            self.allRegions = allRegions
            self.verbose = verbose
            self.json = json
        }
    }

    /// Usage mistakes in `sky gpus list` arguments.
    package enum GPUListError: Error, CustomStringConvertible {
        case usage(String)
        package var description: String {
            switch self {
            case .usage(let message): return message
            }
        }
    }

    /// `sky gpus list`: a live backend's own GPUs when `--infra` names one that is
    /// registered (Slurm, Kubernetes, ...), the catalogs otherwise.
    package func gpusListAny(_ request: GPUListRequest) async throws -> String {
        guard let infra = request.infra, !infra.isEmpty,
            let cloud = InfraSpec.canonicalCloud(
                String(infra.split(separator: "/", omittingEmptySubsequences: false)[0])),
            let provisioner = await backends().provisioner(cloud), provisioner.offersLiveInventory
        else { return try gpusList(request) }
        let parts = infra.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var entries: [LiveGPUAvailability]
        if let inventory = provisioner as? any LiveGPUInventory {
            entries = try await inventory.liveGPUs()
        } else {
            entries = LiveGPUAvailability.fromOfferings(
                try await provisioner.offerings(for: Resources(cloud: cloud)))
        }
        if parts.count > 1, parts[1] != "*" { entries = entries.filter { $0.region == parts[1] } }
        if parts.count > 2, parts[2] != "*" { entries = entries.filter { $0.zone == parts[2] } }
        var name: String?
        var quantity: Double?
        if let acc = request.accelerator {
            let pieces = acc.split(separator: ":").map(String.init)
            name = pieces.first
            if pieces.count == 2 {
                guard let n = Int(pieces[1]), n > 0 else {
                    throw GPUListError.usage(
                        "Invalid accelerator quantity \(pieces[1]). Expected a positive integer.")
                }
                quantity = Double(n)
            }
        }
        entries = LiveGPUListing.filter(entries, name: name, quantity: quantity)
        return request.json
            ? LiveGPUListing.json(entries) : LiveGPUListing.text(entries, cloud: cloud)
    }

    /// The rendered output of `sky gpus list` (text or JSON).
    package func gpusList(_ request: GPUListRequest) throws -> String {
        var cloud: String?
        var region: String?
        if let infra = request.infra, !infra.isEmpty {
            let parts = infra.split(separator: "/", omittingEmptySubsequences: false).map(
                String.init)
            cloud = parts[0] == "*" ? nil : parts[0].lowercased()
            if parts.count > 1, parts[1] != "*" { region = parts[1] }
            if cloud == "k8s" { cloud = "kubernetes" }
        }
        if request.allRegions && request.accelerator == nil {
            throw GPUListError.usage(
                "The --all-regions flag is only valid when an accelerator is specified.")
        }
        if request.allRegions && region != nil {
            throw GPUListError.usage(
                "--all-regions and --region flags cannot be used simultaneously.")
        }
        if request.all && request.accelerator != nil {
            throw GPUListError.usage("--all is only allowed without a GPU name.")
        }
        var name: String?
        var quantity: Double?
        if let acc = request.accelerator {
            let parts = acc.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2 else {
                throw GPUListError.usage(
                    "Invalid accelerator string \(acc). Expected format: <accelerator_name>[:<quantity>]."
                )
            }
            name = parts[0]
            if parts.count == 2 {
                guard let n = Int(parts[1]), n > 0 else {
                    throw GPUListError.usage(
                        "Invalid accelerator quantity \(parts[1]). Expected a positive integer.")
                }
                quantity = Double(n)
            }
        }
        let clouds = cloud.map { [$0] } ?? CatalogStore.catalogClouds
        let listing = GPUListing(store: catalogs)
        let filter = GPUListing.Filter(
            name: name, region: region, quantity: quantity, allRegions: request.allRegions)
        if request.json {
            let result = try listing.offerings(clouds: clouds, filter: filter)
            return JSONValue.object(result.map { ($0.0, .array($0.1.map(\.json))) })
                .encoded(sortedKeys: false, pretty: true)
        }
        var out: [String] = []
        if request.accelerator == nil {
            let counts = try listing.counts(clouds: clouds, region: region)
            var remaining = counts
            let common = Self.commonGPUs.compactMap { gpu -> [String]? in
                guard let c = remaining.removeValue(forKey: gpu) else { return nil }
                return [gpu, Self.countList(c)]
            }
            out.append(
                Self.plainTable(header: ["COMMON_GPU", "AVAILABLE_QUANTITIES"], rows: common))
            let tpus = Self.googleTPUs.compactMap { tpu -> [String]? in
                guard let c = remaining.removeValue(forKey: tpu) else { return nil }
                return [tpu, Self.countList(c)]
            }
            if !tpus.isEmpty {
                out.append("")
                out.append(
                    Self.plainTable(header: ["GOOGLE_TPU", "AVAILABLE_QUANTITIES"], rows: tpus))
            }
            if !request.all {
                out.append("")
                out.append(
                    "Hint: use -a/--all to see all accelerators (including non-common ones) and pricing."
                )
                return out.joined(separator: "\n")
            }
            let others = remaining.keys.sorted().map { [$0, Self.countList(remaining[$0] ?? [])] }
            out.append("")
            out.append(
                Self.plainTable(header: ["OTHER_GPU", "AVAILABLE_QUANTITIES"], rows: others))
            out.append("")
        }
        let result = try listing.offerings(clouds: clouds, filter: filter)
        if result.isEmpty {
            let qty = quantity.map { " with requested quantity \(Int($0))" } ?? ""
            let scope =
                cloud.map { " on \(CloudTraits.forCloud($0).displayName)." }
                ?? " in cloud catalogs."
            out.append("Resources '\(name ?? "")'\(qty) not found\(scope) ")
            out.append("To show available accelerators, run: sky gpus list --all")
            return out.joined(separator: "\n")
        }
        var header = [
            "GPU", "QTY", "CLOUD", "INSTANCE_TYPE", "DEVICE_MEM", "vCPUs", "HOST_MEM",
            "HOURLY_PRICE", "HOURLY_SPOT_PRICE",
        ]
        if !request.all { header.append("REGION") }
        var tables: [String] = []
        for (_, items) in result {
            let rows = Self.sortedForTable(items).map { item -> [String] in
                var row = [
                    item.acceleratorName, Self.count(item.acceleratorCount), item.cloud,
                    item.instanceType ?? "(attachable)",
                    item.deviceMemoryGiB.map { String(format: "%.0fGB", $0) } ?? "-",
                    item.cpus.map {
                        $0 == $0.rounded() ? String(Int($0)) : String(format: "%.1f", $0)
                    } ?? "-",
                    item.memoryGiB.map { String(format: "%.0fGB", $0) } ?? "-",
                    item.price.map { String(format: "$ %.3f", $0) } ?? "-",
                    item.spotPrice.map { String(format: "$ %.3f", $0) } ?? "-",
                ]
                if !request.all { row.append(item.region) }
                return row
            }
            tables.append(Self.plainTable(header: header, rows: rows))
        }
        out.append(tables.joined(separator: "\n\n"))
        if request.verbose {
            out.append("")
            out.append(catalogAges(clouds: clouds))
        }
        return out.joined(separator: "\n")
    }

    /// Where each catalog was read from and how old it is (`-v`).
    package func catalogAges(clouds: [String]) -> String {
        var lines = ["Catalogs:"]
        for cloud in clouds {
            guard let source = catalogs.locate(cloud + "/vms.csv") else { continue }
            let name = CloudTraits.forCloud(cloud).displayName
            if source.bundled {
                lines.append("  \(name): bundled with Sky (\(source.path))")
            } else {
                let age = source.modified.map { Self.age(since: $0) } ?? "age unknown"
                lines.append("  \(name): refreshed copy, \(age) (\(source.path))")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func age(since date: Date) -> String {
        let seconds = max(0, Date().timeIntervalSince(date))
        if seconds < 3600 { return "updated \(Int(seconds / 60)) min ago" }
        if seconds < 86400 * 2 { return "updated \(Int(seconds / 3600)) h ago" }
        return "updated \(Int(seconds / 86400)) days ago"
    }

    /// Per GPU: clouds ordered by their cheapest price (then spot), rows by price within.
    static func sortedForTable(_ items: [GPUOffering]) -> [GPUOffering] {
        var minPrice: [String: Double] = [:]
        var minSpot: [String: Double] = [:]
        for item in items {
            if let p = item.price {
                minPrice[item.cloud] = min(minPrice[item.cloud] ?? .infinity, p)
            }
            if let s = item.spotPrice {
                minSpot[item.cloud] = min(minSpot[item.cloud] ?? .infinity, s)
            }
        }
        func key(_ i: GPUOffering) -> [Double] {
            [
                minPrice[i.cloud] ?? .infinity, minSpot[i.cloud] ?? .infinity, i.price ?? .infinity,
                i.spotPrice ?? .infinity,
            ]
        }
        return items.enumerated().sorted { a, b in
            let (ka, kb) = (key(a.element), key(b.element))
            return ka != kb ? ka.lexicographicallyPrecedes(kb) : a.offset < b.offset
        }.map(\.element)
    }

    static func count(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func countList(_ counts: [Double]) -> String {
        counts.map(count).joined(separator: ", ")
    }

    /// SkyPilot's borderless table: left aligned, two spaces after every column.
    static func plainTable(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (cell, width) in zip(cells, widths) {
                text += cell + String(repeating: " ", count: width - cell.count + 2)
            }
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    static let commonGPUs = [
        "A10", "A10G", "A100", "A100-80GB", "B200", "H100", "H200", "L4", "L40S", "RTX5090",
        "RTXPRO6000", "T4", "V100", "V100-32GB",
    ]

    static let googleTPUs = [
        "tpu-v2-8", "tpu-v3-8", "tpu-v4-8", "tpu-v4-16", "tpu-v4-32", "tpu-v5litepod-1",
        "tpu-v5litepod-4", "tpu-v5litepod-8", "tpu-v5p-8", "tpu-v5p-16", "tpu-v5p-32", "tpu-v6e-1",
        "tpu-v6e-4", "tpu-v6e-8",
    ]
}
