import Foundation
import SkyCore

/// The `slurm:` section of `~/.sky/config.yaml` that the backend reads (reference 6.3).
package struct SlurmSettings: Sendable, Hashable {
    /// `slurm.pricing`: `cpu` $/vCPU-hour and `memory` $/GB-hour for CPU-only shapes;
    /// `accelerators` all-in $/accelerator-hour by name (case-insensitive). Zero by default.
    package struct Pricing: Sendable, Hashable {
        package var cpu: Double
        package var memory: Double
        package var accelerators: [String: Double]

        package init(cpu: Double = 0, memory: Double = 0, accelerators: [String: Double] = [:]) {
            self.cpu = cpu
            self.memory = memory
            self.accelerators = accelerators
        }

        /// $/hour of one node of a shape.
        package func price(cpus: Double, memoryGB: Double, accelerator: String?, count: Double)
            -> Double
        {
            if let accelerator, count > 0 {
                let perUnit =
                    accelerators.first { $0.key.lowercased() == accelerator.lowercased() }?.value
                    ?? 0
                return perUnit * count
            }
            return cpu * cpus + memory * memoryGB
        }
    }

    package var pricing: Pricing
    package var sbatchOptions: SlurmSbatchOptions
    /// How long an allocation may stay PENDING before the launch fails over (seconds).
    package var provisionTimeout: Double
    /// Where the allocations' batch output goes (must be on the shared filesystem).
    package var logDirectory: String?
    /// Where each Sky cluster's home directory is created (`slurm.clusters_dir`, on the
    /// shared filesystem); nil = `~/.sky/slurm/clusters`.
    package var clustersDirectory: String?
    /// Default partition for CPU-only tasks (`slurm.cpu_partition`).
    package var cpuPartition: String?
    /// `slurm.quota.account` / `slurm.quota.queue` (QOS).
    package var account: String?
    package var qos: String?
    /// `slurm.allocation`: `salloc` or `sbatch`; nil = by the cluster's process tracking
    /// (`SlurmAllocationMode.automatic`).
    package var allocation: SlurmAllocationMode?

    package init(
        pricing: Pricing = Pricing(), sbatchOptions: SlurmSbatchOptions = SlurmSbatchOptions(),
        provisionTimeout: Double = 300, logDirectory: String? = nil, cpuPartition: String? = nil,
        account: String? = nil, qos: String? = nil, allocation: SlurmAllocationMode? = nil
    ) {
        self.pricing = pricing
        self.sbatchOptions = sbatchOptions
        self.provisionTimeout = provisionTimeout
        self.logDirectory = logDirectory
        self.cpuPartition = cpuPartition
        self.account = account
        self.qos = qos
        self.allocation = allocation
    }

    /// Reads the `slurm:` object (nil = defaults).
    package init(config: JSONValue?) throws(SlurmError) {
        self.init()
        guard let config else { return }
        guard case .object = config else {
            throw .invalidRequest("The 'slurm' section of the config must be a mapping.")
        }
        sbatchOptions = try SlurmSbatchOptions(json: config["sbatch_options"])
        if let timeout = Self.number(config["provision_timeout"]) {
            guard timeout > 0 else {
                throw .invalidRequest(
                    "slurm.provision_timeout must be a positive number of seconds.")
            }
            provisionTimeout = timeout
        }
        logDirectory = config["log_dir"]?.stringValue
        clustersDirectory = config["clusters_dir"]?.stringValue
        cpuPartition = config["cpu_partition"]?.stringValue
        account = config["quota"]?["account"]?.stringValue
        qos = config["quota"]?["queue"]?.stringValue
        if let mode = config["allocation"] {
            guard let text = mode.stringValue, let parsed = SlurmAllocationMode(rawValue: text)
            else {
                throw .invalidRequest(
                    "slurm.allocation must be one of "
                        + SlurmAllocationMode.allCases.map(\.rawValue).joined(separator: ", ")
                        + " (got \(mode.encoded())).")
            }
            allocation = parsed
        }
        if let pricing = config["pricing"] {
            var accelerators: [String: Double] = [:]
            if case .object(let pairs)? = pricing["accelerators"] {
                for (name, value) in pairs {
                    guard let price = Self.number(value) else {
                        throw .invalidRequest(
                            "slurm.pricing.accelerators.\(name) must be a number.")
                    }
                    accelerators[name] = price
                }
            }
            self.pricing = Pricing(
                cpu: Self.number(pricing["cpu"]) ?? 0, memory: Self.number(pricing["memory"]) ?? 0,
                accelerators: accelerators)
        }
    }

    private static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let n)?: Double(n)
        case .double(let d)?: d
        case .string(let s)?: Double(s)
        default: nil
        }
    }

    /// Key in `ProvisionConfig.providerConfig` carrying a task's own `slurm.sbatch_options`
    /// as a JSON object (layered over the global ones).
    package static let sbatchOptionsKey = "slurm.sbatch_options"

    /// Encodes a task's `config.slurm.sbatch_options` for `providerConfig`.
    package static func providerConfig(taskConfig: JSONValue?) -> [String: String] {
        guard let options = taskConfig?["slurm"]?["sbatch_options"] else { return [:] }
        return [sbatchOptionsKey: options.encoded()]
    }

    /// The task's options from `providerConfig`, over the global ones.
    package func sbatchOptions(providerConfig: [String: String]) throws(SlurmError)
        -> SlurmSbatchOptions
    {
        guard let text = providerConfig[Self.sbatchOptionsKey] else { return sbatchOptions }
        guard let json = try? JSONValue.parse(Data(text.utf8)) else {
            throw .invalidRequest("\(Self.sbatchOptionsKey) in the provider config is not JSON.")
        }
        let task = try SlurmSbatchOptions(json: json)
        return task.merged(over: sbatchOptions)
    }
}
