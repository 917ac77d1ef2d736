import ArgumentParser

struct Ssh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssh",
        abstract: "Set up or tear down SSH node pools (~/.sky/ssh_node_pools.yaml).",
        subcommands: [Up.self, Down.self])
}
