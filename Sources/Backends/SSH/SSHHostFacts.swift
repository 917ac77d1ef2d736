import Foundation
import SkyRuntime

/// What a pool host offers, detected over ssh (`sky ssh up`, refresh) plus declared
/// accelerators.
package struct SSHHostFacts: Sendable, Hashable, Codable {
    package var host: String
    package var cpus: Double
    package var memoryGB: Double
    /// Accelerator name -> count.
    package var accelerators: [String: Double]
    package var reachable: Bool
    package var error: String?
    package var detectedAt: Date

    /// The probe: CPUs, memory, GPUs (nvidia-smi, rocm-smi) in one round trip.
    static let probeScript = """
        echo "cpus $(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
        awk '/^MemTotal:/ {print "memkb " $2}' /proc/meminfo 2>/dev/null
        if command -v nvidia-smi >/dev/null 2>&1; then
          nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | sed 's/^/gpu /'
        fi
        if command -v rocm-smi >/dev/null 2>&1; then
          rocm-smi --showproductname 2>/dev/null | awk -F': ' '/Card series/ {print "gpu " $NF}'
        fi
        """

    /// Runs the probe on `runner`; an unreachable host gives `reachable == false`.
    static func detect(host: SSHPoolHost, runner: any CommandRunner) async -> SSHHostFacts {
        do {
            let result = try await runner.run(
                ["sh", "-c", probeScript], stdin: nil, environment: [:])
            guard result.exitCode == 0 else {
                return unreachable(host, "probe exited \(result.exitCode): \(result.stderr)")
            }
            return parse(result.stdout, host: host)
        } catch {
            return unreachable(host, "\(error)")
        }
    }

    static func parse(_ output: String, host: SSHPoolHost) -> SSHHostFacts {
        var cpus = 0.0
        var memoryGB = 0.0
        var accelerators: [String: Double] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "cpus": cpus = Double(parts[1]) ?? 0
            case "memkb": memoryGB = ((Double(parts[1]) ?? 0) / 1_048_576 * 10).rounded(.down) / 10
            case "gpu": accelerators[canonicalGPUName(parts[1]), default: 0] += 1
            default: break
            }
        }
        for (name, count) in host.accelerators { accelerators[name] = count }
        return SSHHostFacts(
            host: host.key, cpus: cpus, memoryGB: memoryGB, accelerators: accelerators,
            reachable: true, error: nil, detectedAt: Date())
    }

    /// `NVIDIA A100-SXM4-80GB` -> `A100-80GB`, `Tesla T4` -> `T4`, `NVIDIA H100 80GB HBM3` -> `H100`.
    static func canonicalGPUName(_ raw: String) -> String {
        var name = raw.trimmingCharacters(in: .whitespaces)
        for prefix in ["NVIDIA ", "Tesla ", "AMD ", "GeForce "] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        let first = String(name.split(separator: " ").first ?? Substring(name))
        if first.hasPrefix("A100") { return name.contains("80GB") ? "A100-80GB" : "A100" }
        return String(first.split(separator: "-").first ?? Substring(first))
    }

    private static func unreachable(_ host: SSHPoolHost, _ error: String) -> SSHHostFacts {
        SSHHostFacts(
            host: host.key, cpus: 0, memoryGB: 0, accelerators: host.accelerators,
            reachable: false, error: error, detectedAt: Date())
    }

    /// The offering shape of this host, e.g. `4CPU--16GB--H100:1`.
    var shape: String {
        func fmt(_ v: Double) -> String {
            v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
        }
        var text = "\(fmt(cpus))CPU--\(fmt(memoryGB))GB"
        if let (name, count) = accelerators.sorted(by: { $0.key < $1.key }).first {
            text += "--\(name):\(fmt(count))"
        }
        return text
    }

    /// Whether this host has at least what `other` (a shape) offers.
    func covers(_ other: SSHHostFacts) -> Bool {
        guard reachable, cpus + 1e-9 >= other.cpus, memoryGB + 1e-9 >= other.memoryGB else {
            return false
        }
        return other.accelerators.allSatisfy { (accelerators[$0.key] ?? 0) + 1e-9 >= $0.value }
    }
}

/// Detected facts of every host of a pool, kept in `$SKY_HOME/ssh/pools/<pool>.json`.
package struct SSHPoolInventory: Sendable, Codable {
    package var pool: String
    package var hosts: [SSHHostFacts]
    package var updatedAt: Date

    static func path(directory: String, pool: String) -> String {
        directory + "/pools/\(pool).json"
    }

    static func load(directory: String, pool: String) -> SSHPoolInventory? {
        guard
            let data = FileManager.default.contents(atPath: path(directory: directory, pool: pool))
        else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(SSHPoolInventory.self, from: data)
    }

    func save(directory: String) throws {
        let target = Self.path(directory: directory, pool: pool)
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: target), options: .atomic)
    }
}
