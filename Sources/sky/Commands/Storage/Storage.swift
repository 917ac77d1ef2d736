import ArgumentParser

struct Storage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Manage storage buckets created by Sky.",
        subcommands: [Ls.self, Delete.self])
}
