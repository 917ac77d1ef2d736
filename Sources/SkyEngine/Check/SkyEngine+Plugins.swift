import Foundation
import SkyCore
import SkyProvision
import SkyRuntime

/// Provisioner plugins (`sky-provisioner-<name>` executables) and their registration.
extension SkyEngine {
    /// Names a plugin cannot take: the built-in backends and every cloud SkyPilot knows.
    package static let reservedBackendNames: Set<String> =
        Set(InfraSpec.knownClouds + ["local", "ssh", "k8s", "kubernetes"])

    package var pluginDiscovery: PluginDiscovery {
        PluginDiscovery(
            environment: environment, skyHome: home, builtins: Self.reservedBackendNames)
    }

    /// The installed plugins' names for the task loader (`infra: <plugin>`): a directory scan,
    /// run lazily (only when a task names a cloud that is not built in); no plugin is started.
    package var pluginBackendNames: ExtraBackends {
        guard environment["SKY_DISABLE_PLUGINS"] != "1" else { return .none }
        let discovery = pluginDiscovery
        return ExtraBackends { Set(discovery.active().map(\.name)) }
    }

    /// Task overrides that accept the installed plugins' names in `infra:` / `cloud:`.
    package func withPluginBackends(_ overrides: TaskOverrides) -> TaskOverrides {
        var overrides = overrides
        overrides.extraBackends = pluginBackendNames
        return overrides
    }

    /// Starts and handshakes every active plugin in parallel (deadline each); returns the ones
    /// that answered and a problem line per plugin that did not.
    package func connectPlugins(deadline: Double = 5) async -> (
        plugins: [PluginProvisioner], problems: [String]
    ) {
        let candidates = pluginDiscovery.active()
        guard !candidates.isEmpty else { return ([], []) }
        let environment = self.environment
        return await withTaskGroup(of: Result<PluginProvisioner, PluginError>.self) { group in
            for candidate in candidates {
                group.addTask {
                    let host = PluginHost(
                        name: candidate.name, path: candidate.path, environment: environment,
                        onProgress: { method, message in
                            FDIO.writeAll(
                                STDERR_FILENO,
                                Data("  \(candidate.name) \(method): \(message)\n".utf8))
                        })
                    do throws(PluginError) {
                        return .success(
                            try await PluginProvisioner.connect(host, handshakeDeadline: deadline))
                    } catch {
                        await host.shutdown()
                        return .failure(error)
                    }
                }
            }
            var plugins: [PluginProvisioner] = []
            var problems: [String] = []
            for await result in group {
                switch result {
                case .success(let plugin): plugins.append(plugin)
                case .failure(let error): problems.append(error.description)
                }
            }
            return (plugins.sorted { $0.name < $1.name }, problems)
        }
    }

    /// Registers the active plugins in `registry` (never over a built-in name). Plugins that
    /// fail to start are logged to stderr and skipped. Set `SKY_DISABLE_PLUGINS=1` to skip all.
    package func registerPlugins(in registry: ProvisionerRegistry) async {
        guard environment["SKY_DISABLE_PLUGINS"] != "1" else { return }
        let (plugins, problems) = await connectPlugins()
        for problem in problems {
            FDIO.writeAll(STDERR_FILENO, Data(("Warning: \(problem)\n").utf8))
        }
        let factory = SSHRunnerFactory(
            controlDirectory: home + "/ssh/cm", knownHostsFiles: [home + "/ssh/known_hosts"],
            hostKeyPolicy: .acceptNew, defaultIdentityFile: nil)
        for plugin in plugins where await registry.provisioner(named: plugin.name) == nil {
            await registry.register(PluginBackend(plugin: plugin, factory: factory))
        }
    }
}
