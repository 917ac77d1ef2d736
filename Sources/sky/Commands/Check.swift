import ArgumentParser
import SkyEngine

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check which clouds and infrastructures have working credentials.",
        discussion:
            "With -o json prints {workspace: {infra: [capabilities]}} listing enabled capabilities."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Infrastructures to check (aws, gcp, k8s, ssh, slurm, ...). Default: all.")
    var infra: [String] = []

    func run() async throws {
        let workspace = global.workspace ?? "default"
        let outcomes = try await global.engine().check(infra: infra, workspace: workspace)
        if output.isJSON {
            Console.print(CheckRenderer.json(outcomes, workspace: workspace))
        } else {
            Console.print(CheckRenderer.text(outcomes, verbose: global.verbose))
        }
    }
}
