import ArgumentParser

struct Gpus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpus",
        abstract: "Show accelerators and their offerings; label Kubernetes GPU nodes.",
        subcommands: [List.self, Label.self],
        defaultSubcommand: List.self)
}
