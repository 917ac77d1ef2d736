import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

extension SlurmLoginProvisioner {
    // MARK: Check

    /// `sky check slurm`: each login node is reached and its agent checks libslurm there.
    package func checkCredentials() async -> CredentialCheck {
        let aliases: [String]
        do {
            aliases = try self.aliases()
        } catch {
            return CredentialCheck(enabled: false, reason: error.description)
        }
        guard !aliases.isEmpty else {
            return CredentialCheck(
                enabled: false,
                reason: "No Slurm cluster in \(hostsFile): add a 'Host' entry for a login node "
                    + "(HostName, User, IdentityFile).")
        }
        let results = await withTaskGroup(of: (String, Bool, String).self) { group in
            for alias in aliases {
                group.addTask {
                    do throws(ProvisionError) {
                        let reply = try await self.call(alias, "checkCredentials")
                        return (
                            alias, reply["enabled"] == .bool(true),
                            reply["reason"]?.stringValue ?? ""
                        )
                    } catch {
                        return (alias, false, error.description)
                    }
                }
            }
            var out: [String: (Bool, String)] = [:]
            for await (alias, ok, text) in group { out[alias] = (ok, text) }
            return out
        }
        let lines = aliases.map { alias -> String in
            let (ok, text) = results[alias] ?? (false, "no answer")
            return ok
                ? "\(alias): enabled. Login node over ssh; \(text)"
                : "\(alias): disabled. Reason: \(text)"
        }
        let enabled = aliases.filter { results[$0]?.0 == true }
        return CredentialCheck(
            enabled: !enabled.isEmpty,
            reason: "\(aliases.count) Slurm cluster(s) (\(hostsFile)): "
                + aliases.joined(separator: ", ") + "\n" + lines.joined(separator: "\n"))
    }

    // MARK: Lifecycle

    package func runInstances(_ config: ProvisionConfig) async throws(ProvisionError)
        -> ProvisionRecord
    {
        let reply = try await call(
            config.region, "runInstances", [("config", try encode(config))], slow: true)
        return try decode(ProvisionRecord.self, reply, "runInstances")
    }

    /// Waits on the login node; while the allocation starts, puts this build's skylet into the
    /// login home's `~/.sky/bin` (shared with the cluster), so the runtime set-up finds it.
    package func waitInstances(_ cluster: ClusterLocator, state: InstanceStatus?)
        async throws(ProvisionError)
    {
        let alias = cluster.region
        let install = _Concurrency.Task { () -> ProvisionError? in
            guard state == .up else { return nil }
            do throws(ProvisionError) {
                try await installSkylet(alias)
                return nil
            } catch {
                return error
            }
        }
        do {
            _ = try await call(
                alias, "waitInstances",
                [
                    ("cluster", try agentLocator(cluster)),
                    ("state", state.map { .string($0.rawValue) } ?? .null),
                ], slow: true)
        } catch {
            install.cancel()
            throw error
        }
        if let error = await install.value { throw error }
    }

    private func installSkylet(_ alias: String) async throws(ProvisionError) {
        guard let (path, hash) = try await skylet?.build() else { return }
        let runner = try await connection(alias).loginRunner()
        try await SlurmBinaryInstall.installRemote(
            source: path, hash: hash, remoteDirectory: SlurmAgentWire.remoteDirectory,
            name: "skylet", runner: runner)
    }

    package func queryInstances(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> [InstanceState]
    {
        let reply = try await call(
            cluster.region, "queryInstances", [("cluster", try agentLocator(cluster))])
        return try decode([InstanceState].self, reply["instances"], "queryInstances")
    }

    package func clusterInfo(_ cluster: ClusterLocator) async throws(ProvisionError)
        -> ClusterInfo
    {
        let alias = cluster.region
        let reply = try await call(alias, "clusterInfo", [("cluster", try agentLocator(cluster))])
        var info = try decode(ClusterInfo.self, reply, "clusterInfo")
        let options = try await connection(alias).sshOptions()
        info.providerConfig[Self.loginHostKey] = alias
        info.providerConfig[Self.loginPortKey] = String(options.port)
        return info
    }

    /// The locator as the agent gets it: without the keys this side adds to the cluster's
    /// info. A cluster that was launched where libslurm reached slurmctld directly (its handle
    /// has a job id but no login node) is refused: from here, a cluster of the same name on
    /// the login node's Slurm could be another one, and a `down` would drop the record and
    /// leave the job.
    func agentLocator(_ cluster: ClusterLocator) throws(ProvisionError) -> JSONValue {
        var locator = cluster
        if locator.providerConfig[SlurmProvisioner.jobIDKey] != nil,
            locator.providerConfig[Self.loginHostKey] == nil
        {
            throw .invalidConfig(
                "Slurm cluster '\(cluster.clusterName)' was launched where Sky talks to slurmctld "
                    + "directly (a slurm.conf); here it reaches Slurm through \(hostsFile). Run "
                    + "this command where it was launched (with SLURM_CONF).")
        }
        locator.providerConfig[Self.loginHostKey] = nil
        locator.providerConfig[Self.loginPortKey] = nil
        return try encode(locator)
    }

    package func terminateInstances(_ cluster: ClusterLocator, workerOnly: Bool)
        async throws(ProvisionError)
    {
        _ = try await call(
            cluster.region, "terminateInstances",
            [("cluster", try agentLocator(cluster)), ("workerOnly", .bool(workerOnly))], slow: true)
    }
}
