/// One launchable offering: a catalog row (clouds) or a live inventory entry (local, SSH pools,
/// Kubernetes, Slurm, plugins). The optimizer ranks these; provisioners consume the chosen one.
public struct Offering: Sendable, Hashable, Codable {
    /// Lower-case backend name.
    public var cloud: String
    public var region: String
    public var zone: String?
    /// Instance type (virtual for live backends, e.g. `2CPU--4GB`).
    public var instanceType: String
    public var cpus: Double
    public var memoryGB: Double
    public var acceleratorName: String?
    public var acceleratorCount: Double
    /// USD per hour per node, on demand.
    public var price: Double
    /// USD per hour per node as spot; nil = no spot offering.
    public var spotPrice: Double?
    /// How many nodes of this shape are free right now (live backends); nil = unbounded.
    public var available: Int?

    public init(
        cloud: String, region: String, zone: String? = nil, instanceType: String, cpus: Double,
        memoryGB: Double, acceleratorName: String? = nil, acceleratorCount: Double = 0,
        price: Double, spotPrice: Double? = nil, available: Int? = nil
    ) {
        self.cloud = cloud
        self.region = region
        self.zone = zone
        self.instanceType = instanceType
        self.cpus = cpus
        self.memoryGB = memoryGB
        self.acceleratorName = acceleratorName
        self.acceleratorCount = acceleratorCount
        self.price = price
        self.spotPrice = spotPrice
        self.available = available
    }
}

/// A backend that can offer live inventory to the optimizer (local, ssh, kubernetes, slurm,
/// plugins). Catalog clouds come from SkyCatalog instead.
public protocol OfferingSource: Sendable {
    var cloud: String { get }
    /// Offerings that could satisfy `resources` (the optimizer still filters them).
    func offerings(for resources: Resources) async throws -> [Offering]
}
