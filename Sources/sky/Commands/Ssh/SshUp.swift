import ArgumentParser

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
            throw CLIError.notAvailable(command: "ssh up")
        }
    }
}
