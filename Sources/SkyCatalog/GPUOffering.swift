import SkyCore

/// One line of `sky gpus list`: SkyPilot's `InstanceTypeInfo`.
package struct GPUOffering: Sendable, Hashable {
    /// Display name (`GCP`, `Azure`, `Lambda`, ...).
    package var cloud: String
    /// nil for GCP TPUs (no host VM).
    package var instanceType: String?
    package var acceleratorName: String
    package var acceleratorCount: Double
    package var cpus: Double?
    package var deviceMemoryGiB: Double?
    package var memoryGiB: Double?
    package var price: Double?
    package var spotPrice: Double?
    package var region: String

    /// SkyPilot's `_asdict()` shape for `-o json` (missing numbers are null).
    package var json: JSONValue {
        func number(_ v: Double?) -> JSONValue { v.map { .double($0) } ?? .null }
        return .object([
            ("cloud", .string(cloud)),
            ("instance_type", instanceType.map { .string($0) } ?? .null),
            ("accelerator_name", .string(acceleratorName)),
            ("accelerator_count", .double(acceleratorCount)),
            ("cpu_count", number(cpus)),
            ("device_memory", number(deviceMemoryGiB)),
            ("memory", number(memoryGiB)),
            ("price", number(price)),
            ("spot_price", number(spotPrice)),
            ("region", .string(region)),
        ])
    }
}
