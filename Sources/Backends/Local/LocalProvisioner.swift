import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// The embedded default backend: a cluster's nodes are sandbox directories on this machine
/// (`<root>/<cluster>/node<i>`, each the HOME of the commands run on it). Several nodes are
/// allowed; they share the machine's CPUs. Stop kills the nodes' processes and keeps the
/// directories; terminate kills and removes them.
package struct LocalProvisioner: Provisioner, CommandRunnerProvider {
    package static let backendName = "local"
    package static let region = "local"

    /// `$SKY_HOME/local`.
    package let root: String
    package let cpus: Double
    package let memoryGB: Double

    package init(root: String, cpus: Double? = nil, memoryGB: Double? = nil) {
        self.root = root
        self.cpus = cpus ?? Double(ProcessInfo.processInfo.activeProcessorCount)
        self.memoryGB =
            memoryGB ?? (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10)
            .rounded(.down) / 10
    }

    package var name: String { Self.backendName }
    package var capabilities: Set<ProvisionCapability> { [.stop, .multiNode, .autostop] }
    package var offersLiveInventory: Bool { true }

    package func checkCredentials() async -> CredentialCheck {
        CredentialCheck(enabled: true, reason: "this machine: \(LocalNodes.shape(cpus, memoryGB))")
    }

    package func offerings(for resources: Resources) async throws -> [Offering] {
        if let cloud = resources.cloud, cloud != name { return [] }
        if let accelerator = resources.accelerator, accelerator.count > 0 { return [] }
        if let wanted = resources.cpus?.value, wanted > cpus + 1e-9 { return [] }
        if let wanted = resources.memory?.value, wanted > memoryGB + 1e-9 { return [] }
        return [
            Offering(
                cloud: name, region: Self.region, instanceType: LocalNodes.shape(cpus, memoryGB),
                cpus: cpus, memoryGB: memoryGB, price: 0)
        ]
    }

    package func runInstances(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionRecord
    {
        let nodes = LocalNodes(root: root, cluster: config.clusterName)
        var created: [String] = []
        var resumed: [String] = []
        let wasStopped = nodes.marker()?.status == .stopped
        do {
            for index in 0..<config.count {
                let id = LocalNodes.nodeID(index)
                if nodes.exists(id) {
                    if wasStopped { resumed.append(id) }
                    continue
                }
                try FileManager.default.createDirectory(
                    atPath: nodes.home(of: id), withIntermediateDirectories: true)
                created.append(id)
            }
            try nodes.writeMarker(
                LocalNodes.Marker(
                    clusterNameOnCloud: config.clusterNameOnCloud, count: config.count,
                    status: .up))
        } catch {
            throw .internal(
                "Cannot create the node directories under \(nodes.clusterDir): \(error)")
        }
        return ProvisionRecord(
            provider: name, region: Self.region, clusterName: config.clusterName,
            headInstanceID: LocalNodes.nodeID(0), resumedInstanceIDs: resumed,
            createdInstanceIDs: created)
    }

    package func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> [InstanceState]
    {
        let nodes = LocalNodes(root: root, cluster: cluster.clusterName)
        guard let marker = nodes.marker() else { return [] }
        return nodes.nodeIDs().map { id in
            InstanceState(instanceID: id, status: marker.status)
        }
    }

    package func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> ClusterInfo
    {
        let nodes = LocalNodes(root: root, cluster: cluster.clusterName)
        let ids = nodes.nodeIDs()
        guard nodes.marker() != nil, !ids.isEmpty else {
            throw .notFound(
                "Local cluster '\(cluster.clusterName)' has no nodes under \(nodes.clusterDir).")
        }
        let instances = ids.map { id in
            InstanceInfo(
                instanceID: id, internalIP: "127.0.0.1", home: nodes.home(of: id), nodeName: id,
                tags: ["skypilot-head-node": id == LocalNodes.nodeID(0) ? "1" : "0"])
        }
        return ClusterInfo(
            provider: name, region: Self.region, clusterNameOnCloud: cluster.clusterNameOnCloud,
            instances: instances, headInstanceID: LocalNodes.nodeID(0))
    }

    package func stopInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        let nodes = LocalNodes(root: root, cluster: cluster.clusterName)
        guard var marker = nodes.marker() else {
            throw .notFound("Local cluster '\(cluster.clusterName)' does not exist.")
        }
        nodes.killProcesses(workerOnly: workerOnly)
        if !workerOnly {
            marker.status = .stopped
            do { try nodes.writeMarker(marker) } catch {
                throw .internal("Cannot update \(nodes.clusterDir): \(error)")
            }
        }
    }

    package func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        let nodes = LocalNodes(root: root, cluster: cluster.clusterName)
        nodes.killProcesses(workerOnly: workerOnly)
        do {
            if workerOnly {
                for id in nodes.nodeIDs() where id != LocalNodes.nodeID(0) {
                    try FileManager.default.removeItem(atPath: nodes.home(of: id))
                }
            } else if FileManager.default.fileExists(atPath: nodes.clusterDir) {
                try FileManager.default.removeItem(atPath: nodes.clusterDir)
            }
        } catch {
            throw .internal("Cannot remove \(nodes.clusterDir): \(error)")
        }
    }

    package func commandRunners(for info: ClusterInfo) -> [any CommandRunner] {
        info.instances.map { instance in
            LocalRunner(nodeName: instance.nodeName ?? instance.instanceID, home: instance.home)
        }
    }
}
