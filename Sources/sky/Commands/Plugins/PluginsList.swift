import ArgumentParser
import SkyEngine
import SkyProvision

extension Plugins {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List provisioner plugins found in $SKY_PLUGIN_PATH, ~/.sky/plugins and PATH."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let engine = global.engine()
            let candidates = engine.pluginDiscovery.scan()
            guard !candidates.isEmpty else {
                Console.print(
                    "No provisioner plugins found (sky-provisioner-<name> in $SKY_PLUGIN_PATH, "
                        + "\(engine.home)/plugins or PATH).")
                return
            }
            let (plugins, problems) = await engine.connectPlugins()
            var rows = [["NAME", "PATH", "VERSION", "CAPABILITIES", "STATUS"]]
            for candidate in candidates {
                let plugin =
                    candidate.isActive ? plugins.first { $0.host.path == candidate.path } : nil
                let status: String
                if let problem = candidate.problem {
                    status = problem
                } else if plugin != nil {
                    status = "ok"
                } else {
                    status = "failed to start (see below)"
                }
                rows.append([
                    candidate.name, candidate.path, plugin?.handshake.version ?? "-",
                    plugin.map { $0.declaredCapabilities.joined(separator: ",") } ?? "-", status,
                ])
            }
            for plugin in plugins { await plugin.host.shutdown() }
            Status.printTable(rows)
            for problem in problems { Console.print("\n" + problem) }
        }
    }
}
