import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// How the head reaches the other nodes, and the `ClusterSpec` that tells its skylet.
struct NodeAccess {
    let skyHome: String
    let userHome: String

    /// Path of the cluster key on the head (relative to its home).
    static let headKeyPath = "~/.sky/keys/sky-key"
    static let headKnownHosts = "~/.sky/skylet/known_hosts"

    /// Endpoints of every node, head first, as the head sees them.
    func endpoints(_ info: ClusterInfo) -> [NodeEndpoint] {
        info.instances.map { instance in
            if let slurm = SlurmNodeAccess.endpoint(instance, info: info) { return slurm }
            if let home = instance.home {
                return NodeEndpoint(kind: .local, ip: instance.internalIP, home: home)
            }
            return NodeEndpoint(
                kind: .ssh, ip: instance.internalIP, user: instance.sshUser ?? info.sshUser,
                port: instance.sshPort, identityFile: Self.headKeyPath)
        }
    }

    func spec(
        name: String, handle: ClusterHandle, info: ClusterInfo, task: Task,
        autostop: ClusterSpec.AutostopSpec?
    ) -> ClusterSpec {
        let offering = handle.offering
        return ClusterSpec(
            clusterName: name, clusterNameOnCloud: handle.clusterNameOnCloud,
            cloud: handle.cloud, region: handle.region, zone: handle.zone,
            nodes: endpoints(info), cpusPerNode: offering.cpus,
            gpusPerNode: offering.acceleratorCount, acceleratorName: offering.acceleratorName,
            autostop: autostop, hooks: Self.hooks(task),
            daemonStartsDrivers: info.providerConfig[ClusterInfo.skyletDriversKey] == "daemon"
                ? true : nil)
    }

    /// `config.hooks` of the task: `[{run, events, timeout}]`.
    static func hooks(_ task: Task) -> [ClusterSpec.HookSpec] {
        guard case .array(let items)? = task.config?["hooks"] else { return [] }
        return items.compactMap { item in
            guard let run = item["run"]?.stringValue else { return nil }
            var events: [String] = []
            if case .array(let list)? = item["events"] {
                events = list.compactMap(\.stringValue)
            } else if let one = item["events"]?.stringValue {
                events = [one]
            }
            var timeout = 3600
            if case .int(let seconds)? = item["timeout"] { timeout = seconds }
            return ClusterSpec.HookSpec(run: run, events: events, timeoutSeconds: timeout)
        }
    }

    /// For a multi-node ssh cluster: authorizes the cluster key on every node, puts the
    /// private key and the workers' host keys on the head. All nodes in parallel, one
    /// command each.
    func prepareSSH(info: ClusterInfo, runners: [any CommandRunner], knownHostsFile: String)
        async throws
    {
        guard runners.count > 1, info.instances.first?.home == nil else { return }
        let key = ClusterKey(skyHome: skyHome)
        let publicKey = try await key.ensure()
        let privateKey = try String(contentsOfFile: key.privateKeyPath, encoding: .utf8)
        var knownLines: [String] = []
        for instance in info.instances.dropFirst() {
            knownLines += await ClusterKey.knownHostLines(
                host: instance.internalIP, port: instance.sshPort, knownHostsFile: knownHostsFile)
        }
        var text = privateKey.hasSuffix("\n") ? privateKey : privateKey + "\n"
        text += "--\n"
        for line in knownLines { text += line + "\n" }
        let headInput = Data(text.utf8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, runner) in runners.enumerated() {
                group.addTask {
                    let script = index == 0 ? ClusterKey.headScript : ClusterKey.authorizeScript
                    let result = try await runner.run(
                        ["sh", "-c", script, "sky-node-access", publicKey],
                        stdin: index == 0 ? headInput : nil, environment: [:])
                    guard result.exitCode == 0 else {
                        throw EngineError.runtime(
                            cluster: info.clusterNameOnCloud,
                            reason:
                                "preparing ssh access on \(runner.nodeName) failed: \(result.stderr)"
                        )
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
