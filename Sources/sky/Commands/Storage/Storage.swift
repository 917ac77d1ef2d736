import ArgumentParser

struct Storage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage storage buckets created by Sky.",
        subcommands: [Ls.self, Delete.self])
}
