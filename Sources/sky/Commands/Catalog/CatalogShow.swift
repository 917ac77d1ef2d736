import ArgumentParser
import SkyCatalog
import SkyEngine

extension Catalog {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show which catalog copy each cloud uses, its age and row count.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let status = global.engine().catalogStatus()
            if output.isJSON {
                Console.printJSON(status.json)
            } else {
                Console.print(status.table)
            }
        }
    }
}
