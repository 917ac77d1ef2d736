import SkyCore

/// `runInstances` result on the wire.
struct PluginRunResult: Decodable {
    var headInstanceID: String
    var createdInstanceIDs: [String]?
    var resumedInstanceIDs: [String]?
}

/// One node in a `clusterInfo` result; everything but the id and an address is optional.
struct PluginInstance: Decodable {
    var instanceID: String
    var internalIP: String
    var externalIP: String?
    var sshPort: Int?
    var sshUser: String?
    var identityFile: String?
    var nodeName: String?
    var tags: [String: String]?
}

/// `clusterInfo` result on the wire.
struct PluginClusterInfo: Decodable {
    var instances: [PluginInstance]
    var headInstanceID: String?
    var sshUser: String?
    var providerConfig: [String: String]?

    func info(provider: String, cluster: ClusterLocator) -> ClusterInfo {
        ClusterInfo(
            provider: provider, region: cluster.region, zone: cluster.zone,
            clusterNameOnCloud: cluster.clusterNameOnCloud,
            instances: instances.map {
                InstanceInfo(
                    instanceID: $0.instanceID, internalIP: $0.internalIP, externalIP: $0.externalIP,
                    sshPort: $0.sshPort ?? 22, sshUser: $0.sshUser ?? sshUser,
                    identityFile: $0.identityFile, nodeName: $0.nodeName, tags: $0.tags ?? [:])
            },
            headInstanceID: headInstanceID, sshUser: sshUser,
            providerConfig: providerConfig ?? cluster.providerConfig)
    }
}

/// One `listOfferings` entry on the wire.
struct PluginOffering: Decodable {
    var region: String
    var zone: String?
    var instanceType: String
    var cpus: Double
    var memoryGB: Double
    var acceleratorName: String?
    var acceleratorCount: Double?
    var price: Double?
    var spotPrice: Double?
    var available: Int?

    func offering(cloud: String) -> Offering {
        Offering(
            cloud: cloud, region: region, zone: zone, instanceType: instanceType, cpus: cpus,
            memoryGB: memoryGB, acceleratorName: acceleratorName,
            acceleratorCount: acceleratorCount ?? 0, price: price ?? 0, spotPrice: spotPrice,
            available: available)
    }
}
