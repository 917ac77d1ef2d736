import ArgumentParser

struct Plugins: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "Provisioner plugins (sky-provisioner-<name> executables).",
        subcommands: [List.self, Ping.self],
        defaultSubcommand: List.self)
}
