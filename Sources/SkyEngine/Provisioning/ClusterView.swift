import Foundation
import SkyCore
import SkyState

/// A cluster as front ends show it (`sky status` row and `-o json` record).
package struct ClusterView: Sendable {
    package var name: String
    /// `UP`, `STOPPED`, `INIT`, `AUTOSTOPPING`.
    package var status: String
    /// `Local (local)`, `SSH (pool)`, `AWS (us-east-1)`.
    package var infra: String
    package var resources: String
    /// `10m`, `10m (down)` or `-`.
    package var autostop: String
    package var launchedAt: Date
    package var numNodes: Int
    package var hourlyCost: Double
    /// Who launched it: `cli` or `operator` (a SkyCluster / SkyJob of sky-operator).
    package var origin: String
    /// The record as `sky status -o json` prints it (reference 3.5).
    package var json: JSONValue

    init(_ record: ClusterRecord) {
        name = record.name
        status = record.status.rawValue
        let cloud = record.cloud ?? "-"
        let region = record.region.map { $0.hasPrefix("ssh-") ? String($0.dropFirst(4)) : $0 }
        infra =
            record.cloud == nil ? "-" : Self.displayName(cloud) + (region.map { " (\($0))" } ?? "")
        resources = record.resourcesString.isEmpty ? "-" : record.resourcesString
        autostop =
            record.autostopMinutes < 0
            ? "-" : "\(record.autostopMinutes)m" + (record.toDown ? " (down)" : "")
        launchedAt = record.launchedAt
        numNodes = record.numNodes
        hourlyCost = record.hourlyCost
        origin = record.origin
        json = record.statusJSON
    }

    /// A backend's name as SkyPilot prints it: `SSH`, `Local`, `AWS`, `GCP`, `Kubernetes`.
    static func displayName(_ cloud: String) -> String {
        switch cloud {
        case "ssh": "SSH"
        case "local": "Local"
        case "aws", "gcp": cloud.uppercased()
        default: cloud.prefix(1).uppercased() + cloud.dropFirst()
        }
    }
}

extension SkyEngine {
    /// `status` as views (for front ends that do not read the state types).
    package func statusViews(_ patterns: [String] = [], refresh: Bool = false) async throws
        -> [ClusterView]
    {
        try await status(patterns, refresh: refresh).map(ClusterView.init)
    }

    /// Names of the clusters `patterns` select (globs allowed), or all with `all`; throws
    /// when a pattern matches nothing.
    package func clusterNames(_ patterns: [String], all: Bool) async throws -> [String] {
        try await resolveClusters(patterns, all: all).map(\.name)
    }
}
