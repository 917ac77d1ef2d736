import ArgumentParser
import SkyEngine

extension Ssh {
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "up",
            abstract: "Prepare the hosts of SSH node pools for Sky.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only this pool (default: every pool).", valueName: "pool"))
        var infra: String?

        @Option(name: .shortAndLong, help: "Node pools file (default ~/.sky/ssh_node_pools.yaml).")
        var file: String?

        func run() async throws {
            let engine = global.engine()
            let inventories = try await Console.withProgress("Probing SSH node pool hosts ...") {
                try await engine.sshUp(pool: infra, file: file)
            }
            var unreachable = false
            for inventory in inventories {
                Console.print(
                    "SSH node pool '\(inventory.pool)': \(inventory.hosts.filter(\.reachable).count)/\(inventory.hosts.count) host(s) ready."
                )
                for host in inventory.hosts {
                    if host.reachable {
                        let gpus = host.accelerators.sorted { $0.key < $1.key }
                            .map { "\($0.key):\(Int($0.value))" }.joined(separator: ",")
                        Console.print(
                            "  \(host.host): \(Int(host.cpus)) CPUs, \(host.memoryGB) GB"
                                + (gpus.isEmpty ? "" : ", \(gpus)"))
                    } else {
                        unreachable = true
                        Console.print("  \(host.host): unreachable (\(host.error ?? "no answer"))")
                    }
                }
            }
            if unreachable { throw CLIError.reported }
        }
    }
}
