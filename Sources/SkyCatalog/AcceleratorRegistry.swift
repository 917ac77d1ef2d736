import Foundation

/// Canonical accelerator names (`common/accelerators.csv`) and device memories
/// (`common/metadata.csv`).
package struct AcceleratorRegistry: Sendable {
    /// Canonical name and the display names of the clouds offering it, in file order.
    package let names: [(name: String, clouds: String)]
    /// GPU name, device memory in GB, manufacturer, in file order.
    package let devices: [(name: String, memoryGB: Double, manufacturer: String)]

    package init(acceleratorsCSV: Data, metadataCSV: Data?) throws {
        var names: [(String, String)] = []
        let scanner = CSVScanner(data: acceleratorsCSV)
        var first = true
        scanner.forEachRecord { record in
            if first {
                first = false
                return
            }
            names.append((record.string(0), record.string(1)))
        }
        self.names = names
        var devices: [(String, Double, String)] = []
        if let metadataCSV {
            let meta = CSVScanner(data: metadataCSV)
            first = true
            meta.forEachRecord { record in
                if first {
                    first = false
                    return
                }
                if let memory = record.double(1) {
                    devices.append((record.string(0), memory, record.string(2)))
                }
            }
        }
        self.devices = devices
    }

    /// SkyPilot's `canonicalize_accelerator_name`: TPU names are lower-cased; a case-insensitive
    /// exact match returns the canonical spelling; otherwise a unique name containing the input
    /// (among those offered by `cloud`, when given) is used; several are ambiguous; none keeps
    /// the input as is (it may be a custom Kubernetes or Slurm device).
    package func canonicalize(_ accelerator: String, cloud: String? = nil) throws -> String {
        let lower = accelerator.lowercased()
        if lower.hasPrefix("tpu-") { return lower }
        var contained: [String] = []
        for entry in names where entry.name.lowercased().contains(lower) {
            if entry.name.lowercased() == lower { return entry.name }
            if let cloud, !entry.clouds.lowercased().contains("'" + cloud.lowercased() + "'") {
                continue
            }
            contained.append(entry.name)
        }
        if contained.count == 1 { return contained[0] }
        if contained.count > 1 {
            throw CatalogError.ambiguousAccelerator(accelerator, candidates: contained)
        }
        return accelerator
    }

    /// Whether the name is a known canonical name (case-insensitive) or a TPU name.
    package func isKnown(_ accelerator: String) -> Bool {
        let lower = accelerator.lowercased()
        return lower.hasPrefix("tpu-") || names.contains { $0.name.lowercased() == lower }
    }

    /// Devices whose memory is exactly (or at least) `memoryGB`, optionally of one maker.
    package func devices(memoryGB: Double, orMore: Bool, manufacturer: String? = nil) -> [String] {
        devices.filter { device in
            (orMore ? device.memoryGB >= memoryGB : device.memoryGB == memoryGB)
                && (manufacturer == nil
                    || device.manufacturer.lowercased() == manufacturer?.lowercased())
        }.map(\.name)
    }

    /// Device memory of a GPU in GB, from `metadata.csv`.
    package func deviceMemoryGB(_ name: String) -> Double? {
        devices.first { $0.name.lowercased() == name.lowercased() }?.memoryGB
    }

    /// Expands SkyPilot's memory forms: `80GB+`, `24GB:2`, `nvidia:80GB`, `nvidia:80GB:8`.
    /// Returns nil when `text` is a plain accelerator name (`A100`, `A100:8`), otherwise the
    /// matching device names and the count.
    package func expandMemoryForm(_ text: String) throws -> (names: [String], count: Double)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var manufacturer: String?
        var memory: String
        var count = 1.0
        switch parts.count {
        case 3:
            manufacturer = parts[0]
            memory = parts[1]
            guard Self.isMemory(memory), let n = Int(parts[2]), n > 0 else {
                throw CatalogError.badAcceleratorForm(text)
            }
            count = Double(n)
        case 2 where Self.isMemory(parts[0]):
            memory = parts[0]
            guard let n = Int(parts[1]), n > 0 else { throw CatalogError.badAcceleratorForm(text) }
            count = Double(n)
        case 2 where Self.isMemory(parts[1]):
            manufacturer = parts[0]
            memory = parts[1]
        case 1 where Self.isMemory(parts[0]):
            memory = parts[0]
        default:
            return nil
        }
        let orMore = memory.hasSuffix("+")
        if orMore { memory.removeLast() }
        let unit = memory.suffix(2).lowercased()
        guard let value = Double(memory.dropLast(2)) else {
            throw CatalogError.badAcceleratorForm(text)
        }
        let gb: Double
        switch unit {
        case "mb": gb = value / 1024
        case "tb": gb = value * 1024
        default: gb = value
        }
        // SkyPilot truncates the parsed size to an integer number of GB.
        let names = devices(
            memoryGB: gb.rounded(.towardZero), orMore: orMore, manufacturer: manufacturer)
        return (names, count)
    }

    /// `^[0-9]+[GgMmTt][Bb]\+?$`
    private static func isMemory(_ text: String) -> Bool {
        var scalars = Array(text.unicodeScalars)
        if scalars.last == "+" { scalars.removeLast() }
        guard scalars.count >= 3 else { return false }
        let unit = scalars.suffix(2).map { Character($0).lowercased() }.joined()
        guard ["gb", "mb", "tb"].contains(unit) else { return false }
        return scalars.dropLast(2).allSatisfy {
            $0.properties.numericType == .decimal && $0.isASCII
        }
    }

    /// Close spellings of an unknown name among `candidates` (canonical names by default).
    package func suggestions(for name: String, among candidates: [String]? = nil) -> [String] {
        let pool = candidates ?? names.map(\.name)
        let lower = name.lowercased()
        let byLower = Dictionary(
            pool.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
        return CloseMatches.find(lower, in: Array(byLower.keys).sorted()).compactMap { byLower[$0] }
    }
}
