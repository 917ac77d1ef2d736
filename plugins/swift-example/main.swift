import Foundation
import SkyPluginKit

// sky-provisioner-example: a minimal Swift plugin built with SkyPluginKit. It "provisions"
// nodes that are the hosts listed in $EXAMPLE_HOSTS ("user@ip,user@ip"), without leases:
// an example of the API, not a production provisioner (see plugins/python-inventory for that).

struct Config: Decodable {
    var clusterNameOnCloud: String
    var count: Int
}

func hosts() throws -> [(user: String, ip: String)] {
    let text = ProcessInfo.processInfo.environment["EXAMPLE_HOSTS"] ?? ""
    let hosts = text.split(separator: ",").map { entry -> (String, String) in
        let parts = entry.split(separator: "@", maxSplits: 1).map(String.init)
        return parts.count == 2 ? (parts[0], parts[1]) : ("root", parts[0])
    }
    guard !hosts.isEmpty else {
        throw PluginFailure(code: "credentials", message: "Set EXAMPLE_HOSTS=user@ip,... to use the example plugin.")
    }
    return hosts
}

struct CheckResult: Encodable, Sendable { var enabled: Bool; var reason: String }
struct RunResult: Encodable, Sendable { var headInstanceID: String; var createdInstanceIDs: [String] }
struct Node: Encodable, Sendable { var instanceID: String; var internalIP: String?; var sshUser: String?; var status: String? }
struct Nodes: Encodable, Sendable { var instances: [Node] }

let server = PluginServer(
    name: "example", version: "0.1.0", capabilities: ["multiNode"],
    methods: [
        "checkCredentials": { _ in
            do {
                return CheckResult(enabled: true, reason: "\(try hosts().count) host(s) in EXAMPLE_HOSTS")
            } catch let failure as PluginFailure {
                return CheckResult(enabled: false, reason: failure.message)
            }
        },
        "runInstances": { call in
            let config = try call.decode(Config.self, key: "config")
            let all = try hosts()
            guard config.count <= all.count else {
                throw PluginFailure(code: "capacity", message: "only \(all.count) host(s)", retryable: true)
            }
            call.progress("using \(config.count) of \(all.count) host(s)")
            let ids = all.prefix(config.count).map(\.ip)
            return RunResult(headInstanceID: ids[0], createdInstanceIDs: ids)
        },
        "queryInstances": { _ in
            Nodes(instances: try hosts().map { Node(instanceID: $0.ip, status: "UP") })
        },
        "clusterInfo": { _ in
            Nodes(instances: try hosts().map { Node(instanceID: $0.ip, internalIP: $0.ip, sshUser: $0.user) })
        },
        "terminateInstances": { _ in [String: String]() },
    ])

exit(await server.serve())
