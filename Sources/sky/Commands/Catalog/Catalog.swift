import ArgumentParser

/// `sky catalog`: the price and instance catalogs the optimizer plans with.
struct Catalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Show or refresh the instance and price catalogs (SkyPilot's v8 catalogs).",
        subcommands: [Update.self, Show.self],
        defaultSubcommand: Show.self)
}
