import Foundation
import SkyCore

/// What `sky` and `sky-slurm-agent` (on a login node, over ssh) say to each other: the plugin
/// protocol (plugins/PROTOCOL.md) with the standard methods, whose results are the full
/// Codable values (`ProvisionRecord`, `ClusterInfo`, ... : a superset of the protocol's
/// shapes), plus `inventory` (partitions and nodes from libslurm, for offerings and
/// `sky gpus list`). Every request carries the laptop's `slurm:` settings as `settings`.
package enum SlurmAgentWire {
    /// The agent's executable name (beside `sky`; on the login node with a hash suffix).
    package static let executableName = "sky-slurm-agent"
    /// Where the agent lives on the login node, relative to the login home.
    package static let remoteDirectory = ".sky/bin"
    /// The argument that makes the agent serve the protocol on stdin/stdout.
    package static let serveArgument = "serve"
    /// The argument that makes the agent a listener on a unix socket (kept between commands).
    package static let listenArgument = "listen"
    /// The method that starts a listener (unless one runs) and answers `{"socket": path}`.
    package static let listenMethod = "listen"

    package static let settingsKey = "settings"
    package static let inventoryMethod = "inventory"

    /// `sky-slurm-agent-<first 16 hex of sha256>`: a new build gets a new name, so starting the
    /// agent needs no version check round trip.
    package static func remoteName(hash: String) -> String {
        executableName + "-" + hash.prefix(16)
    }

    /// A Codable value as JSON.
    package static func value<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValue.parse(JSONEncoder().encode(value))
    }

    /// A JSON value as `T`.
    package static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue?) throws -> T {
        try JSONDecoder().decode(type, from: Data((value ?? .null).encoded().utf8))
    }
}
