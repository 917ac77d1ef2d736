import Foundation
import SkyCore
import SkyProvision
import SkyState

/// What the operator (`sky-operator`) needs from the engine beyond the CLI's calls: launches
/// recorded with their origin, the opaque handle it keeps in the custom resource's status,
/// and adopting a cluster from that handle after a restart with an empty `SKY_HOME` (the
/// API server, not the pod's disk, holds what the operator must not lose).
extension SkyEngine {
    /// Origin written on records of operator-managed clusters (`sky status -o json`).
    package static let operatorOrigin = "operator"

    /// The state record of cluster `name`, nil when this engine does not know it.
    package func clusterRecord(named name: String) async throws -> ClusterRecord? {
        try await SQLiteStateStore(home: home).cluster(named: name)
    }

    /// `sky launch -d` for the operator: the record is marked with the operator origin and
    /// `source` (`skycluster <namespace>/<name>`).
    package func operatorLaunch(_ task: Task, clusterName: String, source: String) async throws
        -> LaunchResult
    {
        var options = LaunchOptions(clusterName: clusterName)
        options.detach = true
        options.commandLine = "sky-operator: \(source)"
        let result = try await launch(task, options: options)
        try await markOperatorOrigin(clusterName)
        return result
    }

    /// Sets the record's origin to the operator (no-op when there is no record).
    package func markOperatorOrigin(_ name: String) async throws {
        _ = try await SQLiteStateStore(home: home).updateCluster(named: name) { record in
            record.origin = Self.operatorOrigin
        }
    }

    /// Recreates the record of cluster `name` from `handle` (a record's `handle` text, as kept
    /// in the custom resource's status) when this engine has no record of it. SSH pool hosts
    /// named in the handle are leased to the cluster again. A handle without nodes gives an
    /// INIT record, which the next launch cleans up before relaunching. Returns false when a
    /// record already existed or the handle is not one.
    package func adoptCluster(named name: String, handle text: String, numNodes: Int) async throws
        -> Bool
    {
        let store = SQLiteStateStore(home: home)
        if try await store.cluster(named: name) != nil { return false }
        guard let handle = ClusterHandle.decode(text) else { return false }
        let me = user
        var record = ClusterRecord(
            name: name, status: handle.info == nil ? .initializing : .up,
            lastUse: "sky-operator: adopted", userName: me.name, userHash: me.hash,
            clusterHash: UUID().uuidString.lowercased(), cloud: handle.cloud, region: handle.region,
            zone: handle.zone, numNodes: max(handle.numNodes, numNodes),
            cpus: handle.offering.cpus, memory: handle.offering.memoryGB,
            resourcesString: Self.resourcesString(handle.offering, nodes: handle.numNodes),
            clusterNameOnCloud: handle.clusterNameOnCloud, handle: text,
            origin: Self.operatorOrigin,
            everUp: handle.info != nil)
        record.accelerators =
            handle.offering.acceleratorName.map { [$0: handle.offering.acceleratorCount] } ?? [:]
        _ = try await store.upsertCluster(record)
        if handle.cloud == LocalProviderNames.ssh, let info = handle.info {
            let pool =
                handle.region.hasPrefix("ssh-") ? String(handle.region.dropFirst(4)) : handle.region
            let hosts = info.instances.map(\.instanceID)
            _ = try await store.claimHosts(
                pool: pool, candidates: hosts, count: hosts.count, cluster: name)
        }
        return true
    }
}

extension SkyEngine {
    /// The skylet's record of job `jobID` on cluster `name` (nil when its queue does not have
    /// it): status and, once the job ended, its exit code (`JobRecord.operatorExitCode`).
    package func jobRecord(cluster name: String, jobID: Int) async throws -> JobRecord? {
        let cluster = try await jobCluster(name)
        return try await cluster.client.queue(skipFinished: false).first { $0.jobID == jobID }
    }
}

extension JobRecord {
    /// The exit code the skylet recorded when the job ended (`metadata.exit_code`): 0 on
    /// success, the failing node's code on failure, nil when cancelled or still running.
    package var operatorExitCode: Int? { metadata["exit_code"].flatMap { Int($0) } }
}
