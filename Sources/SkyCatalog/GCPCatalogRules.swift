/// GCP's host-VM rules (SkyPilot `sky/catalog/gcp_catalog.py`): A100/L4/H100/H200/B200 come
/// only with their own machine families; other GPUs attach to an N1 host sized per GPU count;
/// TPU VMs have no priced host.
package enum GCPCatalogRules {
    /// General families for the default CPU instance.
    package static let defaultFamilies = [
        "n2-standard", "n2-highmem", "n2-highcpu", "n4-standard", "n4-highcpu", "n4-highmem",
    ]
    /// Host families for attachable GPUs (n2 cannot host GPUs).
    package static let hostFamilies = ["n1-standard", "n1-highmem", "n1-highcpu"]
    /// GPU-to-host memory ratio (GB per vCPU) for attachable GPUs.
    package static let gpuMemoryPerCPU = 4.0

    /// Accelerator -> count -> machine types that carry it.
    package static let acceleratorMachineTypes: [String: [Int: [String]]] = [
        "A100": [
            1: ["a2-highgpu-1g"], 2: ["a2-highgpu-2g"], 4: ["a2-highgpu-4g"],
            8: ["a2-highgpu-8g"], 16: ["a2-megagpu-16g"],
        ],
        "A100-80GB": [
            1: ["a2-ultragpu-1g"], 2: ["a2-ultragpu-2g"], 4: ["a2-ultragpu-4g"],
            8: ["a2-ultragpu-8g"],
        ],
        "L4": [
            1: [
                "g2-standard-4", "g2-standard-8", "g2-standard-12", "g2-standard-16",
                "g2-standard-32",
            ],
            2: ["g2-standard-24"], 4: ["g2-standard-48"], 8: ["g2-standard-96"],
        ],
        "H100": [
            1: ["a3-highgpu-1g"], 2: ["a3-highgpu-2g"], 4: ["a3-highgpu-4g"], 8: ["a3-highgpu-8g"],
        ],
        "H100-MEGA": [8: ["a3-megagpu-8g"]],
        "H200": [8: ["a3-ultragpu-8g"]],
        "B200": [8: ["a4-highgpu-8g"]],
    ]

    /// Machine type -> the accelerator it carries.
    package static let machineTypeAccelerator: [String: (name: String, count: Double)] = {
        var out: [String: (String, Double)] = [:]
        for (name, byCount) in acceleratorMachineTypes {
            for (count, types) in byCount {
                for type in types { out[type] = (name, Double(count)) }
            }
        }
        return out
    }()

    /// Default host vCPUs per accelerator count (`_NUM_ACC_TO_NUM_CPU`).
    package static let hostCPUs: [String: [Int: Double]] = [
        "K80": [1: 4, 2: 8, 4: 16, 8: 32, 16: 64],
        "V100": [1: 8, 2: 16, 4: 32, 8: 64],
        "T4": [1: 4, 2: 8, 4: 48],
        "P100": [1: 8, 2: 16, 4: 32, 8: 64],
        "DEFAULT": [1: 8, 2: 16, 4: 32, 8: 64, 16: 128],
    ]

    /// Maximum (vCPUs, memory GB) of an N1 host per GPU count.
    package static let hostLimits: [String: [Int: (Double, Double)]] = [
        "K80": [1: (8, 52), 2: (16, 104), 4: (32, 208), 8: (64, 208)],
        "V100": [1: (12, 78), 2: (24, 156), 4: (48, 312), 8: (96, 624)],
        "T4": [1: (48, 312), 2: (48, 312), 4: (96, 624)],
        "P4": [1: (24, 156), 2: (48, 312), 4: (96, 624)],
        "P100": [1: (16, 104), 2: (32, 208), 4: (96, 624)],
    ]

    package static func isTPU(_ accelerator: String) -> Bool {
        accelerator.lowercased().hasPrefix("tpu-")
    }

    /// Integer count when `count` is whole.
    package static func wholeCount(_ count: Double) -> Int? {
        count == count.rounded() && count > 0 && count < 1e6 ? Int(count) : nil
    }
}

extension CloudCatalog {
    /// GCP: the host machine type for `count` of `accelerator` (`TPU-VM` for TPUs), or nil.
    /// Mirrors `gcp_catalog.get_instance_type_for_accelerator` after the offering check.
    package func gcpHostMachineType(
        accelerator: String, count: Double, cpus: SizeRequirement?, memory: SizeRequirement?
    ) -> String? {
        if GCPCatalogRules.isTPU(accelerator) { return "TPU-VM" }
        if let byCount = GCPCatalogRules.acceleratorMachineTypes[accelerator] {
            guard let n = GCPCatalogRules.wholeCount(count), let types = byCount[n] else {
                return nil
            }
            let allowed = Set(types)
            return Self.cheapestInstanceType(
                rows(instanceTypesWhere: { allowed.contains($0) }), cpus: cpus, memory: memory)
        }
        let key = GCPCatalogRules.hostCPUs[accelerator] != nil ? accelerator : "DEFAULT"
        var cpus = cpus
        var memory = memory
        if cpus == nil && memory == nil {
            guard let n = GCPCatalogRules.wholeCount(count),
                let host = GCPCatalogRules.hostCPUs[key]?[n]
            else { return nil }
            cpus = .atLeast(host)
        }
        if memory == nil, let cpus {
            memory = .atLeast(cpus.value.rounded(.towardZero) * GCPCatalogRules.gpuMemoryPerCPU)
        }
        let hosts = rows(instanceTypesWhere: { type in
            GCPCatalogRules.hostFamilies.contains { type.hasPrefix($0) }
        })
        return Self.cheapestInstanceType(hosts, cpus: cpus, memory: memory)
    }

    /// GCP: regions offering both the accelerator and the host, in the accelerator's order.
    package func gcpAcceleratorRegions(
        accelerator: String, count: Double, hostType: String, useSpot: Bool
    ) -> [CatalogRegion] {
        let accRows = rows(accelerator: accelerator).filter { $0.acceleratorCount == count }
        let accRegions = regionZones(accRows, useSpot: useSpot)
        if hostType == "TPU-VM" { return accRegions }
        let vmRegions = regionZones(rows(instanceType: hostType), useSpot: useSpot)
        var vmZones: [String: Set<String>] = [:]
        for region in vmRegions { vmZones[region.name] = Set(region.zones ?? []) }
        var out: [CatalogRegion] = []
        for region in accRegions {
            guard let hostZones = vmZones[region.name] else { continue }
            let zones = (region.zones ?? []).filter { hostZones.contains($0) }
            if !zones.isEmpty { out.append(CatalogRegion(name: region.name, zones: zones)) }
        }
        return out
    }

    /// GCP: why `accelerator` cannot be attached to `instanceType`, or nil when it can
    /// (`check_accelerator_attachable_to_host`).
    package func gcpAttachProblem(instanceType: String, accelerator: String, count: Double)
        -> String?
    {
        if GCPCatalogRules.isTPU(accelerator) {
            if instanceType != "TPU-VM" && !instanceType.hasPrefix("n1-") {
                return "TPU Nodes can be only used with N1 machines."
            }
            return nil
        }
        if let byCount = GCPCatalogRules.acceleratorMachineTypes[accelerator] {
            let types = GCPCatalogRules.wholeCount(count).flatMap { byCount[$0] } ?? []
            if !types.contains(instanceType) {
                return "\(accelerator) GPUs cannot be attached to \(instanceType). Use one of "
                    + "\(types) instead."
            }
            return nil
        }
        guard instanceType.hasPrefix("n1-") else {
            return
                "\(accelerator) GPUs cannot be attached to \(instanceType). Use N1 instance types instead."
        }
        guard let limits = GCPCatalogRules.hostLimits[accelerator] else { return nil }
        guard let n = GCPCatalogRules.wholeCount(count), let (maxCPUs, maxMemory) = limits[n] else {
            let valid = limits.keys.sorted().map(String.init).joined(separator: ", ")
            return
                "\(accelerator):\(count) is not launchable on GCP. The valid \(accelerator) counts are [\(valid)]."
        }
        if let (cpus, memory) = cpusMemory(instanceType: instanceType) {
            if let cpus, cpus > maxCPUs {
                return
                    "\(accelerator):\(n) cannot be attached to \(instanceType). The maximum number of vCPUs is \(Int(maxCPUs))."
            }
            if let memory, memory > maxMemory {
                return
                    "\(accelerator):\(n) cannot be attached to \(instanceType). The maximum CPU memory is \(Int(maxMemory)) GB."
            }
        }
        return nil
    }
}
