import ArgumentParser

extension Serve {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Show the logs of a service's replicas, controller or load balancer.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Service name.")
        var serviceName: String

        @Argument(help: "Replica ids.")
        var replicaIDs: [Int] = []

        @Flag(help: "Show the service controller's log.")
        var controller = false

        @Flag(name: .customLong("load-balancer"), help: "Show the load balancer's log.")
        var loadBalancer = false

        @Option(help: "Print only the last N lines (0: all).")
        var tail: Int = 0

        @Flag(inversion: .prefixedNo, help: "Keep streaming.")
        var follow = true

        func run() async throws {
            throw CLIError.notAvailable(command: "serve logs")
        }
    }
}
