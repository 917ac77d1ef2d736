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

    /// Decodes a small JSON object column; `{}` and empty text decode as empty.
    private static func json<T: Decodable & ExpressibleByDictionaryLiteral>(
        _ text: String?, as type: T.Type
    ) throws -> T {
        guard let text, text.count > 2 else { return [:] }
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
