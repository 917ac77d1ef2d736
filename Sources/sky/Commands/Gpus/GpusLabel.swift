import ArgumentParser

extension Gpus {
    struct Label: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "label",
            abstract: "Label the GPU nodes of a Kubernetes cluster with their accelerator type.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Kubernetes context (default: the current one).")
        var context: String?

        @Flag(help: "Remove the labels and the labelling jobs instead.")
        var cleanup = false

        func run() async throws {
            throw CLIError.notAvailable(command: "gpus label")
        }
    }
}
