import Foundation

/// Reads task files the way SkyPilot 0.14.1 does: YAML 1.1, duplicate keys and unknown fields
/// rejected, `${VAR}` substitution with command-line precedence, pipelines and job groups.
public enum TaskLoader {
    public static func load(path: String, overrides: TaskOverrides) throws(TaskError)
        -> TaskDocument
    {
        try load(path: path, overrides: overrides, shapes: nil)
    }

    public static func load(
        path: String, overrides: TaskOverrides, shapes: (any InstanceShapeProvider)?
    )
        throws(TaskError) -> TaskDocument
    {
        let expanded = (path as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw TaskError(
                file: path, message: "cannot read the file; check that it exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TaskError(
                file: path, message: "not a valid UTF-8 text file and cannot be parsed as YAML")
        }
        return try load(
            yaml: text, fileName: path, baseDirectory: FileManager.default.currentDirectoryPath,
            overrides: overrides,
            shapes: shapes)
    }

    public static func load(
        yaml: String, fileName: String, baseDirectory: String, overrides: TaskOverrides
    )
        throws(TaskError) -> TaskDocument
    {
        try load(
            yaml: yaml, fileName: fileName, baseDirectory: baseDirectory, overrides: overrides,
            shapes: nil)
    }

    public static func load(
        yaml: String, fileName: String, baseDirectory: String, overrides: TaskOverrides,
        shapes: (any InstanceShapeProvider)?
    ) throws(TaskError) -> TaskDocument {
        let (envs, secrets) = try commandLineVariables(
            overrides, fileName: fileName, baseDirectory: baseDirectory)
        Redactor.register(Redactor.hiddenValues(secrets: secrets, envs: envs))
        var docs: [YAMLDocument] = []
        do {
            docs = try YAMLReader.readAll(yaml)
        } catch {
            throw TaskError(file: fileName, mark: error.mark, fieldPath: "", message: error.message)
        }
        let localSecrets = registerInlineSecrets(docs) + secrets.compactMap(\.1)
        func redact(_ text: String) -> String {
            Redactor.redact(Redactor.redact(text), secrets: localSecrets)
        }
        let parser = TaskParser(shapes: shapes, extraBackends: overrides.extraBackends)
        let envOverrides = envs.isEmpty ? nil : envs
        let secretOverrides = secrets.isEmpty ? nil : secrets
        var document: TaskDocument
        var current: YAMLDocument?
        do throws(FieldError) {
            if docs.count <= 1, envOverrides == nil, secretOverrides == nil {
                // Task.from_yaml
                let doc = docs.first ?? YAMLDocument(value: .none, marks: [:], keyMarks: [:])
                current = doc
                switch doc.value {
                case .none:
                    document = .task(
                        try parser.parse(.dict([]), envOverrides: nil, secretOverrides: nil))
                case .dict:
                    document = .task(
                        try parser.parse(doc.value, envOverrides: nil, secretOverrides: nil))
                case .str:
                    throw FieldError("", "the file is a plain string, not a task mapping")
                default:
                    throw FieldError(
                        "", "the file must be a mapping of task fields; got a \(doc.value.typeName)"
                    )
                }
            } else {
                document = try loadMulti(
                    docs, parser: parser, envs: envOverrides, secrets: secretOverrides,
                    current: &current)
            }
        } catch {
            let mark = current?.mark(for: error.path, preferKey: error.atKey)
            throw TaskError(
                file: fileName, mark: mark, fieldPath: error.path, message: redact(error.message))
        }
        if case .task(var task) = document, overrides.hasTaskOptions {
            do throws(FieldError) {
                try applyTaskOptions(&task, overrides, parser: parser)
            } catch {
                throw TaskError(
                    file: fileName, fieldPath: error.path, message: redact(error.message))
            }
            document = .task(task)
        }
        return document.withBaseDirectory(baseDirectory)
    }

    /// An entrypoint that is not a YAML file: a task named `sky-cmd` running it.
    public static func inline(command: String, overrides: TaskOverrides) throws(TaskError) -> Task {
        let cwd = FileManager.default.currentDirectoryPath
        let (envs, secrets) = try commandLineVariables(
            overrides, fileName: "<command>", baseDirectory: cwd)
        Redactor.register(Redactor.hiddenValues(secrets: secrets, envs: envs))
        var task = Task(run: command.isEmpty ? nil : command)
        task.name = "sky-cmd"
        do throws(FieldError) {
            for (k, v) in envs {
                guard let v else {
                    throw FieldError(
                        "envs.\(k)", "environment variable \(PyNumber.reprString(k)) has no value")
                }
                guard isValidEnvName(k) else { throw FieldError("envs", "invalid env key: \(k)") }
                if let i = task.envs.firstIndex(where: { $0.0 == k }) {
                    task.envs[i].1 = v
                } else {
                    task.envs.append((k, v))
                }
            }
            for (k, v) in secrets {
                guard let v else {
                    throw FieldError(
                        "secrets.\(k)", "secret \(PyNumber.reprString(k)) has no value")
                }
                guard isValidEnvName(k) else {
                    throw FieldError("secrets", "invalid secret key: \(k)")
                }
                if let i = task.secrets.firstIndex(where: { $0.0 == k }) {
                    task.secrets[i].1 = v
                } else {
                    task.secrets.append((k, v))
                }
            }
            try applyTaskOptions(
                &task, overrides,
                parser: TaskParser(shapes: nil, extraBackends: overrides.extraBackends))
        } catch {
            throw TaskError(
                file: "<command>", fieldPath: error.path, message: Redactor.redact(error.message))
        }
        task.baseDirectory = cwd
        return task
    }

    static func isValidEnvName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
            first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else {
            return false
        }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }

    /// Registers the files' inline secret values for redaction; returns them.
    private static func registerInlineSecrets(_ docs: [YAMLDocument]) -> [String] {
        var values: [String] = []
        for doc in docs {
            guard case .dict(let pairs)? = doc.value["secrets"] else { continue }
            for (_, v) in pairs where !v.isNone { values.append(v.pyStr) }
        }
        Redactor.register(values)
        return values
    }
}

extension TaskDocument {
    func withBaseDirectory(_ dir: String) -> TaskDocument {
        switch self {
        case .task(var t):
            t.baseDirectory = dir
            return .task(t)
        case .dag(let name, let tasks):
            return .dag(
                name: name,
                tasks: tasks.map { t in
                    var t = t
                    t.baseDirectory = dir
                    return t
                })
        }
    }
}
