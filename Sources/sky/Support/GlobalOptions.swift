import ArgumentParser
import Foundation
import SkyCore
import SkyEngine

/// Options every request-making command accepts: `--config`, `-w/--workspace`, `--async`, `-v`.
///
/// Use as `@OptionGroup var global: GlobalOptions`. A command that needs `-w` for something
/// else (`sky logs -w/--worker`) uses `BaseOptions` instead.
///
/// The option groups are flat on purpose: ArgumentParser's debug-build validation re-checks a
/// nested group once per validator per level, which made `sky launch` parse take 0.7 s in
/// debug builds (the tests run debug binaries).
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "A config file path or dotted `key=value` overrides (comma-separated) of the config (~/.sky/config.yaml, .sky.yaml, the task's config:).",
            valueName: "path|key=val"))
    var config: [String] = []

    @Option(name: [.customShort("w"), .long], help: "Workspace to use (default: the active one).")
    var workspace: String?

    @Flag(
        name: .customLong("async"), help: "Return once the request is queued; do not wait for it.")
    var async = false

    @Flag(name: .shortAndLong, help: "Show more details.")
    var verbose = false

    /// The engine the command talks to: the embedded one (state in `$SKY_HOME`, default `~/.sky`).
    /// `--config` / `-w` become the top config layer (parsed when the config is first read).
    func engine() -> SkyEngine {
        SkyConfigLoader.setCommandLine(config, workspace: workspace)
        return SkyEngine.embedded()
    }
}

/// `--config`, `--async`, `-v/--verbose`: the global options without `-w/--workspace`.
struct BaseOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "A config file path or dotted `key=value` overrides (comma-separated) of the config (~/.sky/config.yaml, .sky.yaml, the task's config:).",
            valueName: "path|key=val"))
    var config: [String] = []

    @Flag(
        name: .customLong("async"), help: "Return once the request is queued; do not wait for it.")
    var async = false

    @Flag(name: .shortAndLong, help: "Show more details.")
    var verbose = false

    /// The engine the command talks to: the embedded one (state in `$SKY_HOME`, default `~/.sky`).
    func engine() -> SkyEngine {
        SkyConfigLoader.setCommandLine(config, workspace: nil)
        return SkyEngine.embedded()
    }
}
