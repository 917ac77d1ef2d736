/// Why a task file (or a task, at launch) was rejected: the file, the position, the field path and
/// an actionable sentence. The message never contains a secret value.
public struct TaskError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// Dotted path of the offending field (`resources.any_of[1].cpus`); empty for the whole file.
    public var fieldPath: String
    public var message: String
    /// For launch-level checks: `workdir`, `file_mounts`, `name`, `run` or `resources`.
    public var stage: String?

    public init(
        file: String, line: Int? = nil, column: Int? = nil, fieldPath: String = "", message: String,
        stage: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.fieldPath = fieldPath
        self.message = message
        self.stage = stage
    }

    init(file: String, mark: SourceMark?, fieldPath: String, message: String) {
        self.init(
            file: file, line: mark?.line, column: mark?.column, fieldPath: fieldPath,
            message: message)
    }

    /// `task.yaml:7:5: resources.cpus: '4++' is not a number`.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        let field = fieldPath.isEmpty ? "" : "\(fieldPath): "
        return "\(location): \(field)\(message)"
    }
}

/// A failure inside the parser: a field path and a message; the loader adds file and position.
struct FieldError: Error {
    var path: String
    var message: String
    /// Point at the key (unknown fields) rather than the value.
    var atKey: Bool = false

    init(_ path: String, _ message: String, atKey: Bool = false) {
        self.path = path
        self.message = message
        self.atKey = atKey
    }
}

extension TaskError {
    /// `{"ok": false, "error": {"message": ..., "file", "line", "column", "field", "stage"}}` for
    /// `sky validate -o json`.
    public func validateJSON() -> JSONValue {
        var error: [(String, JSONValue)] = [
            ("message", .string(description)), ("file", .string(file)),
        ]
        if let line { error.append(("line", .int(line))) }
        if let column { error.append(("column", .int(column))) }
        if !fieldPath.isEmpty { error.append(("field", .string(fieldPath))) }
        if let stage { error.append(("stage", .string(stage))) }
        return .object([("ok", .bool(false)), ("error", .object(error))])
    }
}
