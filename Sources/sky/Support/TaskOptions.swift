import ArgumentParser
import Foundation
import SkyCore

/// The full task option set of reference section 4 (launch, exec, jobs launch): the core options
/// plus `--name/-n` and `--git-url/--git-ref`. Use as `@OptionGroup var task: TaskOptions`.
struct TaskOptions: ParsableArguments {
    @OptionGroup var core: TaskCoreOptions

    @Option(name: .shortAndLong, help: "Task name (overrides the YAML's name).")
    var name: String?

    @Option(name: .customLong("git-url"), help: "Git repository to use as the workdir.")
    var gitURL: String?

    @Option(name: .customLong("git-ref"), help: "Branch, tag or commit of --git-url.")
    var gitRef: String?

    /// The options as SkyCore overrides; `--env K` / `--secret K` read `environment`.
    func overrides(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> TaskOverrides {
        var overrides = core.overrides(environment: environment)
        overrides.name = name
        overrides.gitURL = gitURL
        overrides.gitRef = gitRef
        return overrides
    }
}
