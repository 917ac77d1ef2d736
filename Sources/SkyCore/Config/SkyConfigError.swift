/// Why a SkyPilot config file (`~/.sky/config.yaml`, `.sky.yaml`, a task's `config:`) cannot
/// be used. Every case names the file; a bad value also names its key path and line.
public enum SkyConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A config file named by an environment variable does not exist.
    case missingFile(variable: String, path: String)
    /// The file exists but cannot be read.
    case unreadable(file: String, detail: String)
    /// The file is not valid YAML (or its top level is not a mapping).
    case syntax(file: String, line: Int?, message: String)
    /// A key holds a value of the wrong type or outside its allowed set.
    case invalid(file: String, line: Int?, keyPath: String, message: String)

    public static let docsURL = "https://docs.skypilot.co/en/latest/reference/config.html"

    public var file: String {
        switch self {
        case .missingFile(_, let path): path
        case .unreadable(let file, _), .syntax(let file, _, _), .invalid(let file, _, _, _): file
        }
    }

    public var line: Int? {
        switch self {
        case .syntax(_, let line, _), .invalid(_, let line, _, _): line
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .missingFile(let variable, let path):
            return "Config file specified by env var \(variable) (\(path)) does not exist. "
                + "Create the file or unset the variable: unset \(variable)"
        case .unreadable(let file, let detail):
            return "Cannot read the SkyPilot config \(file): \(detail)"
        case .syntax(let file, let line, let message):
            return "Invalid config YAML \(Self.place(file, line)): \(message)"
        case .invalid(let file, let line, let keyPath, let message):
            return "Invalid config YAML \(Self.place(file, line)): \(keyPath) \(message). "
                + "See: \(Self.docsURL)"
        }
    }

    private static func place(_ file: String, _ line: Int?) -> String {
        line.map { "\(file), line \($0)" } ?? file
    }
}
