import Foundation
import GRDB

/// Hand-written row decoding: `sky status` decodes every cluster on each run, and this is
/// several times cheaper than the generic Codable row decoder.
extension ClusterRecord {
    package init(row: Row) throws {
        let name: String = row["name"]
        let statusText: String = row["status"]
        guard let status = ClusterStatus(rawValue: statusText) else {
            throw StateError.database(
                operation: "read cluster '\(name)'", reason: "unknown status '\(statusText)'")
        }
        self.init(
            name: name, status: status,
            launchedAt: Date(timeIntervalSince1970: row["launched_at"]),
            lastUse: row["last_use"], autostopMinutes: row["autostop_minutes"],
            toDown: row["to_down"], owner: row["owner"], userName: row["user_name"],
            userHash: row["user_hash"], clusterHash: row["cluster_hash"],
            workspace: row["workspace"], cloud: row["cloud"], region: row["region"],
            zone: row["zone"], numNodes: row["num_nodes"], cpus: row["cpus"],
            memory: row["memory"],
            accelerators: try Self.json(row["accelerators"], as: [String: Double].self),
            resourcesString: row["resources_string"],
            labels: try Self.json(row["labels"], as: [String: String].self),
            clusterNameOnCloud: row["cluster_name_on_cloud"], handle: row["handle"],
            lastCreationCommand: row["last_creation_command"],
            lastCreationYaml: row["last_creation_yaml"], origin: row["origin"],
            isManaged: row["is_managed"], everUp: row["ever_up"],
            hourlyCost: row["hourly_cost"], priority: row["priority"],
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    /// Decodes a small JSON object column (`{}` or empty text decode as empty).
    /// JSONSerialization is several times cheaper here than JSONDecoder.
    private static func json<Value>(_ text: String?, as type: [String: Value].Type) throws
        -> [String: Value]
    {
        guard let text, text.utf8.count > 2 else { return [:] }
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        guard let dictionary = object as? [String: Any] else { return [:] }
        var result: [String: Value] = [:]
        for (key, value) in dictionary {
            if let value = value as? Value {
                result[key] = value
            } else if Value.self == Double.self, let number = value as? NSNumber,
                let double = number.doubleValue as? Value
            {
                result[key] = double
            }
        }
        return result
    }
}
