import ArgumentParser

/// `-o/--output table|json`; table is the default. Use as `@OptionGroup var output: OutputOptions`
/// and switch on `output.format`.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    case table
    case json
}

/// The `-o/--output` option as a group, for commands of reference section 3.5.
struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format.")
    var format: OutputFormat = .table

    var isJSON: Bool { format == .json }
}
