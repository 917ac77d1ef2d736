import ArgumentParser
import SkyEngine

extension Ssh {
    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "down",
            abstract: "Clean Sky off the hosts of SSH node pools.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only this pool (default: every pool).", valueName: "pool"))
        var infra: String?

        func run() async throws {
            let names = try await global.engine().sshDown(pool: infra)
            for name in names { Console.print("SSH node pool '\(name)' released.") }
        }
    }
}
