import ArgumentParser

extension Volumes {
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Create a volume from a YAML file or options.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "A volume YAML file.")
        var entrypoint: String?

        @Option(name: .shortAndLong, help: "Volume name.")
        var name: String?

        @Option(help: "Where to create it, e.g. k8s/my-context or aws/us-east-1.")
        var infra: String?

        @Option(help: "Volume type, e.g. k8s-pvc or runpod-network-volume.")
        var type: String?

        @Option(help: "Size, e.g. 100Gi.")
        var size: String?

        @Flag(
            name: .customLong("use-existing"), inversion: .prefixedNo,
            help: "Adopt an existing volume of that name.")
        var useExisting: Bool?

        @Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
        var yes = false

        func run() async throws {
            throw CLIError.notAvailable(command: "volumes apply")
        }
    }
}
