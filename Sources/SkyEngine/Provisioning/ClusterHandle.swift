import Foundation
import SkyCore
import SkyProvision

/// What the engine keeps about a cluster in its state record (`ClusterRecord.handle`, JSON):
/// where it lives and how to reach it. Never secrets.
package struct ClusterHandle: Codable, Sendable {
    package var cloud: String
    package var region: String
    package var zone: String?
    package var clusterNameOnCloud: String
    package var offering: Offering
    package var numNodes: Int
    /// Set once the nodes are up.
    package var info: ClusterInfo?
    /// What the head's skylet was told (re-written on autostop changes).
    package var spec: ClusterSpec?
    /// Ports opened for the cluster (`resources.ports`).
    package var ports: [String]?

    package var locator: ClusterLocator {
        ClusterLocator(
            clusterName: info?.providerConfig["clusterName"] ?? "",
            clusterNameOnCloud: clusterNameOnCloud,
            region: region, zone: zone, providerConfig: info?.providerConfig ?? [:])
    }

    package func locator(cluster: String) -> ClusterLocator {
        var locator = self.locator
        locator.clusterName = cluster
        return locator
    }

    package func encoded() -> String? {
        guard let data = try? JSONEncoder().encode(self) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    package static func decode(_ text: String?) -> ClusterHandle? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(ClusterHandle.self, from: Data(text.utf8))
    }
}
