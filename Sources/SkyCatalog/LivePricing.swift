import Foundation

/// Prices for live backends (Kubernetes, Slurm, SSH pools, plugins): zero unless configured.
///
/// Two sources, as in SkyPilot: a config dict (`kubernetes.pricing` / `slurm.pricing`:
/// `{cpu: $/vCPU/h, memory: $/GB/h, accelerators: {NAME: $/device/h}}`; an accelerator node
/// costs count × rate only, a CPU node cpus × cpu + memory × memory), or a `pricing.csv` with
/// `Region, Zone, PricePerVCPU, PricePerMemoryGB, AcceleratorName, PricePerAccelerator` rows
/// where an empty field is a wildcard and the most specific location wins (region+zone, then
/// region, then zone, then the catch-all row).
package struct LivePricing: Sendable, Hashable {
    package struct Row: Sendable, Hashable {
        package var region: String?
        package var zone: String?
        package var perVCPU: Double
        package var perMemoryGB: Double
        package var acceleratorName: String?
        package var perAccelerator: Double
    }

    package var rows: [Row]
    /// Config-dict rates, when pricing comes from `~/.sky/config.yaml`.
    package var cpuRate: Double?
    package var memoryRate: Double?
    package var acceleratorRates: [String: Double]

    /// Everything free (no pricing configured).
    package static let free = LivePricing(
        rows: [], cpuRate: nil, memoryRate: nil, acceleratorRates: [:])

    package init(
        rows: [Row], cpuRate: Double? = nil, memoryRate: Double? = nil,
        acceleratorRates: [String: Double] = [:]
    ) {
        self.rows = rows
        self.cpuRate = cpuRate
        self.memoryRate = memoryRate
        self.acceleratorRates = acceleratorRates
    }

    /// SkyPilot's config form.
    package init(cpu: Double?, memory: Double?, accelerators: [String: Double]) {
        self.init(rows: [], cpuRate: cpu, memoryRate: memory, acceleratorRates: accelerators)
    }

    /// Parses a `pricing.csv`.
    package init(csv: Data) {
        let scanner = CSVScanner(data: csv)
        var columns: [String: Int] = [:]
        var rows: [Row] = []
        var header = true
        scanner.forEachRecord { record in
            if header {
                for i in 0..<record.count { columns[record.string(i)] = i }
                header = false
                return
            }
            func text(_ name: String) -> String? {
                guard let i = columns[name], !record.isEmpty(i) else { return nil }
                return record.string(i)
            }
            func number(_ name: String) -> Double {
                columns[name].flatMap { record.double($0) } ?? 0
            }
            rows.append(
                Row(
                    region: text("Region"), zone: text("Zone"), perVCPU: number("PricePerVCPU"),
                    perMemoryGB: number("PricePerMemoryGB"),
                    acceleratorName: text("AcceleratorName"),
                    perAccelerator: number("PricePerAccelerator")))
        }
        self.init(rows: rows)
    }

    /// Hourly price of one node.
    package func hourlyCost(
        region: String?, zone: String?, cpus: Double, memoryGB: Double,
        accelerator: String?, count: Double
    ) -> Double {
        if cpuRate != nil || memoryRate != nil || !acceleratorRates.isEmpty {
            if let accelerator, count > 0 {
                let rate =
                    acceleratorRates.first { $0.key.lowercased() == accelerator.lowercased() }?
                    .value ?? 0
                return count * rate
            }
            return cpus * (cpuRate ?? 0) + memoryGB * (memoryRate ?? 0)
        }
        var total = 0.0
        if let base = best(rows.filter { $0.acceleratorName == nil }, region: region, zone: zone) {
            total += cpus * base.perVCPU + memoryGB * base.perMemoryGB
        }
        if let accelerator, count > 0,
            let row = best(
                rows.filter { $0.acceleratorName?.lowercased() == accelerator.lowercased() },
                region: region, zone: zone)
        {
            total += count * row.perAccelerator
        }
        return total
    }

    /// The most specific row for a location: region+zone > region > zone > wildcard.
    private func best(_ candidates: [Row], region: String?, zone: String?) -> Row? {
        func rank(_ row: Row) -> Int? {
            let regionMatch = row.region == nil ? false : row.region == region
            let zoneMatch = row.zone == nil ? false : row.zone == zone
            if row.region != nil && !regionMatch { return nil }
            if row.zone != nil && !zoneMatch { return nil }
            switch (regionMatch, zoneMatch) {
            case (true, true): return 0
            case (true, false): return 1
            case (false, true): return 2
            case (false, false): return 3
            }
        }
        return candidates.compactMap { row in rank(row).map { ($0, row) } }.min { $0.0 < $1.0 }?.1
    }
}
