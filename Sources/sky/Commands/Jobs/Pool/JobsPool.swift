import ArgumentParser

extension Jobs {
    struct Pool: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pool",
            abstract: "Pools of worker clusters that managed jobs run on.",
            subcommands: [Apply.self, Status.self, Down.self, Logs.self])
    }
}
