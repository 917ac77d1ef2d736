import ArgumentParser

struct Local: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Create or remove a local Kubernetes cluster for Sky.",
        shouldDisplay: false,
        subcommands: [Up.self, Down.self])
}
