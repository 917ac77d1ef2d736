import ArgumentParser

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "SkyServe: serve models and apps with autoscaled replicas behind a load balancer.",
        subcommands: [Up.self, Update.self, Status.self, Down.self, Logs.self])
}
