import ArgumentParser

/// `sky show-gpus`: the old name of `sky gpus list`.
struct ShowGpus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show-gpus",
        abstract: "Alias of 'sky gpus list'.",
        shouldDisplay: false)

    @OptionGroup var list: Gpus.List

    func run() async throws {
        try await list.run()
    }
}
