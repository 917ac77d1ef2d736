import ArgumentParser

struct Api: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Manage the Sky API server and its requests.",
        subcommands: [
            Start.self, Stop.self, Status.self, Cancel.self, Logs.self, Login.self, Logout.self,
            Info.self,
        ])
}
