import Foundation
import SkyCore
import SkyProvision
import SkySSH
import SkyState

/// `sky check [INFRA...]`: probes every backend in parallel (a deadline each), caches the
/// result in the state store (what "enabled clouds" reads) and returns one outcome per backend.
extension SkyEngine {
    /// Per-probe deadline: `SKY_CHECK_TIMEOUT` seconds, default 10.
    package var checkDeadline: Double {
        environment["SKY_CHECK_TIMEOUT"].flatMap(Double.init) ?? 10
    }

    package func check(infra: [String] = [], workspace: String = "default") async throws
        -> [CheckOutcome]
    {
        let wanted = Set(infra.map { InfraSpec.canonicalCloud($0) ?? $0.lowercased() })
        let backends = await backends()
        var probes = CredentialProbes(userHome: userHome, environment: environment).probes
        for provisioner in await backends.registry.all where provisioner.name != "local" {
            probes.removeAll { $0.backend == provisioner.name }
            if let ssh = provisioner as? SSHPoolProvisioner {
                probes.append(
                    CheckProbe(backend: "ssh", displayName: "SSH") {
                        await SSHPoolCheck(provisioner: ssh).run()
                    })
            } else {
                probes.append(Self.probe(provisioner))
            }
        }
        // Plugins found but not registered failed to start or to handshake (warned above).
        if environment["SKY_DISABLE_PLUGINS"] != "1" {
            let registered = Set(await backends.registry.all.map(\.name))
            for candidate in pluginDiscovery.active() where !registered.contains(candidate.name) {
                probes.append(
                    CheckProbe(backend: candidate.name, displayName: candidate.name) {
                        .disabled(
                            candidate.name, candidate.name,
                            "The plugin \(candidate.path) did not start or failed its handshake.",
                            hint:
                                "'sky plugins list' shows the error; fix or remove the executable.")
                    })
            }
        }
        if !wanted.isEmpty {
            let known = Set(probes.map(\.backend))
            let unknown = wanted.subtracting(known)
            guard unknown.isEmpty else {
                throw EngineError.invalidArgument(
                    "Unknown infra \(unknown.sorted().joined(separator: ", ")). Known: \(known.sorted().joined(separator: ", "))."
                )
            }
            probes = probes.filter { wanted.contains($0.backend) }
        }
        var outcomes = await run(probes, deadline: checkDeadline)
        // Plugin children (a hung one too) are not needed after the check.
        let plugins = await backends.registry.all.compactMap { $0 as? PluginBackend }
        await withTaskGroup(of: Void.self) { group in
            for plugin in plugins { group.addTask { await plugin.plugin.host.shutdown() } }
        }
        if let allowed = allowedClouds().map({ Set($0.map { $0 == "k8s" ? "kubernetes" : $0 }) }) {
            let file =
                (try? skyConfig())?.origin(of: ["allowed_clouds"])?.source ?? home + "/config.yaml"
            for index in outcomes.indices where !allowed.contains(outcomes[index].backend) {
                outcomes[index].capabilities = []
                outcomes[index].reason = "Not in allowed_clouds of \(file)."
                outcomes[index].hint = nil
            }
        }
        let results = outcomes.map {
            CheckResult(
                workspace: workspace, backend: $0.backend, capabilities: $0.capabilities,
                reason: $0.reason,
                details: $0.tree.isEmpty
                    ? nil : JSONValue.array($0.tree.map(JSONValue.string)).encoded())
        }
        try await backends.store.saveCheckResults(results)
        return outcomes
    }

    /// Runs probes in parallel; one that overruns `deadline` is reported disabled.
    package func run(_ probes: [CheckProbe], deadline: Double) async -> [CheckOutcome] {
        await withTaskGroup(of: (Int, CheckOutcome).self) { group in
            for (index, probe) in probes.enumerated() {
                group.addTask {
                    let fallback = CheckOutcome.disabled(
                        probe.backend, probe.displayName,
                        "The check did not finish within \(Int(deadline)) s.",
                        hint: "Set SKY_CHECK_TIMEOUT to wait longer.")
                    return (
                        index,
                        await CheckDeadline.run(seconds: deadline, fallback: fallback, probe.run)
                    )
                }
            }
            var out: [(Int, CheckOutcome)] = []
            for await item in group { out.append(item) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// How SkyPilot prints a backend's name (`SSH`, `Kubernetes`); a plugin keeps its own.
    static func displayName(_ backend: String) -> String {
        switch backend {
        case "ssh": "SSH"
        case "kubernetes": "Kubernetes"
        case "slurm": "Slurm"
        case "local": "Local"
        default: backend
        }
    }

    /// The title over a probe's per-context / per-pool / per-cluster lines.
    static func treeTitle(_ backend: String) -> String {
        switch backend {
        case "kubernetes": "Allowed contexts:"
        case "ssh": SSHPoolCheck.treeTitle
        case "slurm": "Slurm clusters:"
        default: "Details:"
        }
    }

    /// A registered backend's `checkCredentials()` as a probe. A multi-line reason is a
    /// summary line, then one `<context|pool|cluster>: enabled. ...` / `...: disabled.
    /// Reason: ...` line each (printed as a tree).
    static func probe(_ provisioner: any Provisioner) -> CheckProbe {
        let display = displayName(provisioner.name)
        return CheckProbe(backend: provisioner.name, displayName: display) {
            let check = await provisioner.checkCredentials()
            var outcome = CheckOutcome(
                backend: provisioner.name, displayName: display,
                capabilities: check.enabled ? ["compute"] : [], reason: check.reason)
            if let lines = check.reason?.split(separator: "\n", omittingEmptySubsequences: true),
                lines.count > 1
            {
                outcome.reason = String(lines[0])
                outcome.treeTitle = treeTitle(provisioner.name)
                outcome.tree = lines.dropFirst().map(String.init)
            }
            if !check.enabled {
                outcome.hint =
                    check.hint
                    ?? (provisioner is PluginBackend
                        ? "See the plugin's documentation; 'sky plugins list' shows where it is."
                        : nil)
            }
            return outcome
        }
    }
}
