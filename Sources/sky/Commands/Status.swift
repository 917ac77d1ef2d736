import ArgumentParser

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show clusters.",
        discussion: "Shows the cached state; -r queries the providers first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Cluster names; glob patterns allowed. Default: all clusters.")
    var clusters: [String] = []

    @Flag(name: .shortAndLong, help: "Query the providers for the real state of the clusters.")
    var refresh = false

    @Flag(help: "Print only the head node's IP address of the named cluster.")
    var ip = false

    @Flag(help: "Print every open port's endpoint of the named cluster.")
    var endpoints = false

    @Option(help: "Print the endpoint of this port of the named cluster.")
    var endpoint: Int?

    @Flag(name: .customLong("show-managed-jobs"), inversion: .prefixedNo, help: "Also show managed jobs.")
    var showManagedJobs = true

    @Flag(name: .customLong("show-services"), inversion: .prefixedNo, help: "Also show services.")
    var showServices = true

    @Flag(name: .customLong("show-pools"), inversion: .prefixedNo, help: "Also show pools.")
    var showPools = true

    @Flag(name: [.customShort("u"), .customLong("all-users")], help: "Show clusters of every user.")
    var allUsers = false

    func run() async throws {
        throw CLIError.notAvailable(command: "status")
    }
}
