import ArgumentParser

struct Volumes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volumes",
        abstract: "Manage volumes (persistent disks and Kubernetes PVCs).",
        subcommands: [Apply.self, Ls.self, Delete.self])
}
