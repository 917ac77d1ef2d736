import Foundation
import SkyCore

/// `slurm.sbatch_options` (reference 6.3): extra `sbatch` settings, applied to the allocation
/// through the API's job descriptor. Keys the backend sets itself are refused, as are keys
/// the API binding cannot express and values with newlines.
package struct SlurmSbatchOptions: Sendable, Hashable {
    /// Normalised key (no leading dashes, `_` → `-`) → value (`nil` = flag without value).
    package var values: [String: String?]

    /// Keys Sky owns: the cluster's shape, name, logs and placement.
    package static let protectedKeys: Set<String> = [
        "job-name", "J", "nodes", "N", "ntasks", "n", "ntasks-per-node", "cpus-per-task", "c",
        "mem", "mem-per-cpu", "mem-per-gpu", "gres", "gpus", "G", "gpus-per-node",
        "gpus-per-task", "partition", "p", "output", "o", "error", "e", "chdir", "D", "wrap",
        "wait-all-nodes", "requeue", "no-requeue", "export", "array", "a", "uid", "gid",
    ]

    /// Keys the API binding maps onto the job descriptor.
    package static let supportedKeys: Set<String> = [
        "time", "t", "account", "A", "qos", "q", "reservation", "constraint", "C", "exclude", "x",
        "nodelist", "w", "comment", "exclusive",
    ]

    package init(values: [String: String?] = [:]) {
        self.values = values
    }

    /// Parses the config object; `invalidRequest` names the offending key.
    package init(json: JSONValue?) throws(SlurmError) {
        values = [:]
        guard let json else { return }
        guard case .object(let pairs) = json else {
            throw .invalidRequest("slurm.sbatch_options must be a mapping of sbatch options.")
        }
        for (rawKey, value) in pairs {
            let key = Self.normalise(rawKey)
            let text: String?
            switch value {
            case .null: text = nil
            case .bool(let flag):
                guard flag else { continue }
                text = nil
            case .int(let n): text = String(n)
            case .double(let d): text = d == d.rounded() ? String(Int(d)) : String(d)
            case .string(let s): text = s
            default:
                throw .invalidRequest(
                    "slurm.sbatch_options.\(rawKey) must be a string, number or boolean.")
            }
            values[key] = .some(text)
        }
        try validate()
    }

    static func normalise(_ key: String) -> String {
        var key = key
        while key.hasPrefix("-") { key.removeFirst() }
        return key.count == 1 ? key : key.replacingOccurrences(of: "_", with: "-").lowercased()
    }

    package func validate() throws(SlurmError) {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            if Self.protectedKeys.contains(key) {
                throw .invalidRequest(
                    "slurm.sbatch_options cannot set '\(key)': Sky sets it from the task's "
                        + "resources (nodes, cpus, memory, accelerators, infra).")
            }
            guard Self.supportedKeys.contains(key) else {
                throw .invalidRequest(
                    "slurm.sbatch_options '\(key)' is not supported; supported: "
                        + Self.supportedKeys.filter { $0.count > 1 }.sorted().joined(
                            separator: ", ")
                        + ".")
            }
            if let value, value.contains("\n") || value.contains("\r") {
                throw .invalidRequest("slurm.sbatch_options.\(key) must not contain newlines.")
            }
        }
    }

    /// The options layered over `base` (task config over global config).
    package func merged(over base: SlurmSbatchOptions) -> SlurmSbatchOptions {
        SlurmSbatchOptions(values: base.values.merging(values) { _, new in new })
    }

    private func value(_ keys: String...) -> String?? {
        for key in keys { if let found = values[key] { return found } }
        return nil
    }

    /// Applies the options to `request`; the time limit wins over the partition's MaxTime.
    package func apply(to request: inout SlurmJobRequest) throws(SlurmError) {
        if let time = value("time", "t") {
            guard let time, let minutes = SlurmTimeLimit.minutes(time) else {
                throw .invalidRequest(
                    "slurm.sbatch_options.time '\(time ?? "")' is not a Slurm time "
                        + "(minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]] or UNLIMITED).")
            }
            request.timeLimitMinutes = minutes
        }
        if let account = value("account", "A") { request.account = account }
        if let qos = value("qos", "q") { request.qos = qos }
        if let reservation = value("reservation") { request.reservation = reservation }
        if let constraint = value("constraint", "C") { request.constraint = constraint }
        if let exclude = value("exclude", "x") { request.excludeNodes = exclude }
        if let nodelist = value("nodelist", "w") { request.requiredNodes = nodelist }
        if let comment = value("comment") { request.comment = comment }
        if value("exclusive") != nil { request.exclusive = true }
    }
}
