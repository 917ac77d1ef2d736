import SkyCore

/// One failed try of the failover loop, for the history in the final error.
public struct FailoverAttempt: Codable, Sendable, Hashable, CustomStringConvertible {
    public var cloud: String
    public var region: String
    public var zone: String?
    public var instanceType: String
    public var error: ProvisionError
    /// What got blocked because of it (`zone`, `region`, `cloud`).
    public var blocked: BlockScope

    public init(offering: Offering, error: ProvisionError, blocked: BlockScope) {
        self.cloud = offering.cloud
        self.region = offering.region
        self.zone = offering.zone
        self.instanceType = offering.instanceType
        self.error = error
        self.blocked = blocked
    }

    public var description: String {
        let place = [cloud, region, zone].compactMap { $0 }.joined(separator: "/")
        return
            "\(place) (\(instanceType)): \(error.code): \(error.message) [blocked \(blocked.rawValue)]"
    }
}

/// How much a failure blocks (reference 5.3).
public enum BlockScope: String, Codable, Sendable, Hashable {
    case zone, region, cloud

    /// The scope for an error code: credentials / invalid config / unsupported block the
    /// backend; quota blocks the region; capacity and the rest block the zone (the region
    /// when the offering has no zone).
    public static func forError(_ error: ProvisionError) -> BlockScope {
        switch error {
        case .credentials, .invalidConfig, .unsupported: .cloud
        case .quota: .region
        case .capacity, .notFound, .internal: .zone
        }
    }
}

/// The set of blocked clouds, regions and zones.
public struct BlockedResources: Sendable, Hashable {
    private var clouds: Set<String> = []
    private var regions: Set<String> = []
    private var zones: Set<String> = []

    public init() {}

    public mutating func block(_ offering: Offering, scope: BlockScope) {
        switch scope {
        case .cloud: clouds.insert(offering.cloud)
        case .region: regions.insert(offering.cloud + "/" + offering.region)
        case .zone:
            if let zone = offering.zone {
                zones.insert(offering.cloud + "/" + offering.region + "/" + zone)
            } else {
                regions.insert(offering.cloud + "/" + offering.region)
            }
        }
    }

    public func isBlocked(_ offering: Offering) -> Bool {
        if clouds.contains(offering.cloud) { return true }
        if regions.contains(offering.cloud + "/" + offering.region) { return true }
        if let zone = offering.zone {
            return zones.contains(offering.cloud + "/" + offering.region + "/" + zone)
        }
        return false
    }

    public var isEmpty: Bool { clouds.isEmpty && regions.isEmpty && zones.isEmpty }
}
