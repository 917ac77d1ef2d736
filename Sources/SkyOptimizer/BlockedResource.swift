import SkyCore

/// A resource the failover found unusable (SkyPilot's blocked resources, §5.3). A nil field
/// is a wildcard: `BlockedResource(cloud: "gcp", region: "us-central1")` blocks that region.
package struct BlockedResource: Sendable, Hashable {
    package var cloud: String?
    package var region: String?
    package var zone: String?
    package var instanceType: String?
    package var accelerator: Resources.Accelerator?
    package var useSpot: Bool?

    package init(
        cloud: String? = nil, region: String? = nil, zone: String? = nil,
        instanceType: String? = nil, accelerator: Resources.Accelerator? = nil, useSpot: Bool? = nil
    ) {
        self.cloud = cloud
        self.region = region
        self.zone = zone
        self.instanceType = instanceType
        self.accelerator = accelerator
        self.useSpot = useSpot
    }

    /// Blocks exactly what a candidate names (its zone if pinned, else its region).
    package init(_ candidate: LaunchCandidate) {
        self.init(
            cloud: candidate.cloud, region: candidate.region, zone: candidate.zone,
            instanceType: candidate.instanceType, accelerator: candidate.accelerator,
            useSpot: candidate.useSpot)
    }

    /// SkyPilot's `should_be_blocked_by`.
    package func blocks(_ candidate: LaunchCandidate) -> Bool {
        if let cloud, cloud.lowercased() != candidate.cloud { return false }
        if let instanceType, instanceType != candidate.instanceType { return false }
        if let region, region != candidate.region { return false }
        if let zone, zone != candidate.zone { return false }
        if let accelerator, accelerator != candidate.accelerator { return false }
        if let useSpot, useSpot != candidate.useSpot { return false }
        return true
    }
}
