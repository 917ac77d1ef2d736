import Foundation
import SkyCore

/// An out-of-process plugin seen as a `Provisioner`: every method is one call on the plugin's
/// `PluginHost`. Create it with `connect`, which handshakes (so `capabilities` is known).
public struct PluginProvisioner: Provisioner {
    public let name: String
    public let host: PluginHost
    public let handshake: PluginHandshake
    /// Deadline of quick calls (check, query, info, ports).
    public let quickDeadline: Double
    /// Deadline of calls that create or delete nodes.
    public let slowDeadline: Double

    public static func connect(
        _ host: PluginHost, handshakeDeadline: Double = 10, quickDeadline: Double = 60,
        slowDeadline: Double = 1800
    ) async throws(PluginError) -> PluginProvisioner {
        let handshake = try await host.handshake(deadline: handshakeDeadline)
        return PluginProvisioner(
            name: host.name, host: host, handshake: handshake, quickDeadline: quickDeadline,
            slowDeadline: slowDeadline)
    }

    public var capabilities: Set<ProvisionCapability> {
        Set(handshake.capabilities.compactMap(ProvisionCapability.init(rawValue:)))
    }

    /// Capability strings the plugin declared (protocol-level ones such as `listOfferings` too).
    public var declaredCapabilities: [String] { handshake.capabilities }

    // MARK: Provisioner

    public func checkCredentials() async -> CredentialCheck {
        do {
            let reply = try await host.call("checkCredentials", deadline: quickDeadline)
            return CredentialCheck(
                enabled: reply["enabled"] == .bool(true), reason: reply["reason"]?.stringValue,
                hint: reply["hint"]?.stringValue)
        } catch {
            return CredentialCheck(enabled: false, reason: error.description)
        }
    }

    public func offerings(for resources: Resources) async throws -> [Offering] {
        if let cloud = resources.cloud, cloud != name { return [] }
        guard declaredCapabilities.contains("listOfferings") else { return [] }
        var fields: [(String, JSONValue)] = [("useSpot", .bool(resources.useSpot))]
        if let region = resources.region { fields.append(("region", .string(region))) }
        if let zone = resources.zone { fields.append(("zone", .string(zone))) }
        if let cpus = resources.cpusText { fields.append(("cpus", .string(cpus))) }
        if let memory = resources.memoryText { fields.append(("memory", .string(memory))) }
        if let type = resources.instanceType { fields.append(("instanceType", .string(type))) }
        if let accelerator = resources.accelerator {
            fields.append(("accelerators", .string("\(accelerator.name):\(accelerator.count)")))
        }
        let reply = try await call("listOfferings", ("resources", .object(fields)), slow: false)
        var out = try decode(
            [PluginOffering].self, reply["offerings"] ?? .array([]), "listOfferings"
        )
        .map { $0.offering(cloud: name) }
        if let region = resources.region { out = out.filter { $0.region == region } }
        return out
    }

    public func bootstrap(_ config: ProvisionConfig) async throws(ProvisionError) -> ProvisionConfig
    {
        guard declaredCapabilities.contains("bootstrap") else { return config }
        let reply = try await call("bootstrap", ("config", value(config)), slow: true)
        guard let updated = reply["config"] else { return config }
        return try decode(ProvisionConfig.self, updated, "bootstrap")
    }

    public func runInstances(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionRecord
    {
        let reply = try await call("runInstances", ("config", value(config)), slow: true)
        let record = try decode(PluginRunResult.self, reply, "runInstances")
        return ProvisionRecord(
            provider: name, region: config.region, zone: config.zone,
            clusterName: config.clusterName, headInstanceID: record.headInstanceID,
            resumedInstanceIDs: record.resumedInstanceIDs ?? [],
            createdInstanceIDs: record.createdInstanceIDs ?? [])
    }

    public func waitInstances(_ cluster: ClusterLocator, state: InstanceStatus?)
        async throws(ProvisionError)
    {
        _ = try await call(
            "waitInstances", ("cluster", value(cluster)),
            ("state", state.map { .string($0.rawValue) } ?? .null), slow: true)
    }

    public func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> [InstanceState]
    {
        let reply = try await call("queryInstances", ("cluster", value(cluster)), slow: false)
        return try decode([InstanceState].self, reply["instances"] ?? .array([]), "queryInstances")
    }

    public func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError) -> ClusterInfo {
        let reply = try await call("clusterInfo", ("cluster", value(cluster)), slow: false)
        return try decode(PluginClusterInfo.self, reply, "clusterInfo").info(
            provider: name, cluster: cluster)
    }

    public func stopInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        try require(.stop, for: "stopping clusters")
        _ = try await call(
            "stopInstances", ("cluster", value(cluster)), ("workerOnly", .bool(workerOnly)),
            slow: true)
    }

    public func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        _ = try await call(
            "terminateInstances", ("cluster", value(cluster)), ("workerOnly", .bool(workerOnly)),
            slow: true)
    }

    public func openPorts(_ cluster: ClusterLocator, ports: [String]) async throws(ProvisionError) {
        guard !ports.isEmpty else { return }
        try require(.ports, for: "opening ports")
        _ = try await call(
            "openPorts", ("cluster", value(cluster)), ("ports", strings(ports)), slow: false)
    }

    public func cleanupPorts(_ cluster: ClusterLocator, ports: [String])
        async throws(ProvisionError)
    {
        guard supports(.ports), !ports.isEmpty else { return }
        _ = try await call(
            "cleanupPorts", ("cluster", value(cluster)), ("ports", strings(ports)), slow: false)
    }

    public func queryPorts(_ cluster: ClusterLocator, ports: [String], headIP: String?)
        async throws(ProvisionError) -> [String: [String]]
    {
        guard supports(.ports) else {
            guard let headIP else { return [:] }
            return Dictionary(uniqueKeysWithValues: ports.map { ($0, ["\(headIP):\($0)"]) })
        }
        let reply = try await call(
            "queryPorts", ("cluster", value(cluster)), ("ports", strings(ports)),
            ("headIP", headIP.map(JSONValue.string) ?? .null), slow: false)
        return try decode([String: [String]].self, reply["ports"] ?? .object([]), "queryPorts")
    }

    // MARK: Helpers

    private func call(_ method: String, _ params: (String, JSONValue)..., slow: Bool)
        async throws(ProvisionError) -> JSONValue
    {
        do {
            return try await host.call(
                method, params: .object(params), deadline: slow ? slowDeadline : quickDeadline)
        } catch {
            throw error.provisionError
        }
    }

    private func value<T: Encodable>(_ value: T) throws(ProvisionError) -> JSONValue {
        do {
            return try PluginWire.value(value)
        } catch {
            throw .internal("Cannot encode a request for plugin '\(name)': \(error)")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ method: String)
        throws(ProvisionError) -> T
    {
        do {
            return try PluginWire.decode(type, from: value)
        } catch {
            throw PluginError.badReply(plugin: name, method: method, reason: "\(error)")
                .provisionError
        }
    }

    private func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}
