import Foundation

/// The highest layer: the CLI's `--config` values (reference 4: `--config PATH|key=val`) and
/// `-w/--workspace`. As SkyPilot's `_compose_cli_config`: a single value naming an existing
/// file is that config file; otherwise every value is a comma-separated dotlist
/// (`kubernetes.provision_timeout=600,kubernetes.pod_config.spec.priorityClassName=high`;
/// commas inside `[...]`, `{...}` or quotes stay in the value), each value read as YAML. `-w NAME` sets `active_workspace`.
extension SkyConfig {
    public static let commandLineSource = "the --config option"

    public static func commandLine(
        _ values: [String], workspace: String? = nil, environment: [String: String] = [:]
    ) throws(SkyConfigError) -> SkyConfig {
        var config = SkyConfig.empty
        if let first = values.first {
            let path = SkyConfigLoader.expandTilde(first, home: environment["HOME"])
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                guard values.count == 1 else {
                    throw .syntax(
                        file: commandLineSource, line: nil,
                        message:
                            "cannot combine a config file (\(first)) with other --config values")
                }
                config = try SkyConfigLoader.file(path)
            } else {
                config = try dotlist(values)
            }
        }
        if let workspace, !workspace.isEmpty {
            config = config.overlaid(
                SkyConfig(
                    value: .object([("active_workspace", .string(workspace))]),
                    source: "the --workspace option"))
        }
        return config
    }

    /// `key.path=value` pairs, comma-separated in each value.
    static func dotlist(_ values: [String]) throws(SkyConfigError) -> SkyConfig {
        var root = JSONValue.object([])
        for value in values {
            for pair in topLevelPairs(value) {
                let parts = pair.split(
                    separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw .syntax(
                        file: commandLineSource, line: nil,
                        message: "invalid config override '\(pair)': use key=value "
                            + "(key1=value1,key2=value2) or the path of an existing config file")
                }
                let scalar: JSONValue
                do {
                    scalar = try YAMLReader.readAll(String(parts[1])).first?.value.json ?? .null
                } catch {
                    throw .syntax(
                        file: commandLineSource, line: nil,
                        message: "invalid value in '\(pair)': \(error.message)")
                }
                let keys = parts[0].split(separator: ".").map(String.init)
                root = overlay(root, with: nested(keys, scalar))
            }
        }
        let layer = Layer(source: commandLineSource, value: root, marks: [:])
        try SkyConfigValidator.validate(layer)
        return SkyConfig(layers: [layer])
    }

    /// Splits on the commas outside brackets and quotes (`a=[x, y],b=1` is two pairs).
    static func topLevelPairs(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var depth = 0
        var quote: Character?
        var start = text.startIndex
        for index in text.indices {
            let c = text[index]
            if let q = quote {
                if c == q { quote = nil }
                continue
            }
            switch c {
            case "'", "\"": quote = c
            case "[", "{": depth += 1
            case "]", "}": depth = max(0, depth - 1)
            case "," where depth == 0:
                out.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        out.append(text[start...])
        return out.filter { !$0.isEmpty }
    }

    static func nested(_ keys: [String], _ value: JSONValue) -> JSONValue {
        keys.reversed().reduce(value) { inner, key in .object([(key, inner)]) }
    }
}
