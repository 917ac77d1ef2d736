import SkyCore

/// One launchable resource: a cloud, a region (and for zone-level clouds, a zone), an instance
/// type, its accelerators and its hourly price. The plan's ranked list of these is the order
/// the provisioning failover walks.
package struct LaunchCandidate: Sendable, Hashable {
    /// Lower-case backend name.
    package var cloud: String
    package var region: String
    /// The zone this candidate is pinned to (GCP, spot on zoned clouds); nil = any zone of
    /// the region, tried in `zones` order.
    package var zone: String?
    /// Zones of the region to try, in order (nil for zone-less clouds).
    package var zones: [String]?
    package var instanceType: String
    /// Accelerator name and count carried by the instance (or attached to it on GCP).
    package var accelerator: Resources.Accelerator?
    package var useSpot: Bool
    package var cpus: Double?
    package var memoryGB: Double?
    /// USD per hour for one node.
    package var hourlyCost: Double
    /// Index of the request (entry of `Task.resources`) this candidate satisfies.
    package var requestIndex: Int
    /// The request with cloud, region, zone and instance type filled in.
    package var resources: Resources

    /// `Resources.accelerator` rendered like SkyPilot's `get_accelerators_str` (`A100:1`, `-`).
    package var acceleratorText: String {
        guard let accelerator else { return "-" }
        return accelerator.description
    }

    /// `GCP (us-central1-a)`: the cloud's display name and the zone, else the region.
    package var infraText: String {
        let name = CloudTraitsNames.displayName(cloud)
        if cloud == "slurm" { return "\(name) (\(region))" }
        if let zone { return "\(name) (\(zone))" }
        let shown = region.hasPrefix("ssh-") ? String(region.dropFirst(4)) : region
        return "\(name) (\(shown))"
    }

    /// `cloud[/region[/zone]]` as an `infra` string.
    package var infra: String {
        var text = cloud + "/" + region
        if let zone { text += "/" + zone }
        return text
    }
}

/// Display names of backends (kept here so LaunchCandidate needs no catalog lookup).
enum CloudTraitsNames {
    static func displayName(_ cloud: String) -> String {
        switch cloud {
        case "gcp": return "GCP"
        case "aws": return "AWS"
        case "azure": return "Azure"
        case "lambda": return "Lambda"
        case "runpod": return "RunPod"
        case "kubernetes": return "Kubernetes"
        case "ssh": return "SSH"
        case "slurm": return "Slurm"
        case "local": return "Local"
        default: return cloud
        }
    }
}
