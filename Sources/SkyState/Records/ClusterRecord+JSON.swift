import Foundation
import SkyCore

extension ClusterRecord {
    /// The record as one element of `sky status -o json` (SkyPilot's keys, reference 3.5).
    /// The handle is left out: it is internal to the engine.
    package var statusJSON: JSONValue {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        func number(_ value: Double?) -> JSONValue {
            guard let value else { return .null }
            return value == value.rounded() && abs(value) < 1e15 ? .int(Int(value)) : .double(value)
        }
        let accelerators = self.accelerators.sorted { $0.key < $1.key }
            .map { ($0.key, number($0.value)) }
        let labels = self.labels.sorted { $0.key < $1.key }.map {
            ($0.key, JSONValue.string($0.value))
        }
        return .object([
            ("name", .string(name)),
            ("launched_at", .int(Int(launchedAt.timeIntervalSince1970))),
            ("last_use", .string(lastUse)),
            ("status", .string(status.rawValue)),
            ("autostop", .int(autostopMinutes)),
            ("to_down", .bool(toDown)),
            ("owner", text(owner)),
            ("cluster_hash", .string(clusterHash)),
            ("user_hash", .string(userHash)),
            ("user_name", .string(userName)),
            ("workspace", .string(workspace)),
            ("is_managed", .bool(isManaged)),
            ("last_creation_command", text(lastCreationCommand)),
            ("resources_str", .string(resourcesString)),
            ("nodes", .int(numNodes)),
            ("cloud", text(cloud)),
            ("region", text(region)),
            ("zone", text(zone)),
            ("cpus", number(cpus)),
            ("memory", number(memory)),
            ("accelerators", .object(accelerators)),
            ("labels", .object(labels)),
            ("cluster_name_on_cloud", text(clusterNameOnCloud)),
            ("priority", .int(priority)),
            ("origin", .string(origin)),
        ])
    }
}
