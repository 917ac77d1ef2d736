import ArgumentParser
import SkyCore
import SkyEngine

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a task YAML and print the normalized task.",
        discussion: """
            Parses and validates the file, substitutes ${VAR}s (--env, --env-file, --secret, \
            --secret-file), applies the task options, checks resources against the catalogs, and \
            prints the task as Sky understands it (secret values redacted). An ENTRYPOINT that is \
            not a .yaml/.yml file is an inline command. With -o json prints {"ok": true, "task": \
            {...}} ({"ok": true, "dag": {...}} for pipelines) or {"ok": false, "error": \
            {"message": ...}}. An invalid task exits 1.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var task: TaskOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "A task YAML file, or an inline command.")
    var entrypoint: [String] = []

    func validate() throws {
        if entrypoint.isEmpty {
            throw ValidationError("Name a task YAML file (or give an inline command) to validate.")
        }
    }

    func run() async throws {
        let document: TaskDocument
        do {
            document = try load()
            try checkResources(document)
        } catch {
            try fail(error)
        }
        switch output.format {
        case .json:
            Console.print(document.validateJSON().encoded(sortedKeys: false, pretty: true))
        case .table:
            Console.print(render(document), terminator: "")
            Console.print("Task is valid.")
        }
    }

    private func load() throws(TaskError) -> TaskDocument {
        let overrides = task.overrides()
        switch TaskEntrypoint(entrypoint) {
        case .yaml(let path):
            return try TaskLoader.load(path: path, overrides: overrides)
        case .command(let command):
            return .task(try TaskLoader.inline(command: command, overrides: overrides))
        case .none:
            return .task(try TaskLoader.inline(command: "", overrides: overrides))
        }
    }

    /// What `sky launch` would reject before provisioning: the task name, `run`, the workdir and
    /// local file-mount sources, then resources against the catalogs.
    private func checkResources(_ document: TaskDocument) throws {
        let engine = global.engine()
        for task in document.tasks {
            try task.validateForLaunch()
            try engine.validateResources(task)
        }
    }

    /// Reports an invalid task: one JSON object on stdout with -o json, `sky: <message>` on
    /// stderr otherwise; exit 1 either way.
    private func fail(_ error: any Error) throws -> Never {
        let message = String(describing: error)
        guard output.isJSON else { throw error }
        var details: [(String, JSONValue)] = [("message", .string(message))]
        if let taskError = error as? TaskError, let stage = taskError.stage {
            details.append(("stage", .string(stage)))
        } else if !(error is TaskError) {
            details.append(("stage", .string("resources")))
        }
        let object: JSONValue = .object([("ok", .bool(false)), ("error", .object(details))])
        Console.print(object.encoded(sortedKeys: false, pretty: true))
        throw CLIError.reported
    }

    private func render(_ document: TaskDocument) -> String {
        switch document {
        case .task(let task):
            return YAMLText.render(task.yamlConfig())
        case .dag(let name, let tasks):
            var parts: [String] = []
            if let name { parts.append(YAMLText.render(.object([("name", .string(name))]))) }
            parts += tasks.map { YAMLText.render($0.yamlConfig()) }
            return parts.joined(separator: "---\n")
        }
    }
}
