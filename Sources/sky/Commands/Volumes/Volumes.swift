import ArgumentParser

struct Volumes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage volumes (persistent disks and Kubernetes PVCs).",
        subcommands: [Apply.self, Ls.self, Delete.self])
}
