import ArgumentParser

extension Local {
    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "up",
            abstract: "Create a local Kubernetes cluster (kind) for Sky.")

        @OptionGroup var global: BaseOptions

        @Flag(help: "Expose the GPUs of this machine to the cluster.")
        var gpus = false

        func run() async throws {
            throw CLIError.notAvailable(command: "local up")
        }
    }
}
