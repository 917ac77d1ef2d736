import ArgumentParser

extension Plugins {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List provisioner plugins found in $SKY_PLUGIN_PATH, ~/.sky/plugins and PATH.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            throw CLIError.notAvailable(command: "plugins list")
        }
    }
}
