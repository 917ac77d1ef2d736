import SkyCatalog
import SkyCore

/// SkyPilot's `Resources.validate()` against the catalogs: canonical accelerator names, memory
/// forms expanded, cloud inferred from a TPU name, region/zone or instance type, regions,
/// zones and instance types checked, cpus/memory checked against a given instance type.
extension Optimizer {
    package func validatedResources(_ task: Task, enabledClouds: [String]) throws -> [Resources] {
        try validatedRequests(task, enabledClouds: enabledClouds.map { $0.lowercased() }).map(
            \.resources)
    }

    func validatedRequests(_ task: Task, enabledClouds: [String]) throws -> [ResourceRequest] {
        let registry = try? catalogs.accelerators()
        var out: [ResourceRequest] = []
        for (index, original) in task.resources.enumerated() {
            var expanded = [original]
            if let acc = original.accelerator, let registry,
                let form = try registry.expandMemoryForm(acc.name)
            {
                let count = acc.name.contains(":") ? form.count : acc.count
                expanded = form.names.map { name in
                    var copy = original
                    copy.accelerator = Resources.Accelerator(name: name, count: count)
                    return copy
                }
            }
            for var resources in expanded {
                if var acc = resources.accelerator {
                    if let registry {
                        do {
                            acc.name = try registry.canonicalize(
                                acc.name,
                                cloud: resources.cloud.map { CloudTraits.forCloud($0).displayName })
                        } catch {
                            throw OptimizerError.invalidResources("\(error)")
                        }
                    }
                    resources.accelerator = acc
                    if acc.name.hasPrefix("tpu-") && resources.cloud == nil {
                        resources.cloud = "gcp"
                    }
                }
                try validateLocation(&resources, enabledClouds: enabledClouds)
                try validateInstanceType(&resources, enabledClouds: enabledClouds)
                try validateCPUsMemory(resources)
                if let cost = resources.maxHourlyCost, cost <= 0 {
                    throw OptimizerError.invalidResources(
                        "max_hourly_cost must be a positive number, got \(cost)")
                }
                out.append(ResourceRequest(resources: resources, index: index))
            }
        }
        return out
    }

    private func catalogClouds(_ enabled: [String]) -> [(String, CloudCatalog)] {
        enabled.compactMap { cloud in
            guard let catalog = try? catalogs.catalog(for: cloud) else { return nil }
            return (cloud, catalog)
        }
    }

    private func cloudList(_ clouds: [String]) -> String {
        "[" + clouds.map { CloudTraits.forCloud($0).displayName }.joined(separator: ", ") + "]"
    }

    private func validateLocation(_ resources: inout Resources, enabledClouds: [String]) throws {
        guard resources.region != nil || resources.zone != nil else { return }
        if resources.cloud == nil {
            let candidates = catalogClouds(enabledClouds)
            var valid: [String] = []
            var errors: [(String, String)] = []
            for (cloud, catalog) in candidates {
                do {
                    _ = try Self.validateRegionZone(
                        catalog, region: resources.region, zone: resources.zone)
                    valid.append(cloud)
                } catch {
                    errors.append((CloudTraits.forCloud(cloud).displayName, "\(error)"))
                }
            }
            let region = resources.region.map { "'\($0)'" } ?? "None"
            let zone = resources.zone.map { "'\($0)'" } ?? "None"
            if valid.isEmpty {
                let scope =
                    candidates.count == 1
                    ? "for cloud \(CloudTraits.forCloud(candidates[0].0).displayName)"
                    : "for any cloud among \(cloudList(candidates.map(\.0)))"
                let details = errors.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
                throw OptimizerError.invalidResources(
                    "Invalid (region \(region), zone \(zone)) \(scope). Details:\n\(details)")
            }
            if valid.count > 1 {
                throw OptimizerError.invalidResources(
                    "Cannot infer cloud from (region \(region), zone \(zone)). Multiple enabled "
                        + "clouds have region/zone of the same names: \(cloudList(valid)). "
                        + "To fix: explicitly specify `cloud`.")
            }
            resources.cloud = valid[0]
        }
        guard let cloud = resources.cloud, let catalog = try? catalogs.catalog(for: cloud) else {
            return
        }
        let (region, zone) = try Self.validateRegionZone(
            catalog, region: resources.region, zone: resources.zone)
        resources.region = region
        resources.zone = zone
    }

    /// `validate_region_zone_impl`, with SkyPilot's messages.
    static func validateRegionZone(
        _ catalog: CloudCatalog, region: String?, zone: String?
    ) throws -> (String?, String?) {
        let name = catalog.cloud
        if zone != nil && !catalog.hasZones {
            let display = name == "lambda" ? "Lambda Cloud" : CloudTraits.forCloud(name).displayName
            throw OptimizerError.invalidResources("\(display) does not support zones.")
        }
        var validatedRegion = region
        var regionRows = region == nil ? catalog.rows : []
        if let region {
            regionRows = catalog.rows(region: region)
            guard let first = regionRows.first else {
                var message = "Invalid region '\(region)'"
                let close = CloseMatches.find(region.lowercased(), in: catalog.regionNames).sorted()
                if close.isEmpty {
                    if name == "azure" || name == "gcp" {
                        message +=
                            "\nIf a region is not included in the following list, please check "
                            + "the FAQ docs for how to fetch its catalog info.\nhttps://docs.skypilot.co"
                            + "/en/latest/reference/faq.html#advanced-how-to-make-skypilot-use-all-"
                            + "global-regions"
                    }
                    message +=
                        "\nList of supported \(name) regions: '"
                        + catalog.regionNames.joined(separator: ", ") + "'"
                } else {
                    message += "\nDid you mean one of these: '\(close.joined(separator: ", "))'?"
                }
                throw OptimizerError.invalidResources(message)
            }
            validatedRegion = first.region
        }
        if let zone {
            guard let row = regionRows.first(where: { $0.zone == zone }) else {
                var seen = Set<String>()
                let zones = regionRows.compactMap(\.zone).filter { seen.insert($0).inserted }
                var message =
                    "Invalid zone '\(zone)'" + (region.map { " for region '\($0)'" } ?? "")
                let close = CloseMatches.find(zone, in: zones).sorted()
                if !close.isEmpty {
                    message += "\nDid you mean one of these: '\(close.joined(separator: ", "))'?"
                }
                throw OptimizerError.invalidResources(message)
            }
            validatedRegion = row.region
        }
        return (validatedRegion, zone)
    }

    private func validateInstanceType(_ resources: inout Resources, enabledClouds: [String]) throws
    {
        guard let type = resources.instanceType else { return }
        func exists(_ cloud: String, _ catalog: CloudCatalog) -> Bool {
            catalog.instanceTypeExists(type) || (cloud == "gcp" && type == "TPU-VM")
        }
        if let cloud = resources.cloud {
            guard let catalog = try? catalogs.catalog(for: cloud) else { return }
            if !exists(cloud, catalog) {
                throw OptimizerError.invalidResources(
                    "Invalid instance type '\(type)' for cloud \(CloudTraits.forCloud(cloud).displayName)."
                )
            }
            return
        }
        let candidates = catalogClouds(enabledClouds)
        let valid = candidates.filter { exists($0.0, $0.1) }.map(\.0)
        if valid.isEmpty {
            let scope =
                candidates.count == 1
                ? "for cloud \(CloudTraits.forCloud(candidates[0].0).displayName)"
                : "for any cloud among \(cloudList(candidates.map(\.0)))"
            throw OptimizerError.invalidResources("Invalid instance type '\(type)' \(scope).")
        }
        if valid.count > 1 {
            throw OptimizerError.invalidResources(
                "Ambiguous instance type '\(type)'. Please specify cloud explicitly among \(cloudList(valid))."
            )
        }
        resources.cloud = valid[0]
    }

    private func validateCPUsMemory(_ resources: Resources) throws {
        guard let type = resources.instanceType, let cloud = resources.cloud,
            resources.cpus != nil || resources.memory != nil,
            let catalog = try? catalogs.catalog(for: cloud),
            let (cpus, memory) = catalog.cpusMemory(instanceType: type)
        else { return }
        func text(_ v: Double) -> String { String(v) }
        if let want = resources.cpus, let cpus {
            if want.orMore && cpus < want.value {
                throw OptimizerError.invalidResources(
                    "\(type) does not have enough vCPUs. \(type) has \(text(cpus)) vCPUs, but \(want) is requested."
                )
            }
            if !want.orMore && cpus != want.value {
                throw OptimizerError.invalidResources(
                    "\(type) does not have the requested number of vCPUs. \(type) has \(text(cpus)) vCPUs, but \(want) is requested."
                )
            }
        }
        if let want = resources.memory, let memory {
            if want.orMore && memory < want.value {
                throw OptimizerError.invalidResources(
                    "\(type) does not have enough memory. \(type) has \(text(memory)) GB memory, but \(want) is requested."
                )
            }
            if !want.orMore && memory != want.value {
                throw OptimizerError.invalidResources(
                    "\(type) does not have the requested memory. \(type) has \(text(memory)) GB memory, but \(want) is requested."
                )
            }
        }
    }
}
