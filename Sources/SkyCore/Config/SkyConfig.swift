import Foundation

/// SkyPilot's layered configuration (reference "Configuration sources"): the user config
/// (`~/.sky/config.yaml`), the project config (`$PWD/.sky.yaml`) and a task's `config:`
/// section, each a layer over the previous one with SkyPilot's merge rules
/// (`SkyConfig+Merge.swift`): mappings merge key by key, lists and scalars are replaced, lists
/// inside `kubernetes.pod_config` / `custom_metadata` are appended or merged by name.
///
/// Values are read with `value(at:)`, or `effective(cloud:keys:region:)` for the per-workspace
/// and per-context overrides. Every layer keeps where its values came from (file and line),
/// so `origin(of:)` and the validation errors name them.
public struct SkyConfig: Sendable {
    /// One source of configuration.
    public struct Layer: Sendable {
        /// The file path, or a description of an in-memory source (`the task's config`).
        public var source: String
        /// The layer's mapping (`.object`).
        public var value: JSONValue
        /// Key path (`kubernetes.allowed_contexts[1]`) -> position in the file.
        var marks: [String: SourceMark]

        /// The line of `path` or of its nearest ancestor that has one.
        func line(of path: String) -> Int? {
            var p = path
            while true {
                if let mark = marks[p] { return mark.line }
                guard let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) else { return nil }
                p = String(p[..<cut])
            }
        }
    }

    /// Lowest priority first.
    public private(set) var layers: [Layer]
    /// The merged mapping (`.object`, possibly empty).
    public private(set) var value: JSONValue

    public static let empty = SkyConfig(layers: [])

    public init(layers: [Layer]) {
        self.layers = layers
        var merged = JSONValue.object([])
        for layer in layers { merged = Self.overlay(merged, with: layer.value) }
        self.value = merged
    }

    /// A config of one in-memory mapping (no line numbers), e.g. a merged config passed on.
    public init(value: JSONValue, source: String = "config") {
        let object: JSONValue = if case .object = value { value } else { .object([]) }
        self.init(layers: [Layer(source: source, value: object, marks: [:])])
    }

    /// Parses one config file's text; validates it (errors name `source` and the line).
    public static func parse(_ text: String, source: String) throws(SkyConfigError) -> SkyConfig {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLReader.readAll(text)
        } catch {
            throw .syntax(file: source, line: error.mark?.line, message: error.message)
        }
        guard documents.count <= 1 else {
            throw .syntax(
                file: source, line: documents[1].marks[""]?.line,
                message: "expected a single document, found \(documents.count)")
        }
        guard let document = documents.first else { return SkyConfig(layers: []) }
        let json = document.value.json
        switch json {
        case .null:
            return SkyConfig(layers: [])
        case .object:
            let layer = Layer(source: source, value: json, marks: document.marks)
            try SkyConfigValidator.validate(layer)
            return SkyConfig(layers: [layer])
        default:
            throw .syntax(
                file: source, line: document.marks[""]?.line,
                message: "the top level must be a mapping of config keys")
        }
    }

    /// This config with `other`'s layers on top (`other` wins).
    public func overlaid(_ other: SkyConfig) -> SkyConfig {
        SkyConfig(layers: layers + other.layers)
    }

    /// This config with a task's `config:` section on top (validated like a file; the task
    /// wins). `nil` / null / an empty mapping changes nothing.
    public func overlaid(task config: JSONValue?, source: String = "the task's config section")
        throws(SkyConfigError) -> SkyConfig
    {
        guard let config, case .object(let pairs) = config, !pairs.isEmpty else { return self }
        // `hooks` is task lifecycle metadata, not a config key.
        let filtered = JSONValue.object(pairs.filter { $0.0 != "hooks" })
        let layer = Layer(source: source, value: filtered, marks: [:])
        try SkyConfigValidator.validate(layer)
        return SkyConfig(layers: layers + [layer])
    }

    public var isEmpty: Bool {
        guard case .object(let pairs) = value else { return true }
        return pairs.isEmpty
    }

    /// The sources, lowest priority first.
    public var sources: [String] { layers.map(\.source) }

    /// The value at `path` (nil when absent or null; SkyPilot treats both alike).
    public func value(at path: [String]) -> JSONValue? {
        Self.lookup(value, path)
    }

    /// `value(at:)` with a dotted path (`kubernetes.allowed_contexts`).
    public subscript(dotted path: String) -> JSONValue? {
        value(at: path.split(separator: ".").map(String.init))
    }

    /// The layer whose value is in effect at `path` (the highest one that sets it) and the
    /// line there when known.
    public func origin(of path: [String]) -> (source: String, line: Int?)? {
        for layer in layers.reversed() where Self.lookup(layer.value, path) != nil {
            return (layer.source, layer.line(of: path.joined(separator: ".")))
        }
        return nil
    }

    /// `active_workspace`, default `default`.
    public var activeWorkspace: String {
        value(at: ["active_workspace"])?.stringValue ?? "default"
    }

    static func lookup(_ root: JSONValue, _ path: [String]) -> JSONValue? {
        var current = root
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current == .null ? nil : current
    }
}
