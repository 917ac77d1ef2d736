import ArgumentParser
import Foundation
import SkyEngine

/// Options every request-making command accepts: `--config`, `-w/--workspace`, `--async`, `-v`.
///
/// Use as `@OptionGroup var global: GlobalOptions`. A command that needs `-w` for something
/// else (`sky logs -w/--worker`) uses `BaseOptions` instead.
struct GlobalOptions: ParsableArguments {
    @OptionGroup var base: BaseOptions

    @Option(name: [.customShort("w"), .long], help: "Workspace to use (default: the active one).")
    var workspace: String?

    var config: [String] { base.config }
    var async: Bool { base.async }
    var verbose: Bool { base.verbose }

    /// The engine the command talks to: the embedded one (state in `$SKY_HOME`, default `~/.sky`).
    func engine() -> SkyEngine { base.engine() }
}

/// `--config`, `--async`, `-v/--verbose`: the global options without `-w/--workspace`.
struct BaseOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "A config file path or a dotted `key=value` override of ~/.sky/config.yaml (repeatable).",
            valueName: "path|key=val"))
    var config: [String] = []

    @Flag(name: .customLong("async"), help: "Return once the request is queued; do not wait for it.")
    var async = false

    @Flag(name: .shortAndLong, help: "Show more details.")
    var verbose = false

    /// The engine the command talks to: the embedded one (state in `$SKY_HOME`, default `~/.sky`).
    func engine() -> SkyEngine { SkyEngine.embedded() }
}
