import ArgumentParser
import SkyEngine

extension Gpus {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List accelerators, their counts, instance types and prices.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        @Argument(
            help: ArgumentHelp(
                "Show offerings of this accelerator, e.g. H100 or H100:8.", valueName: "acc[:n]"))
        var accelerator: String?

        @Flag(name: .shortAndLong, help: "Show every accelerator, not only the common ones.")
        var all = false

        @Option(help: "Limit to this infrastructure (cloud[/region], k8s[/context], ...).")
        var infra: String?

        @Flag(
            name: .customLong("all-regions"),
            help: "Show prices in every region, not only the cheapest.")
        var allRegions = false

        func run() async throws {
            let request = SkyEngine.GPUListRequest(
                accelerator: accelerator, all: all, infra: infra, allRegions: allRegions,
                verbose: global.verbose, json: output.isJSON)
            do {
                Console.print(try await global.engine().gpusListAny(request))
            } catch let error as SkyEngine.GPUListError {
                throw CLIError.usage(error.description)
            }
        }
    }
}
