import Foundation

/// One row of a cloud's `vms.csv` (catalog schema v8). Missing values are nil, like pandas NaN.
package struct CatalogRow: Sendable, Hashable {
    /// Empty for GCP accelerator-only rows (GPUs and TPUs priced on top of a host VM).
    package var instanceType: String
    package var acceleratorName: String?
    package var acceleratorCount: Double?
    package var cpus: Double?
    package var memoryGiB: Double?
    /// Present when the row's `GpuInfo` is non-empty.
    package var gpuInfo: String?
    package var price: Double?
    package var spotPrice: Double?
    package var region: String
    /// `AvailabilityZone` (GCP zones, AWS zone ids); nil for zone-less clouds.
    package var zone: String?

    package init(
        instanceType: String, acceleratorName: String? = nil, acceleratorCount: Double? = nil,
        cpus: Double? = nil, memoryGiB: Double? = nil, gpuInfo: String? = nil,
        price: Double? = nil, spotPrice: Double? = nil, region: String, zone: String? = nil
    ) {
        self.instanceType = instanceType
        self.acceleratorName = acceleratorName
        self.acceleratorCount = acceleratorCount
        self.cpus = cpus
        self.memoryGiB = memoryGiB
        self.gpuInfo = gpuInfo
        self.price = price
        self.spotPrice = spotPrice
        self.region = region
        self.zone = zone
    }

    /// `Price` or `SpotPrice`.
    package func price(spot: Bool) -> Double? {
        spot ? spotPrice : price
    }

    /// Memory of one device in GiB, read from `GpuInfo` (`'SizeInMiB': N`) when present.
    package var deviceMemoryGiB: Double? {
        guard let info = gpuInfo, let range = info.range(of: "'SizeInMiB': ") else { return nil }
        let digits = info[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        guard let mib = Double(digits) else { return nil }
        return mib / 1024.0
    }
}
