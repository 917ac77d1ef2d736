import ArgumentParser

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Managed jobs: run tasks that recover from preemption and failures.",
        subcommands: [Launch.self, Queue.self, Logs.self, Cancel.self, Pool.self])
}
