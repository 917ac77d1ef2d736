import Foundation

/// What happened to a cluster. Open set: the well-known kinds are static members.
package struct ClusterEventKind: RawRepresentable, Codable, Sendable, Hashable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { self.rawValue = value }

    package static let launch: ClusterEventKind = "launch"
    package static let start: ClusterEventKind = "start"
    package static let stop: ClusterEventKind = "stop"
    package static let down: ClusterEventKind = "down"
    /// Recorded by the store itself whenever a cluster's status changes.
    package static let statusChange: ClusterEventKind = "status_change"
    package static let autostop: ClusterEventKind = "autostop"

    package var description: String { rawValue }

    package init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// One line of a cluster's history. `id` is assigned by the store (increasing).
package struct ClusterEvent: Codable, Sendable, Equatable {
    package var id: Int64?
    package var cluster: String
    package var clusterHash: String?
    package var time: Date
    package var kind: ClusterEventKind
    package var message: String

    package init(
        id: Int64? = nil, cluster: String, clusterHash: String? = nil, time: Date = Date(),
        kind: ClusterEventKind, message: String
    ) {
        self.id = id
        self.cluster = cluster
        self.clusterHash = clusterHash
        self.time = time
        self.kind = kind
        self.message = message
    }
}
