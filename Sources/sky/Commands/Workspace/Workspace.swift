import ArgumentParser

struct Workspace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workspace",
        abstract: "Show or switch the active workspace.",
        subcommands: [Use.self, Info.self])
}
